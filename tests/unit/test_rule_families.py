"""Families with slots (app/compose/families.py): the development set as tests, the compiler's grammar, and
the parts of a draft the rules lean on (greeting, signature, P.S., the prospect's names)."""
import json
from datetime import date
from pathlib import Path

import pytest

from app.compose import check_text
from app.compose.analysis import Analysis
from app.compose.families import FamilyError, FamilyMatcher, compile_matcher
from app.compose.phrases import PhraseMatcher
from app.compose.rulepack import RulePackError, default_pack, load_pack

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "outreach_dev.jsonl"
PACK = default_pack()
DEFAULTS = PACK.example_defaults
TODAY = date.fromisoformat(DEFAULTS["today"])
COMPANY = DEFAULTS["company"]


def rule_result(text, kind, rule_id, company=COMPANY):
    result = check_text(text, kind, DEFAULTS["facts"], company=company, today=TODAY)
    return next(r for r in result["rules"] if r["id"] == rule_id)


# -- the development set ------------------------------------------------------------------------------
def _dev_cases():
    rows = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    for n, row in enumerate(rows):
        for rule_id, expected in row["expected"].items():
            words = "-".join(row["text"].split()[:5])
            yield pytest.param(row, rule_id, expected, id=f"{n:03d}-{rule_id}-{expected}-{words}")


@pytest.mark.parametrize("row, rule_id, expected", list(_dev_cases()))
def test_dev_set(row, rule_id, expected):
    r = rule_result(row["text"], row["kind"], rule_id)
    assert r["status"] == expected, (
        f"\n{rule_id} on this {row['kind']} ({row.get('family') or row.get('note') or 'good message'}):\n"
        f"{row['text']}\nexpected {expected}, got {r['status']}: {r['message']}\n"
        f"spans: {[row['text'][s:e] for s, e in r['spans']]}")


def test_the_dev_set_is_big_and_varied_enough():
    rows = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 200
    families = {}
    for row in rows:
        if row.get("family"):
            families[row["family"]] = families.get(row["family"], 0) + 1
    for family in ("did-you-see", "silence-reproach", "busy-excuse", "nudge", "pressure", "lost-you"):
        assert families.get(family, 0) >= 15, family
    assert sum(1 for row in rows if "pass" in row["expected"].values()) >= 60


@pytest.mark.parametrize("text", [
    "Want to follow up in case this e-mail got buried.", "What would be a good next step?",
    "Is there some way to find out if this is a priority?",
])
def test_the_articles_own_follow_ups_pass(text):
    assert rule_result(text, "follow-up", "no-entitlement")["status"] == "pass"


def test_the_message_names_the_family_and_the_span_is_the_phrase():
    text = "Congrats on Reno [^1]. I’m sure you’re swamped, so just circling back: have you had time to go through what I sent?"
    r = rule_result(text, "follow-up", "no-entitlement")
    found = [text[s:e] for s, e in r["spans"]]
    assert found == ["I’m sure you’re swamped", "just circling back", "have you had time to go through what I sent"]
    assert "(excusing their silence for them; a nudge; asking if they saw your last message)" in r["message"]
    opener = rule_result("Jordan here from Dockly. Saw Reno [^1]. How are your check-ins?", "first-touch", "insight")
    assert opener["status"] == "fail" and "a self-introduction" in opener["message"]


def test_the_forwarded_original_is_not_checked():
    text = ("Is Reno [^1] a priority this quarter?\n\n---------- Forwarded message ---------\n"
            "Just checking in, did you see my last email?")
    assert rule_result(text, "follow-up", "no-entitlement")["status"] == "pass"


# -- the compiler -------------------------------------------------------------------------------------
def matches(table, text, company=None, kind="first-touch"):
    """What a family table finds in text (as the existence check finds it, with the draft's analysis)."""
    a = Analysis(text, kind, [], None, company, TODAY)
    return [text[s:e] for s, e in a.find_phrases(FamilyMatcher(table), (0, len(text)))]


def test_slots_expand_into_alternatives_and_nest():
    table = {"slots": {"SEEN": ["see", "saw", "(look|looked) at"], "MSG": "my (last )?(e-?mail|note)",
                       "EARLIER": ["{MSG}", "what I sent"]},
             "patterns": ["did you {SEEN} {EARLIER}"]}
    assert matches(table, "Did you look at my last e-mail? Did you saw what I sent?") == [
        "Did you look at my last e-mail", "Did you saw what I sent"]
    assert matches(table, "Did you see the permits?") == []


def test_optional_words_and_slots():
    table = {"slots": {"SOFT": "(quickly|briefly)"},
             "patterns": ["(I )? (just)? {SOFT?} (checking|circling) (back|in)", "(still )?bumping this"]}
    assert matches(table, "Just checking in. I quickly circling back? checking in. Still bumping this, bumping this") == [
        "Just checking in", "I quickly circling back", "checking in", "Still bumping this", "bumping this"]


