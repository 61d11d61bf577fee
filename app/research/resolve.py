"""Finding a company's website from its name alone, cautiously.

We try the obvious addresses (acmerobotics.com, acme-robotics.com, acme.com) and accept one
only when the page says it is that company (its title, site name or Organization data carries
the name). A wrong guess would put another company's words in the rep's mouth: when in doubt,
we say we could not find the site.
"""
from __future__ import annotations

from app.core import tokens

from .errors import FetchError
from .fetcher import Fetcher
from .metadata import extract_metadata, parse_html

LEGAL_WORDS = frozenset("inc incorporated llc ltd limited corp corporation co company gmbh ag sa sas bv nv plc "
                        "pty group holdings the and".split())


def name_tokens(name: str) -> list[str]:
    words = tokens.ASCII_ALNUM_RE.findall(name.lower().replace("&", " "))
    return [w for w in words if w not in LEGAL_WORDS]


def candidate_sites(name: str, limit: int = 4) -> list[str]:
    wanted = name_tokens(name)
    if not wanted:
        return []
    joined, dashed = "".join(wanted), "-".join(wanted)
    guesses = [f"https://www.{joined}.com/", f"https://www.{dashed}.com/", f"https://www.{wanted[0]}.com/"]
    return list(dict.fromkeys(guesses))[:limit]


def page_is_company(body: bytes, charset: str | None, name: str) -> bool:
    """The page names the company: every distinctive word of the name in its title, site name or
    Organization name (one-word names need the whole word)."""
    meta = extract_metadata(None, soup=parse_html(body, encoding=charset))
    said = " ".join(x for x in (meta.title, meta.site_name, (meta.organization or {}).get("name")) if x)
    words = set(tokens.ASCII_ALNUM_RE.findall(said.lower()))
    wanted = name_tokens(name)
    return bool(wanted) and all(t in words for t in wanted)


def resolve_site(fetcher: Fetcher, name: str, candidates: list[str] | None = None) -> str | None:
    """The first candidate whose home page is the company's own, or None."""
    for url in candidates if candidates is not None else candidate_sites(name):
        try:
            got = fetcher.fetch(url, kind="page")
        except FetchError:
            continue  # no such site, or it would not answer: try the next guess
        if page_is_company(got.body, got.charset, name):
            return got.final_url
    return None
