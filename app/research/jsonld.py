"""Tolerant JSON-LD parsing: real pages wrap, comment, escape and concatenate their JSON-LD."""
from __future__ import annotations

import html
import json
import re
from typing import Any

__all__ = ["parse_jsonld", "jsonld_types"]

# Wrappers that CMSs put around script bodies so old XHTML parsers leave them alone.
_WRAPPERS = re.compile(
    r"/\*\s*<!\[CDATA\[\s*\*/|/\*\s*\]\]>\s*\*/|//\s*<!\[CDATA\[|//\s*\]\]>|<!\[CDATA\[|\]\]>|<!--|-->"
)
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});")
_VALID_ESCAPES = set('"\\/bfnrtu')
_DECODER = json.JSONDecoder(strict=False)  # strict=False lets raw control characters through inside strings
_MAX_OBJECTS = 500  # a page that emits more than this is not describing itself
_START = re.compile(r"[{\[]")
# Budgets per page, so hostile markup costs at most a second or so: a script larger than _MAX_SCRIPT
# is skipped (it is a product catalogue or junk, not the company describing itself), only scripts up
# to _MAX_REPAIR get the character-by-character repair (pure Python), and a page's first _MAX_SCRIPTS
# scripts are read while they fit in _MAX_TOTAL characters.
_MAX_SCRIPT = 1_000_000
_MAX_REPAIR = 200_000
_MAX_TOTAL = 2_000_000
_MAX_SCRIPTS = 100
_MAX_SKIPS = 1_000  # broken values skipped in one script before giving up on the rest of it


def parse_jsonld(script_texts: list[str]) -> list[dict]:
    """Every JSON-LD object in these script bodies, with @graph and top-level list members flattened.

    Broken scripts are repaired where possible and skipped otherwise; this never raises.
    """
    found: list[dict] = []
    total = 0
    for text in list(script_texts or ())[:_MAX_SCRIPTS]:
        if not isinstance(text, str) or len(text) > _MAX_SCRIPT or total + len(text) > _MAX_TOTAL:
            continue  # a later, smaller script (the Organization, typically) may still fit
        total += len(text)
        try:
            values = _parse_script(text)
        except Exception:  # a parser for hostile input must not take the research run down with it
            continue
        for value in values:
            _flatten(value, found, depth=0)
            if len(found) >= _MAX_OBJECTS:
                return found[:_MAX_OBJECTS]
    return found


def jsonld_types(obj: Any) -> set[str]:
    """The bare schema.org type names of a JSON-LD object ("Organization", not "https://schema.org/Organization")."""
    if not isinstance(obj, dict):
        return set()
    raw = obj.get("@type")
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        return set()
    types = set()
    for item in raw:
        if not isinstance(item, str):
            continue
        name = item.strip()
        for sep in ("/", "#"):
            if sep in name:
                name = name.rsplit(sep, 1)[1]
        if ":" in name:  # compact IRIs such as "schema:Organization"
            name = name.rsplit(":", 1)[1]
        if name:
            types.add(name)
    return types


def _flatten(value: Any, out: list[dict], depth: int) -> None:
    if depth > 10 or len(out) >= _MAX_OBJECTS:
        return
    if isinstance(value, list):
        for item in value:
            _flatten(item, out, depth + 1)
        return
    if not isinstance(value, dict):
        return
    graph = value.get("@graph")
    if graph is not None:
        # The wrapper is only a container unless it also describes something itself.
        if jsonld_types(value):
            out.append(_unescape_values({k: v for k, v in value.items() if k != "@graph"}))
        _flatten(graph if isinstance(graph, list) else [graph], out, depth + 1)
        return
    out.append(_unescape_values(value))


