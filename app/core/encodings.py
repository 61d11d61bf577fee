"""Text encodings of bytes from elsewhere (web pages, spreadsheets): the one place that guesses them.

Why one place: a page read as UTF-8 by one parser and as Latin-1 by another gives two different texts of
one page (and mojibake in a fact). The order is the one browsers and spreadsheet apps settled on:
  1. a byte order mark;
  2. UTF-8 whenever the bytes are valid UTF-8 and not plain ASCII (servers that say "ISO-8859-1" by
     default are common, and text in another charset is almost never valid UTF-8 by accident);
  3. what the sender declared: the HTTP header's charset, then (HTML) a <meta charset> near the top;
  4. UTF-8 if it decodes, else windows-1252.
"latin-1" and "ascii" are read as windows-1252, as browsers do: such text nearly always is.
Formats whose standard says UTF-8 (JSON, robots.txt, sitemaps) are decoded as UTF-8 where read, not sniffed.
"""
from __future__ import annotations

import codecs
import re

FALLBACK = "windows-1252"
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
META_CHARSET_BYTES = 4096  # a <meta charset> counts only near the top of a page
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_WESTERN = frozenset({"latin-1", "iso8859-1", "ascii", "cp1252"})


def known(name: str | bytes | None) -> str | None:
    """A declared charset as a codec Python has ("UTF8" -> "utf-8", "ISO-8859-1" -> "windows-1252"),
    or None when it names none."""
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    if not name:
        return None
    try:
        found = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    return FALLBACK if found in _WESTERN else found


def bom(data: bytes) -> str | None:
    """The encoding a byte order mark at the start of data names, or None."""
    for mark, name in BOMS:
        if data.startswith(mark):
            return name
    return None


def meta_charset(data: bytes) -> str | None:
    """The charset an HTML page's <meta charset> or http-equiv Content-Type declares, if Python has it."""
    match = _META_CHARSET_RE.search(data, 0, META_CHARSET_BYTES)
    return known(match.group(1)) if match else None


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sniff(data: bytes, declared: str | None = None, *, html: bool = False) -> str:
    """The encoding to read data with (see the module's docstring for the order); declared: the
    sender's charset (an HTTP header's), html: also look for <meta charset>."""
    found = bom(data)
    if found:
        return found
    if not data.isascii() and _utf8(data):
        return "utf-8"
    found = known(declared) or (meta_charset(data) if html else None)
    if found:
        return found
    return "utf-8" if _utf8(data) else FALLBACK


def decode(data: bytes, declared: str | None = None, *, html: bool = False) -> tuple[str, str]:
    """(data as text, the encoding read): sniff's choice, bytes it can't read as U+FFFD, no BOM."""
    encoding = sniff(data, declared, html=html)
    return data.decode(encoding, "replace").lstrip("\ufeff"), encoding
