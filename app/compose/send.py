"""Whether a message may go out: the send decision, without Qt.

check_text's JSON shape (the CLI's contract) is read into typed results once; the decision then says
whether Copy may send it, what it copies over, and in words why not. Which failures may be copied over
is the rule pack's to say (a rule with `overridable = false` never is), not the window's.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.core import dates
from app.core.models import EMAIL_KINDS
from app.core.outgoing import html_message, plain_message

from .rulepack import RulePack


@dataclass(frozen=True)
class RuleResult:
    id: str
    status: str  # "pass" | "warn" | "fail"
    message: str
    spans: tuple[tuple[int, int], ...]  # offsets into the checked text (code points)


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    kind: str
    words: int
    citations: tuple[str, ...]
    rules: tuple[RuleResult, ...]

    @classmethod
    def from_json(cls, result: dict) -> "CheckResult":
        return cls(result["ok"], result["kind"], result["words"], tuple(result["citations"]),
                   tuple([RuleResult(r["id"], r["status"], r["message"], tuple(map(tuple, r["spans"])))
                          for r in result["rules"]]))

    def failures(self) -> list[RuleResult]:
        return [r for r in self.rules if r.status == "fail"]

    def get(self, rule_id: str) -> RuleResult | None:
        return next((r for r in self.rules if r.id == rule_id), None)


@dataclass(frozen=True)
class SendDecision:
    allowed: bool
    overridden: tuple[str, ...] = ()  # failing rules copied over: the sent log records them
    overridable: tuple[str, ...] = ()  # failing rules the rep may choose to copy over
    blocking: tuple[RuleResult, ...] = ()  # failing rules that can't be copied over
    reason: str = ""  # why not, as the rep reads it


NOTHING_TO_SEND = "Write the message first."
FIX_FIRST = "Not copied: fix the failing checklist items first."


def decide(result: CheckResult | None, pack: RulePack, overrides: Sequence[str] = ()) -> SendDecision:
    """May this checked message be sent? overrides: the failing rules the rep chose to copy over
    ("Copy anyway"); they must be exactly the failures that may be overridden, and none may block."""
    if result is None:
        return SendDecision(False, reason=NOTHING_TO_SEND)
    failing = result.failures()
    overridable = tuple(r.id for r in failing if pack.overridable(r.id))
    blocking = tuple(r for r in failing if not pack.overridable(r.id))
    if result.ok:
        return SendDecision(True, overridable=overridable, blocking=blocking)
    if overrides and not blocking and set(overrides) == set(overridable):
        return SendDecision(True, overridden=overridable, overridable=overridable)
    if blocking:
        reason = "Not copied: " + " ".join(f"{r.id} can't be overridden: {r.message}" for r in blocking)
    else:
        reason = FIX_FIRST
    return SendDecision(False, overridable=overridable, blocking=blocking, reason=reason)


@dataclass(frozen=True)
class Outgoing:
    """The message as the prospect gets it: for the clipboard, the mail app and the preview."""
    to: str  # "Dana Okafor <dana@harborpine.example>", or "" when the address is unknown
    subject: str  # "" for a LinkedIn note or a call
    text: str
    html: str


def forward_subject(subject: str) -> str:
    """A follow-up forwards the last email: "Fwd: <its subject>" (never "Fwd: Fwd: ...")."""
    subject = subject.strip()
    return subject if subject.lower().startswith("fwd:") else f"Fwd: {subject}".strip()


def outgoing(kind: str, subject: str, body: str, last_email=None, to: str = "") -> Outgoing:
    """What leaves: a follow-up is the new text over the forwarded last email, under "Fwd: <its subject>";
    a first touch has its own subject; a LinkedIn note or a call script has none."""
    if kind == "follow-up" and last_email is not None:
        args = (last_email.text, dates.day(last_email.sent_at) or "", last_email.subject)
        return Outgoing(to, forward_subject(last_email.subject), plain_message(body, *args), html_message(body, *args))
    return Outgoing(to if kind in EMAIL_KINDS else "", subject.strip() if kind in EMAIL_KINDS else "",
                    plain_message(body), html_message(body))
