"""Cases that fool naive checkers, in both directions. Spans must index the text exactly."""
from datetime import date

import pytest

from app.compose import check_text
from app.compose.rulepack import default_pack

FACTS = default_pack().example_defaults["facts"]
TODAY = date(2026, 11, 22)


def check(text, kind="first-touch", previous=None):
    return check_text(text, kind, FACTS, previous=previous, company="Harbor & Pine Freight", today=TODAY)


def verdict(text, rule_id, kind="first-touch", previous=None):
    return next(r for r in check(text, kind, previous)["rules"] if r["id"] == rule_id)


GOOD_FIRST_TOUCH = """Subject: Reno check-ins

Hi Dana,

Congrats on opening the second cross-dock in Reno [^1]. With 12 dock supervisor roles open there [^2], \
late carrier check-ins can quietly eat overtime: you mentioned about 40 hours a month [^3].

Teams your size cut that in half by letting carriers check in from the cab. Would a two-minute video of \
how that works be useful?

Best,
Jordan Lee
Account Executive, Dockly
+1 (555) 010-2030"""

GOOD_FOLLOW_UP = """Want to follow up in case this e-mail got buried. Your careers page now lists 12 supervisor roles \
in Reno [^2]. What would be a good next step?

---------- Forwarded message ---------
From: Jordan Lee <jordan@dockly.example>

Hi Dana,

Congrats on the Reno cross-dock [^1]. How are check-ins holding up?

Best,
Jordan"""


def test_a_good_first_touch_passes_every_rule():
    result = check(GOOD_FIRST_TOUCH)
    assert result["ok"]
    assert {r["status"] for r in result["rules"]} == {"pass"}, [r for r in result["rules"] if r["status"] != "pass"]
    ids = [r["id"] for r in result["rules"]]  # every first-touch rule of the pack, however many there are
    assert ids == [r.id for r in default_pack().for_kind("first-touch")] and {
        "cites-research", "relevance", "fresh-facts", "insight", "no-entitlement", "one-ask", "length",
        "readability", "subject", "fact-reuse"} <= set(ids)


def test_a_good_follow_up_passes_every_rule():
    previous = "Hi Dana,\n\nCongrats on the Reno cross-dock [^1]. How are check-ins holding up?\n\nBest,\nJordan"
    result = check(GOOD_FOLLOW_UP, "follow-up", previous)
    assert {r["status"] for r in result["rules"]} == {"pass"}, [r for r in result["rules"] if r["status"] != "pass"]
    ids = [r["id"] for r in result["rules"]]
    assert ids == [r.id for r in default_pack().for_kind("follow-up")] and {
        "cites-research", "relevance", "fresh-facts", "no-entitlement", "follow-up-short", "not-a-repeat",
        "readability", "fact-reuse"} <= set(ids)


@pytest.mark.parametrize("greeting", ["Hi Sam,", "Hello,", "Dear Dr. Patel,", "Hey Sam!", "Good morning Dana,",
                                      "Sam,", "Hi Sam", "Dear Dr. Patel"])
def test_greetings_fail_a_follow_up(greeting):
    text = f"{greeting}\nThe Reno cross-dock [^1] looks busy. What would be a good next step?"
    r = verdict(text, "follow-up-short", "follow-up")
    assert r["status"] == "fail" and "greeting" in r["message"]
    [[s, e]] = r["spans"]
    assert text[s:e].strip() == greeting


@pytest.mark.parametrize("signature", [
    "Best,\nJordan", "Thanks,\nJordan", "Cheers", "Best regards,\nJordan Lee\nAccount Executive\n555-010-2030",
    "Best, Jordan", "Thanks!", "--\nJordan Lee\nDockly", "Jordan Lee\nAccount Executive | Dockly\n+1 555 010 2030",
    "Kind regards\nJordan", "- Jordan",
])
def test_signatures_fail_a_follow_up(signature):
    text = f"The Reno cross-dock [^1] looks busy. What would be a good next step?\n\n{signature}"
    r = verdict(text, "follow-up-short", "follow-up")
    assert r["status"] == "fail" and "signature" in r["message"], r
    assert any(text[s:e].startswith(signature.split("\n")[0]) for s, e in r["spans"])


@pytest.mark.parametrize("text", [
    "Thanks for the podcast tip [^3]. What would be a good next step?",
    "Best practice at Reno [^1] is to check in early. Is that a priority?",
    "Cheers to the Reno team on the new cross-dock [^1]. What would be a good next step?",
    "Hiring 12 supervisors in Reno [^2] is a lot. Is there some way to find out if this is a priority?",
    "Saw the Reno cross-dock [^1] is live.\nIs check-in time a priority for the Reno Team?",
])
def test_sentences_that_merely_start_like_greetings_or_sign_offs_pass(text):
    assert verdict(text, "follow-up-short", "follow-up")["status"] == "pass"


