"""How a research step fails: one of a few kinds, each with a sentence a rep can act on."""
from __future__ import annotations

from dataclasses import dataclass

FAILURE_KINDS = (
    "timeout", "http-status", "robots-disallowed", "too-large", "wrong-type", "parse-failed", "js-only",
    "offline", "invalid-url",
    # A redirect Earned refused to follow: to a private or local network address, or to another port.
    "blocked",
    # Not a failure but a notice: the site's robots.txt asks for a longer pause than Earned will wait.
    "crawl-delay",
    # The prospect has a company name and the site never mentions it: its facts are kept apart.
    "wrong-site",
    # An API said we asked too often (HTTP 429), or a source that kept failing is resting for a while.
    "rate-limited",
    # A source that needs something from the rep first (a key, a contact email): skipped, with what to do.
    "needs-setting",
)


class FetchError(Exception):
    """A fetch that did not give us a usable body. kind is one of FAILURE_KINDS."""

    def __init__(self, kind: str, url: str, message: str, status: int = 0):
        assert kind in FAILURE_KINDS, kind
        super().__init__(message)
        self.kind, self.url, self.message, self.status = kind, url, message, status


class Cancelled(Exception):
    """The rep pressed Cancel: stop quietly, keep what we have."""


@dataclass(frozen=True)
class ResearchError:
    source: str  # "site", "feed", or a source's name in app.research.sources.SOURCES
    url: str
    kind: str
    message: str

    @classmethod
    def from_fetch(cls, source: str, error: FetchError) -> "ResearchError":
        return cls(source, error.url, error.kind, error.message)
