"""What research finds: a fact, and the snapshot of the text it quotes."""
from __future__ import annotations

from dataclasses import dataclass

KINDS = ("site", "feed", "news", "hiring", "filing")


@dataclass(frozen=True)
class Snapshot:
    """Where a quoted claim came from, kept so a rep can show it even after the page changes."""
    quote: str  # the sentences the fact quotes, as read
    url: str  # the page they were read on
    retrieved_at: str  # ISO 8601 UTC, when Earned read it
    sha256: str  # of the page's text as read (hex): shows whether a later copy is the same


@dataclass(frozen=True)
class FoundFact:
    kind: str  # one of KINDS
    text: str
    source_url: str
    source_title: str  # the page's title; for an article read, its headline
    published: str | None
    lang: str | None = None  # the language the text is in: a primary tag ("en", "de"), None when unknown
    off_site: bool = False  # from a website that never names the prospect's company: show it apart, last
    score: float | None = None  # how useful research judged it (higher first): site facts by what they say,
    # news and feed items by how fresh they are
    snapshot: Snapshot | None = None  # for a fact that quotes an article
    headline: str | None = None  # a news item's own headline (its text may add the description); not stored
