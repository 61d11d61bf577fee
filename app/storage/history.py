"""A prospect's history: which status wins a merge, what undoing a send leaves, and the timeline a rep reads.
Pure functions over plain records; the repo reads and writes the rows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from app.core import dates
from app.core.models import Fact, Prospect, TimelineEvent, Touch, kind_label

# How far along a prospect is, for merging two: a reply beats a message sent, which beats research.
# 'follow-up due' is stored only when a rep chose it by hand; it is a 'contacted' prospect.
_PROGRESS = {"new": 0, "researching": 1, "contacted": 2, "follow-up due": 2, "replied": 3}
# The statuses a send moves on to 'contacted' (record_touch leaves 'replied' and 'disqualified' alone).
_BEFORE_SEND = ("new", "researching", "contacted", "follow-up due")
_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)
TEXT_CHARS = 120  # a timeline line is one line: longer texts are cut, the whole is one click away (ref_id)


def instant(value: str | None) -> datetime:
    """An ISO date or time from the workspace as a comparable instant. Send times carry the rep's offset,
    stamps are UTC, follow-up dates are days (their start, in local time); a time without an offset is local.
    Anything unreadable (rows from old tests or tools) sorts first rather than failing the whole view."""
    moment = dates.parse_datetime(value)
    if moment is None:
        return _EARLIEST
    return moment if moment.tzinfo else moment.astimezone()


@dataclass(frozen=True)
class StatusMark:
    """A status the rep chose (a prospect_events row), and when."""
    at: datetime
    status: str
    previous: str | None = None
    reason: str = ""
    id: int | None = None


def merged_status(keep: str, other: str) -> str:
    """The status of two prospects merged: the furthest along (replied > contacted > researching > new, a tie
    keeps keep's); disqualified only when both are, since the other one is still being worked."""
    if keep == "disqualified" or other == "disqualified":
        return keep if other == "disqualified" else other
    return other if _PROGRESS.get(other, 0) > _PROGRESS.get(keep, 0) else keep


def status_after_unsend(current: str, removed_at: datetime, remaining: list[datetime],
                        marks: list[StatusMark]) -> str:
    """The status once a logged send is taken back, as if it had never been sent.

    - 'disqualified' stays: a send never sets it, and reopening is its own step.
    - A status the rep chose after the send stays: the send didn't cause it. Except 'replied': a reply needs a
      message to answer, so it stays only if it was marked before the undone send, or if another message sent
      before it was marked is still in the log; otherwise it was the reply to this send and goes with it.
    - Otherwise the status is the send's doing: 'contacted' while any message remains in the log, else what the
      rep last chose before the send ('researching', say), else 'new'.
    marks: the rep's status choices, oldest first. Times are to the second: a choice in the same second as the
    send counts as made before it (the send is usually logged as it happens; the choice came first)."""
    last = marks[-1] if marks else None
    if current == "disqualified":
        return current
    if current == "replied":
        if last is None or last.status != "replied" or last.at <= removed_at:
            return current  # marked before this send (or we can't tell when): not a reply to it
        if any(sent <= last.at for sent in remaining):
            return current
    elif last is not None and last.status == current and last.at > removed_at:
        return current
    if remaining:
        return "contacted"
    before = [m for m in marks if m.at <= removed_at]
    return before[-1].status if before and before[-1].status in _BEFORE_SEND else "new"


def one_line(text: str, limit: int = TEXT_CHARS) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


_FACT_LABELS = {"news": "In the news", "site": "On their website", "feed": "In their feed", "hiring": "Hiring",
                "filing": "Filing"}


def _fact_line(fact: Fact) -> str:
    where = [x for x in (fact.source_title, f"published {dates.day(fact.published) or fact.published}" if fact.published else "") if x]
    return (f"{_FACT_LABELS.get(fact.kind, fact.kind)}: {one_line(fact.text)}"
            + (f" ({', '.join(where)})" if where else ""))


def _sent_line(touch: Touch) -> str:
    what = f"{kind_label(touch.kind)} logged" if touch.kind == "call-script" else f"{kind_label(touch.kind)} sent"
    return f"{what}: {one_line(touch.subject)}" if touch.subject.strip() else what


def _status_line(mark: StatusMark) -> str:
    if mark.status == "disqualified":
        return f"Disqualified: {one_line(mark.reason)}" if mark.reason.strip() else "Disqualified"
    if mark.previous == "disqualified":
        return f"Reopened as {mark.status}"
    return f"Marked {mark.status}"


_FIELD_LABELS = {"company": "Company", "website": "Website", "contact_name": "Contact", "role": "Role",
                 "email": "E-mail", "status": "Status", "status_reason": "Reason", "text": "Note"}


def timeline(prospect: Prospect, facts: list[Fact], touches: list[Touch], marks: list[StatusMark],
             due_touch: Touch | None, team_touches: list[Touch] = (), edits: list[tuple] = (),
             names: dict[str, str] | None = None) -> list[TimelineEvent]:
    """Newest first: the prospect added, each fact found (when it was last retrieved) and note written, each
    message sent, each status the rep chose, and the follow-up date now waiting (due_touch: the email it is for).
    In a team also: teammates' messages, and each edit a later one replaced (edits: (id, field, value, at, by);
    the value is kept and shown here, not lost)."""
    names = names or {}
    events = [TimelineEvent(prospect.created_at, "added", f"Added {one_line(prospect.company)}", prospect.id)]
    for t in team_touches:
        who = names.get(t.sent_by or "", t.sent_by or "a teammate")
        events.append(TimelineEvent(t.sent_at, "team-sent", f"{who}: {_sent_line(t)}", t.id))
    for edit_id, field, value, at, by in edits:
        who = "your" if not by else f"{names.get(by, by)}'s"
        label = _FIELD_LABELS.get(field, field)
        events.append(TimelineEvent(at or "", "edit", f"{label}: {who} “{one_line(value or '')}” was replaced by a "
                                                       "later edit", edit_id))
    events += [TimelineEvent(m.at.isoformat(timespec="seconds"), "status", _status_line(m), m.id) for m in marks]
    for f in facts:
        if f.kind == "note":
            events.append(TimelineEvent(f.retrieved_at, "note", f"Note: {one_line(f.text)}", f.id))
        else:
            events.append(TimelineEvent(f.retrieved_at, "fact", _fact_line(f), f.id))
    events += [TimelineEvent(t.sent_at, "sent", _sent_line(t), t.id) for t in touches]
    if prospect.follow_up_due and due_touch is not None:
        about = f": {one_line(due_touch.subject)}" if due_touch.subject.strip() else ""
        events.append(TimelineEvent(prospect.follow_up_due, "follow-up-due", f"Follow-up due{about}", due_touch.id))
    # Ties (a status set in the second a fact was saved) keep the order above, read from the newest end.
    order = sorted(range(len(events)), key=lambda i: (instant(events[i].when), i), reverse=True)
    return [events[i] for i in order]