def test_gaps_are_bounded_and_stay_in_the_sentence():
    table = {"patterns": ["did you {OPT2} see my note"]}
    assert matches(table, "Did you by chance see my note?") == ["Did you by chance see my note"]
    assert matches(table, "Did you, by chance, see my note?") == ["Did you, by chance, see my note"]
    assert matches(table, "Did you ever by chance see my note?") == []  # three words between
    assert matches(table, "Did you win? See my note.") == []  # a gap does not cross a sentence's end


def test_look_arounds():
    table = {"patterns": ["{START} checking in {END}", "you must be busy {NOT:at the gate}",
                          "{NOT_AFTER:when|if} you're slammed", "anyone there {QUESTION}"]}
    text = ("Checking in. Drivers are checking in. You must be busy. You must be busy at the gate. "
            "When you're slammed, call. You're slammed! Anyone there? Anyone there.")
    assert matches(table, text) == ["Checking in", "You must be busy", "You're slammed", "Anyone there"]


def test_the_sender_is_never_the_prospect_and_their_company_must_be_theirs():
    table = {"patterns": ["{SENDER_ORG} is the leading", "are you still at {THEIR_COMPANY}"]}
    text = "Dockly is the leading app. Harbor & Pine is the leading 3PL. Are you still at Harbor & Pine? Are you still at Manifest?"
    assert matches(table, text, company="Harbor & Pine Freight") == [
        "Dockly is the leading", "Are you still at Harbor & Pine"]


def test_glued_optional_word_before_a_slot():
    table = {"slots": {"YOU": "(you|you've)"}, "patterns": ["confirming (that )?{YOU} (got|received) it"]}
    assert matches(table, "Confirming you got it. Confirming that you've received it.") == [
        "Confirming you got it", "Confirming that you've received it"]


def test_case_and_curly_apostrophes():
    table = {"patterns": ["I haven't heard back"]}
    assert matches(table, "i HAVEN’T heard back yet") == ["i HAVEN’T heard back"]


@pytest.mark.parametrize("table, message", [
    ({"patterns": ["did you {SEEN} it"]}, "unknown slot {SEEN}"),
    ({"slots": {"A": "x {B}", "B": "y {A}"}, "patterns": ["{A}"]}, "refers to itself"),
    ({"slots": {"A": "x"}, "patterns": ["y"]}, "slot {A} is defined but no pattern uses it"),
    ({"slots": {"OPT2": "x"}, "patterns": ["y"]}, "built in"),
    ({"patterns": ["did you{SEEN}"]}, "stands alone"),
    ({"patterns": ["(maybe)?"]}, "can match nothing"),
    ({"patterns": ["{START} {END}"]}, "matches no words"),
    ({"patterns": ["x {NOT_AFTER:y}"]}, "must open the pattern"),
    ({"families": [{"name": "f", "patterns": ["x"], "colour": "red"}]}, "unknown key 'colour'"),
    ({"patterns": ["x (y"]}, "unbalanced"),
])
def test_a_malformed_family_table_is_a_clear_error(table, message):
    with pytest.raises(FamilyError, match=message.replace("(", r"\(").replace("{", r"\{").replace("}", r"\}")):
        FamilyMatcher(table)


PACK_HEAD = """
[[rules]]
id = "guilt"
applies_to = ["follow-up"]
description = "No guilt."
source = "Test."

[[rules.checks]]
kind = "existence"
level = "fail"
message = "Drop “{match}” ({family})."

[rules.checks.tokens.slots]
SEEN = ["see", "saw"]

[[rules.checks.tokens.families]]
name = "did-you-see"
label = "asking if they saw it"
"""


def test_an_unknown_slot_in_a_pack_is_a_rule_pack_error_naming_the_rule_and_slot(tmp_path):
    path = tmp_path / "pack.toml"
    path.write_text(PACK_HEAD + 'patterns = ["did you {SEEN} my {MSG}"]\n', encoding="utf-8")
    with pytest.raises(RulePackError) as err:
        load_pack(path)
    text = str(err.value)
    assert "rule guilt" in text and "unknown slot {MSG}" in text and "did-you-see" in text and "pack.toml:" in text


def test_a_family_table_in_a_pack_checks_and_names_its_family(tmp_path):
    path = tmp_path / "pack.toml"
    path.write_text(PACK_HEAD + 'patterns = ["did you {SEEN} my note"]\n', encoding="utf-8")
    pack = load_pack(path)
    result = check_text("Did you see my note?", "follow-up", [], pack=pack)
    assert result["rules"][0]["message"] == "Drop “Did you see my note” (asking if they saw it)."


def test_phrase_lists_still_work_beside_families():
    assert isinstance(compile_matcher(["checking in"]), PhraseMatcher)
    assert isinstance(compile_matcher({"patterns": ["checking in"]}), FamilyMatcher)
    subject = next(c for c in PACK.get("subject").checks if c.kind == "existence")
    assert isinstance(subject.matchers["tokens"], PhraseMatcher)


def test_the_bundled_families_compile_and_no_guilt_pattern_is_tried_at_every_word():
    for rule_id in ("no-entitlement", "insight"):
        matcher = PACK.get(rule_id).checks[0].matchers["tokens"]
        assert matcher.compile_all() > 20
    guilt = PACK.get("no-entitlement").checks[0].matchers["tokens"]
    assert guilt.anyword == []  # each pattern is found by a word it starts with: one lookup a word
    assert all(f.label for f in guilt.families)


