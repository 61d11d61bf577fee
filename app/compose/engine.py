"""check_text: the one entry point for the CLI, the composer and the benchmarks."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from app.core.models import EMAIL_KINDS, MESSAGE_KINDS, Fact, Touch

from .analysis import Analysis
from .checks import KINDS
from .rulepack import Rule, RulePack, default_pack

_SEVERITY = {"pass": 0, "warn": 1, "fail": 2}


class _Values(dict):
    def __missing__(self, key):  # a template naming a value this result lacks shows it plainly
        return "{" + key + "}"


def _template(options: dict, message: str, which: str | None) -> str:
    return options.get(f"message_{which}", message) if which else message


def run_rule(rule: Rule, a: Analysis) -> dict:
    """One rule's verdict: the worst of its checks, with every finding's message and spans."""
    findings = []
    pass_values: dict = {}
    for check in rule.checks:
        status, values, spans = KINDS[check.kind](a, check, rule.params)
        if status == "pass":
            pass_values.update(values)
            continue
        text = _template(check.options, check.message, values.get("which"))
        findings.append((status, text.format_map(_Values({**rule.params, **values})), spans))
    if not findings:
        message = rule.pass_message
        if "{" in message:  # most pass messages are plain words
            message = message.format_map(_Values({**rule.params, **pass_values}))
        return {"id": rule.id, "status": "pass", "message": message, "spans": []}
    findings.sort(key=lambda f: -_SEVERITY[f[0]])
    spans = sorted({tuple(s) for f in findings for s in f[2]})
    return {
        "id": rule.id,
        "status": findings[0][0],
        "message": " ".join(f[1] for f in findings),
        "spans": [list(s) for s in spans],
    }


def check_text(text: str, kind: str, facts: list[dict], previous: str | None = None,
               company: str | None = None, today: date | None = None, pack: RulePack | None = None,
               team=None) -> dict:
    """Check a plain-text draft against the rules; returns the CLI's JSON shape. team: the prospect's
    app.core.models.TeamContext in a team workspace (who owns the account, a teammate's last touch, the
    do-not-contact list: see team_rules.py); None for a solo rep, whose team rules pass."""
    if kind not in MESSAGE_KINDS:
        raise ValueError(f"unknown message kind {kind!r}; use first-touch or follow-up")
    a = Analysis(text, kind, facts, previous, company, today or date.today(), team)
    rules = [run_rule(rule, a) for rule in (pack or default_pack()).for_kind(kind, team=team is not None)]
    return {
        "ok": all(r["status"] != "fail" for r in rules),
        "kind": kind,
        "words": len(a.new_words),
        "citations": [c[0] for c in a.citations],
        "rules": rules,
    }


def thread_context(facts: Iterable[Fact], touches: Sequence[Touch], kind: str) -> tuple[list[dict], str | None]:
    """What a draft to a prospect is checked with (the composer and `earned check --prospect` alike): its
    facts, each cited_before when a sent message cited it, and for a follow-up the last email sent (the one
    it forwards: a call or LinkedIn note logged since is not it)."""
    used = {fid for t in touches for fid in t.cited_fact_ids}
    checked = [{**f.as_check_dict(), "cited_before": f.id in used} for f in facts]
    emails = [t for t in touches if t.kind in EMAIL_KINDS]
    previous = emails[-1].text if emails and kind == "follow-up" else None
    return checked, previous