@pytest.mark.parametrize("text, rule_id, expected", [
    ("Did you receive the permits for Reno [^1]?", "no-entitlement", "pass"),
    ("Did you receive my last email about Reno [^1]?", "no-entitlement", "fail"),
    ("As you mentioned, Reno [^1] is busy. Is that right?", "no-entitlement", "pass"),
    ("As I mentioned, Reno [^1] is busy. Is that right?", "no-entitlement", "fail"),
    ("Per my last email, Reno [^1] is busy.", "no-entitlement", "fail"),
    ("Just bumping this: Reno [^1]. Thoughts?", "no-entitlement", "fail"),
    ("I’m sure you’re busy with Reno [^1]. Thoughts?", "no-entitlement", "fail"),
    ("Subject: Re: Reno\n\nCongrats on Reno [^1]. How is it?", "subject", "fail"),
    ("Subject: Renovation at Reno\n\nCongrats on Reno [^1]. How is it?", "subject", "pass"),
    ("Subject: Fwd Reno\n\nCongrats on Reno [^1]. How is it?", "subject", "pass"),
])
def test_word_boundaries_and_prefixes(text, rule_id, expected):
    assert verdict(text, rule_id)["status"] == expected


def test_spans_are_python_offsets_after_emoji():
    text = "🎉🎉 Congrats on Reno [^1]! 🚚 Just checking in: did you see my last email? [^77]"
    result = check(text)
    by_id = {r["id"]: r for r in result["rules"]}
    [[s, e]] = by_id["cites-research"]["spans"]
    assert text[s:e] == "[^77]"
    found = {text[s:e] for s, e in by_id["no-entitlement"]["spans"]}
    assert found == {"Just checking in", "did you see my last email"}


def test_unknown_marker_fails_even_beside_a_good_one():
    r = verdict("Congrats on the Reno cross-dock [^1] [^x9]. How is it going?", "cites-research")
    assert r["status"] == "fail" and "[^x9]" in r["message"]


def test_stale_news_warns_with_its_marker_but_notes_never_expire():
    r = verdict("Congrats on the Cascadia Rail partnership [^4]. How is it going?", "fresh-facts")
    assert r["status"] == "warn" and "[^4]" in r["message"]
    assert verdict("Dana said check-ins cost 40 hours of overtime [^3]. Still?", "fresh-facts")["status"] == "pass"


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="first-touch or follow-up"):
        check_text("x", "cold-call", [])


def test_tuned_threshold_changes_the_verdict():
    text = ("The Reno cross-dock [^1] adds 120 jobs and 12 supervisor roles [^2], and every new person there "
            "needs to learn check-ins fast. What would be a good next step?")
    assert verdict(text, "follow-up-short", "follow-up")["status"] == "pass"
    tight = default_pack().tuned({"follow-up-short": {"max_words": 20}})
    result = check_text(text, "follow-up", FACTS, today=TODAY, pack=tight)
    r = next(r for r in result["rules"] if r["id"] == "follow-up-short")
    assert r["status"] == "fail" and "20 words" in r["message"]


@pytest.mark.parametrize("text, expected", [
    ("Did you get a chance to read my note about Reno [^1]?", "fail"),
    ("I've reached out several times about Reno [^1]. Thoughts?", "fail"),
    ("This is my third email about the Reno dock [^1].", "fail"),
    ("I'll assume you're not interested in Reno [^1].", "fail"),
    ("I'd appreciate the courtesy of a reply about Reno [^1].", "fail"),
    ("Did you get a chance to visit the Reno dock [^1]?", "pass"),
    ("This is my third year covering freight, and Reno [^1] stood out. Thoughts?", "pass"),
])
def test_more_entitlement_phrases(text, expected):
    assert verdict(text, "no-entitlement")["status"] == expected


@pytest.mark.parametrize("text, expected", [
    ("At Dockly, we help 3PLs cut check-in time. Saw Reno [^1]. Worth a look?", "fail"),
    ("We help docks like yours check carriers in faster. Saw Reno [^1]. Worth a look?", "fail"),
    ("I'm the founder of Dockly. Saw Reno [^1]. Worth a look?", "fail"),
    ("At Reno [^1], your team added 120 jobs. How are check-ins going?", "pass"),
    ("Your Reno cross-dock [^1] added 120 jobs to your team. We helped Cascadia halve check-ins. Worth a look?", "pass"),
])
def test_pitch_openers(text, expected):
    assert verdict(text, "insight")["status"] == expected


def test_contact_lines_and_sent_from_are_signatures():
    for tail in ("Jordan Lee | Dockly | jordan@dockly.example", "Sent from my iPhone"):
        text = f"Saw the Reno cross-dock [^1]. What would be a good next step?\n\n{tail}"
        assert verdict(text, "follow-up-short", "follow-up")["status"] == "fail", tail


def test_fact_reuse_reads_markers_in_the_previous_message_and_fact_flags():
    facts = [{"id": 7, "kind": "note", "text": "Reno cross-dock opened", "cited_in": ["2026-11-01"]}]
    result = check_text("Saw the Reno cross-dock [^7]. Next step?", "follow-up", facts, today=TODAY)
    assert next(r for r in result["rules"] if r["id"] == "fact-reuse")["status"] == "warn"