def _unescape_values(value: Any, depth: int = 0) -> Any:
    """Decode HTML entities left inside string values ("Ben &amp; Jerry&#39;s")."""
    if depth > 50:
        return value
    if isinstance(value, str):
        return html.unescape(value) if _ENTITY.search(value) else value
    if isinstance(value, list):
        return [_unescape_values(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {k: _unescape_values(v, depth + 1) for k, v in value.items()}
    return value


def _parse_script(text: str) -> list[Any]:
    if not isinstance(text, str):
        return []
    text = text.strip().lstrip("\ufeff")
    if not text:
        return []
    try:
        return [json.loads(text)]
    except (ValueError, RecursionError):
        pass
    # Progressive repair: unwrap, then (only if that was not enough) drop comments and trailing commas
    # and fix escapes, then try again with HTML entities decoded. The variant that yields most wins.
    unwrapped = _WRAPPERS.sub(" ", text).strip()
    variants = [unwrapped]
    if _ENTITY.search(unwrapped):
        variants.append(html.unescape(unwrapped))
    best: list[Any] = []
    for variant in variants:
        values, clean = _decode_all(variant)
        if clean and values:
            return values
        repaired_values = _decode_all(_repair(variant))[0] if len(variant) <= _MAX_REPAIR else []
        for candidate in (values, repaired_values):
            if len(candidate) > len(best):
                best = candidate
    return best


def _decode_all(text: str) -> tuple[list[Any], bool]:
    """Every JSON value in text, one after another; skips junk and broken values. Returns (values, clean)."""
    values: list[Any] = []
    clean = True
    skips = 0
    pos, end = 0, len(text)
    while pos < end and len(values) < _MAX_OBJECTS and skips < _MAX_SKIPS:
        while pos < end and (text[pos].isspace() or text[pos] in ",;"):
            pos += 1
        if pos >= end:
            break
        if text[pos] not in "{[":
            clean = False
            skips += 1
            pos = _next_start(text, pos)
            if pos < 0:
                break
        try:
            value, pos = _DECODER.raw_decode(text, pos)
        except (ValueError, RecursionError):
            clean = False
            skips += 1
            skip = _matching_close(text, pos)
            if skip < 0:
                break
            pos = skip
            continue
        values.append(value)
    return values, clean


def _next_start(text: str, pos: int) -> int:
    # One scan to the nearest bracket: finding "{" and "[" separately scanned to the end of the text
    # for the missing one, at every piece of junk (quadratic).
    found = _START.search(text, pos)
    return found.start() if found else -1


def _matching_close(text: str, pos: int) -> int:
    """Index just past the bracket that closes the one at pos (string-aware), or -1 if it never closes."""
    depth = 0
    in_string = False
    i, end = pos, len(text)
    while i < end:
        ch = text[i]
        if in_string:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _repair(text: str) -> str:
    """Drop JS comments and trailing commas, fix invalid escapes and stray inner quotes; strings stay intact."""
    out: list[str] = []
    i, end = 0, len(text)
    in_string = False
    while i < end:
        ch = text[i]
        if in_string:
            if ch == "\\":
                nxt = text[i + 1] if i + 1 < end else ""
                if nxt in _VALID_ESCAPES and nxt:
                    out.append(ch + nxt)
                    i += 2
                    continue
                if nxt == "'":  # a JavaScript escape JSON does not have
                    out.append("'")
                    i += 2
                    continue
                out.append("\\\\")  # a lone backslash, as in a Windows path
                i += 1
                continue
            if ch == '"':
                j = i + 1
                while j < end and text[j] in " \t\r\n":
                    j += 1
                if j >= end or text[j] in ",:}]":
                    in_string = False
                    out.append(ch)
                else:
                    out.append('\\"')  # an unescaped quote inside the value
                i += 1
                continue
            if ch == "\n" or ch == "\r":
                out.append("\\n" if ch == "\n" else "")
                i += 1
                continue
            out.append(ch)
            i += 1
            continue
        if ch == '"':
            in_string = True
            out.append(ch)
            i += 1
            continue
        if ch == "/" and text.startswith("//", i):
            nl = text.find("\n", i)
            i = end if nl < 0 else nl
            continue
        if ch == "/" and text.startswith("/*", i):
            close = text.find("*/", i + 2)
            i = end if close < 0 else close + 2
            continue
        if ch == ",":
            j = _skip_space_and_comments(text, i + 1)
            if j < end and text[j] in "}]":
                i += 1  # trailing comma
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _skip_space_and_comments(text: str, j: int) -> int:
    end = len(text)
    while j < end:
        if text[j].isspace():
            j += 1
        elif text.startswith("//", j):
            nl = text.find("\n", j)
            j = end if nl < 0 else nl
        elif text.startswith("/*", j):
            close = text.find("*/", j + 2)
            j = end if close < 0 else close + 2
        else:
            break
    return j
