"""The send decision and the outgoing message, without Qt (app/compose/send.py)."""
from datetime import date

from app.compose import check_text
from app.compose.rulepack import default_pack
from app.compose.send import CheckResult, decide, forward_subject, outgoing
from app.core.models import Touch

PACK = default_pack()
FACTS = [{"id": 1, "kind": "note", "text": "Harbor & Pine opened a second cross-dock in Reno."}]
TODAY = date(2026, 11, 22)


def _checked(text: str, kind: str = "first-touch") -> CheckResult:
    return CheckResult.from_json(check_text(text, kind, FACTS, company="Harbor & Pine", today=TODAY, pack=PACK))


def test_a_clean_cited_message_may_go():
    d = decide(_checked("Subject: Reno dock\n\nCongrats on the second cross-dock in Reno [^1]. How are check-ins?"),
               PACK)
    assert d.allowed and d.overridden == () and d.reason == ""


def test_nothing_written_is_nothing_to_send():
    d = decide(None, PACK)
    assert not d.allowed and d.reason == "Write the message first."


def test_copy_anyway_copies_over_exactly_the_overridable_failures_and_says_so():
    result = _checked("Subject: Reno dock\n\nJust checking in about the Reno cross-dock [^1]. Any news?")
    assert [r.id for r in result.failures()] == ["no-entitlement"]
    assert not decide(result, PACK).allowed
    assert not decide(result, PACK, ["one-ask"]).allowed  # not the failing rule
    d = decide(result, PACK, ["no-entitlement"])
    assert d.allowed and d.overridden == ("no-entitlement",)


def test_the_citation_gate_is_the_rule_packs_and_cannot_be_copied_over():
    result = _checked("Subject: Reno dock\n\nJust checking in about the Reno cross-dock. Any news?")
    failing = {r.id for r in result.failures()}
    assert "cites-research" in failing and not PACK.overridable("cites-research")
    d = decide(result, PACK, sorted(failing))
    assert not d.allowed and [r.id for r in d.blocking] == ["cites-research"]
    assert d.reason.startswith("Not copied: cites-research can't be overridden")


def test_a_follow_up_forwards_the_last_email_under_its_subject():
    last = Touch(7, 1, "first-touch", "Reno dock", "Congrats on Reno.", (1,), (), "2026-11-20T09:00:00+00:00")
    message = outgoing("follow-up", "ignored", "Did this get buried? [^1]", last, to="Dana <dana@hp.example>")
    assert message.subject == "Fwd: Reno dock" and message.to == "Dana <dana@hp.example>"
    assert message.text.startswith("Did this get buried?") and "> Congrats on Reno." in message.text
    assert "[^" not in message.text and "2026-11-20" in message.text
    assert forward_subject("Fwd: Reno dock") == "Fwd: Reno dock"


def test_a_linkedin_note_has_no_subject_and_no_address():
    message = outgoing("linkedin-note", "a subject", "Saw the Reno news [^1].", None, to="dana@hp.example")
    assert message.subject == "" and message.to == "" and message.text == "Saw the Reno news."