def test_patterns_compile_when_first_needed():
    matcher = FamilyMatcher({"patterns": ["did you see my note", "have you read my note"]})
    assert not any(p.compiled for p in matcher.patterns)  # loading the pack compiles nothing
    a = Analysis("Did you see my note?", "follow-up", [], None, None, TODAY)
    a.find_phrases(matcher, (0, len(a.text)))
    assert [p.compiled for p in matcher.patterns] == [True, False]


def test_a_table_of_single_words_is_also_a_set():
    matcher = FamilyMatcher({"patterns": ["you", "(your|yours)", "{THEIR_COMPANY}"]})
    assert matcher.words == {"you", "your", "yours"} and matcher.counts_prospect == {"company"}


# -- the draft's parts --------------------------------------------------------------------------------
def analysis(text, kind="follow-up", company=COMPANY):
    return Analysis(text, kind, DEFAULTS["facts"], None, company, TODAY)


def part(a, span):
    return a.text[span[0]:span[1]] if span else None


def test_a_closing_phrase_before_the_name_is_the_sign_off():
    a = analysis("Is check-in training a priority?\n\nLooking forward to hearing from you,\nSam")
    assert part(a, a.signature) == "Looking forward to hearing from you,\nSam"
    a = analysis("Is check-in training a priority? Looking forward to hearing from you,\nSam")
    assert part(a, a.signature) == "Looking forward to hearing from you,\nSam"
    assert a.text[slice(*a.sentences[0])] == "Is check-in training a priority?"


def test_a_multi_line_signature_with_title_company_domain_and_phone():
    text = ("Is check-in training a priority?\n\nJordan Lee\nAccount Executive, Dockly\ndockly.example\n"
            "m: +1 (555) 010-2030")
    a = analysis(text)
    assert part(a, a.signature).startswith("Jordan Lee") and part(a, a.signature).endswith("2030")


def test_a_p_s_under_the_signature_is_content():
    text = "Is check-in training a priority?\n\nBest,\nJordan\n\nP.S. Are you at Manifest in February?"
    a = analysis(text)
    assert part(a, a.signature) == "Best,\nJordan"
    assert part(a, a.postscript) == "P.S. Are you at Manifest in February?"
    assert [a.text[s:e] for s, e in a.questions] == ["Is check-in training a priority?",
                                                     "P.S. Are you at Manifest in February?"]
    assert "jordan" not in a.content_lower and "manifest" in a.content_lower


def test_a_signature_never_swallows_a_content_paragraph():
    text = ("The Reno team is hiring 12 supervisors [^2].\n\nHere is the two-minute video: https://dockly.example/v\n\n"
            "Jordan Lee\nDockly")
    a = analysis(text)
    assert part(a, a.signature) == "Jordan Lee\nDockly"
    a = analysis("Three ideas:\nFaster Check-Ins\nFewer Empty Doors")
    assert a.signature is None


@pytest.mark.parametrize("text, greeting", [
    ("Dana,\nIs this a priority?", "Dana,"),
    ("Dana, is this a priority?", "Dana,"),
    ("Morning Dana,\nIs this a priority?", "Morning Dana,"),
    ("Sam —\nIs this a priority?", "Sam —"),
    ("Reno, Nevada is busy. Is this a priority?", None),
    ("Thanks, I saw the Reno news. Is this a priority?", None),
    ("Hello from the Dockly team! Is this a priority?", None),
])
def test_greetings(text, greeting):
    got = part(analysis(text), analysis(text).salutation)
    assert (got.strip() if got else None) == greeting


def test_a_bare_name_opening_a_call_script_is_words_the_rep_says():
    a = analysis("Dana, congrats on the second cross-dock in Reno [^1].", kind="call-script")
    assert a.salutation is None


def test_the_prospects_company_and_greeted_people_are_on_their_side():
    a = analysis("Hi Dana,\n\nHarbor & Pine Freight opened Reno; Dana’s team and Harbor & Pine’s carriers too.",
                 kind="first-touch")
    assert a.greeting_names == ("Dana",)
    assert [(kind, a.text[s:e]) for kind, (s, e) in a.prospect_mentions] == [
        ("people", "Dana"), ("company", "Harbor & Pine Freight"), ("people", "Dana’s"), ("company", "Harbor & Pine’s")]


@pytest.mark.parametrize("text, status", [
    ("Congrats on Reno [^1]. I think your dock could use it. Thoughts?", "warn"),  # a tie is not more about them
    ("Hi Dana,\n\nCongrats on Reno [^1]. I wonder how Dana’s team and your supervisors handle it. Thoughts?", "pass"),
    ("Harbor & Pine opened Reno [^1]. I have an idea. Interested?", "warn"),  # one each
    ("Harbor & Pine opened Reno [^1], and your team is hiring. I have an idea. Interested?", "pass"),
    ("Congrats on Reno [^1]. Thoughts?", "pass"),  # no I/we at all
])
def test_the_you_we_ratio(text, status):
    assert rule_result(text, "first-touch", "insight")["status"] == status
