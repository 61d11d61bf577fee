"""Text helpers shared by the store, the rule engine and the UI (no Qt)."""
from __future__ import annotations

import re

from . import urls
from .errors import InputError

# A citation in the plain-text draft: a Markdown footnote marker, [^12].
CITATION_RE = re.compile(r"\[\^([A-Za-z0-9_-]{1,32})\]")

# C0 controls except tab/newline/CR, DEL, and lone UTF-16 surrogates (what
# surrogateescape makes of undecodable argv bytes): SQLite can't store the
# latter and the former are invisible junk from copy/paste.
_JUNK_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")

MAX_NOTE_CHARS = 100_000
MAX_FIELD_CHARS = 500


def sanitize(text: str) -> tuple[str, list[str]]:
    """Return text without control characters or broken Unicode, plus what was changed."""
    changes = []
    text, n_junk = _JUNK_RE.subn("", text)
    if n_junk:
        changes.append(f"removed {n_junk} invisible control character{'s' if n_junk != 1 else ''}")
    text, n_sur = _SURROGATE_RE.subn("\ufffd", text)
    if n_sur:
        changes.append(f"replaced {n_sur} broken character{'s' if n_sur != 1 else ''} with \ufffd")
    return text, changes


def normalize_url(url: str, what: str = "Website") -> str:
    """Return a cleaned http(s) URL, adding https:// when the rep typed a bare domain (kept as typed
    otherwise: this is what the rep sees again; the fetcher normalises its own copy)."""
    if not url.strip():
        return ""
    try:
        urls.check(url, domain=True)
    except urls.NotAWebAddress as e:
        if e.code == "scheme":
            raise InputError(f"{what} must be an http:// or https:// address, not {e.scheme}:.") from None
        raise InputError(f"{what} '{urls.with_scheme(url)}' is not a web address. "
                         "Use something like https://example.com.") from None
    return urls.with_scheme(url)


def strip_citations(text: str) -> str:
    """The text as the prospect will read it: markers removed, spacing tidied."""
    out = CITATION_RE.sub("", text)
    out = re.sub(r"[ \t]+([.,;:!?)])", r"\1", out)  # "opening [^12]." -> "opening."
    out = re.sub(r"[ \t]{2,}", " ", out)
    out = re.sub(r"[ \t]+\n", "\n", out)
    return out.strip()
