"""Plain, immutable records passed between layers (and across threads)."""
from __future__ import annotations

from dataclasses import dataclass, field

PROSPECT_STATUSES = ("new", "researching", "contacted", "follow-up due", "replied", "disqualified")
FACT_KINDS = ("news", "site", "feed", "hiring", "filing", "note")
# Kinds dated by when they happened (freshness is judged like news), not by when a page was written.
DATED_KINDS = ("news", "feed", "hiring", "filing")
MESSAGE_KINDS = ("first-touch", "follow-up", "linkedin-note", "call-script")
# What the rep sees for each kind (the ids above are what the CLI, the rule pack and the workspace use).
MESSAGE_KIND_LABELS = {"first-touch": "First touch", "follow-up": "Follow up", "linkedin-note": "LinkedIn note",
                       "call-script": "Call script"}
# The kinds sent as email: they have a subject and wait for a reply (a follow-up date). A LinkedIn note or a
# call is a touch of the prospect too, but not an email a follow-up could forward.
EMAIL_KINDS = ("first-touch", "follow-up")


def kind_label(kind: str) -> str:
    """The rep's name for a message kind ("LinkedIn note"); an unknown kind as it is."""
    return MESSAGE_KIND_LABELS.get(kind, kind)


@dataclass(frozen=True)
class Prospect:
    id: int
    company: str
    website: str = ""
    contact_name: str = ""
    role: str = ""
    status: str = "new"
    created_at: str = ""
    status_reason: str = ""
    follow_up_due: str | None = None  # of the last message sent, while waiting for a reply
    email: str = ""  # the contact's address, checked for its shape (last: older positional constructors still work)
    # Team mode (new fields last, with defaults, for the same reason): the global id the team knows it by, and
    # who on the team works it now (a display name; None: nobody, or no team).
    gid: str | None = None
    owner: str | None = None
    last_team_touch: str | None = None  # a teammate's last touch: "Sam Lee, 2026-11-18" (team workspaces)

    def shown_status(self, today: str) -> str:
        """The status a rep needs: "follow-up due" once the last message's follow-up date has come."""
        if self.status == "contacted" and self.follow_up_due and self.follow_up_due <= today:
            return "follow-up due"
        return self.status


@dataclass(frozen=True)
class Fact:
    id: int
    prospect_id: int
    kind: str
    text: str
    source_url: str = ""
    source_title: str = ""
    published: str | None = None
    retrieved_at: str = ""
    pinned: bool = False
    discarded: bool = False
    lang: str | None = None  # the language the text is in ("en", "de", ...); None when unknown
    off_site: bool = False  # from a website that never names the prospect's company
    score: float | None = None  # research's usefulness score (higher first); None for notes
    # The snapshot of the article the fact quotes (all four set, or none): the sentences as read, the
    # page and the time they were read (kept when the fact is refreshed), and the sha256 of the
    # article's text as read.
    quote: str | None = None
    quote_url: str | None = None
    quote_retrieved_at: str | None = None
    quote_sha256: str | None = None
    gid: str | None = None  # the global id the team knows it by
    created_by: str | None = None  # None: this rep's; else the teammate's role (a fact pulled from the team)

    @property
    def has_snapshot(self) -> bool:
        return bool(self.quote)

    def provenance(self) -> str | None:
        """Where a quoted claim came from, as a rep pastes it to show it (None without a snapshot).
        The hash is of the article's text as Earned extracted it (UTF-8), so a later reading that
        gives the same hash read the same text."""
        if not self.quote:
            return None
        return (f"“{self.quote}”\nFrom: {self.quote_url or self.source_url}\nRead by Earned: {self.quote_retrieved_at}"
                f"\nSHA-256 of the article's text as read: {self.quote_sha256}")

    def as_check_dict(self) -> dict:
        """The shape the rule engine takes (see app.compose.check_text)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "source_url": self.source_url,
            "source_title": self.source_title,
            "published": self.published,
        }


@dataclass(frozen=True)
class Draft:
    prospect_id: int
    kind: str = "first-touch"
    subject: str = ""
    body: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Touch:
    id: int
    prospect_id: int
    kind: str
    subject: str
    text: str
    cited_fact_ids: tuple[int, ...] = field(default_factory=tuple)
    overrides: tuple[str, ...] = field(default_factory=tuple)
    sent_at: str = ""
    follow_up_due: str | None = None
    gid: str | None = None  # the global id the team knows it by
    sent_by: str | None = None  # None: this rep sent it; else the teammate's role (read by team_touches only)


@dataclass(frozen=True)
class TeamContext:
    """What the team knows about a prospect that the rep must see before writing: who owns it (a display name;
    None: nobody), whether that is the rep, a teammate's touch within the last days ((display name, ISO date) of
    the latest), and the do-not-contact reason if the account, its contact or its domain is on the list."""
    owner: str | None = None
    owner_is_me: bool = False
    last_team_touch: tuple[str, str] | None = None
    do_not_contact: str | None = None


# What a prospect's timeline shows, one kind per source of events (the UI picks an icon by kind).
TIMELINE_KINDS = ("added", "fact", "note", "sent", "status", "follow-up-due",
                  "team-sent", "edit")  # in a team: a teammate's message; an edit that a later one replaced


@dataclass(frozen=True)
class TimelineEvent:
    """One line of a prospect's history: when (ISO date or time), what kind, what the rep reads, and the id
    of what it is about (the prospect, fact, touch or status change; None when there is nothing to open)."""
    when: str
    kind: str
    text: str
    ref_id: int | None = None
