"""Rule packs validate themselves at load (file, rule and line in every error), a team's pack in the
data folder lays over the built-in one, and saved thresholds survive renamed params."""
import json
import logging
from datetime import date

import pytest

from app.compose import check_text, checks, vocab
from app.compose.analysis import Analysis
from app.compose.phrases import PhraseMatcher
from app.compose.rulepack import Check, RulePackError, default_pack, load_pack, team_pack, team_pack_path
from tests.conftest import run_app

PACK = """\
version = 1

[examples]
today = "2026-11-22"

[[rules]]
id = "short"
applies_to = ["first-touch"]
description = "Short."
source = "Lavender."
params = { max_words = 50 }
param_help = { max_words = "most words" }

[[rules.checks]]
kind = "metric"
feature = "words"
max = "$max_words"
level = "fail"
message = "{value} words is too long."

[[rules.examples]]
expect = "pass"
text = "Congrats on Reno."

[[rules]]
id = "polite"
applies_to = ["first-touch", "follow-up"]
description = "No entitlement."
source = "Brock."

[[rules.checks]]
kind = "existence"
scope = "message"
level = "fail"
message = "Drop {match}."
tokens = ["checking in"]
"""


def write(tmp_path, text, name="pack.toml"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def edited(old: str, new: str, text: str = PACK) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    [n] = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return n


def test_the_sample_pack_and_the_builtin_pack_load(tmp_path):
    pack = load_pack(write(tmp_path, PACK))
    assert [r.id for r in pack.rules] == ["short", "polite"]
    assert pack.get("short").overridable and pack.age_limits() == {}
    builtin = default_pack()
    assert not builtin.get("cites-research").overridable and builtin.overridable("relevance")
    assert builtin.age_limits() == {"news": 90, "feed": 90, "hiring": 90, "filing": 90, "site": 365}


# (what to change in PACK, the text of the line the error must name, the rule it must name, what it must say)
ERRORS = [
    pytest.param('source = "Lavender."\n', 'source = "Lavender."\ncolour = "red"\n', 'colour = "red"', "short",
                 "unknown key 'colour'", id="rule-key"),
    pytest.param('feature = "words"\n', 'feature = "words"\nmaximum = 3\n', "maximum = 3", "short",
                 "unknown key 'maximum' in a metric check", id="check-key"),
    pytest.param('expect = "pass"\n', 'expect = "pass"\nexpected = "fail"\n', 'expected = "fail"', "short",
                 "unknown key 'expected' in an example", id="example-key"),
    pytest.param('version = 1\n', 'version = 1\nverison = 2\n', "verison = 2", None,
                 "unknown key 'verison'", id="top-key"),
    pytest.param('today = "2026-11-22"\n', 'today = "2026-11-22"\ntomorrow = "2026-11-23"\n', "tomorrow =", None,
                 "unknown key 'tomorrow' in [examples]", id="examples-defaults-key"),
    pytest.param('kind = "existence"\n', 'kind = "existance"\n', 'kind = "existance"', "polite",
                 "check kind 'existance' is not one of", id="kind"),
    pytest.param('scope = "message"\n', 'scope = "body"\n', 'scope = "body"', "polite",
                 "scope 'body' is not one of", id="scope"),
    pytest.param('feature = "words"\n', 'feature = "sentences"\n', 'feature = "sentences"', "short",
                 "feature 'sentences' is not one of", id="metric-feature"),
    pytest.param('kind = "metric"\nfeature = "words"\nmax = "$max_words"\n', 'kind = "citation"\ntest = "fresher"\n',
                 'test = "fresher"', "short", "test 'fresher' is not one of", id="citation-test"),
    pytest.param('scope = "message"\n', 'scope = "message"\nanchor = "end"\n', 'anchor = "end"', "polite",
                 "anchor 'end' is not one of", id="anchor"),
    pytest.param('kind = "existence"\nscope = "message"\n', 'kind = "script"\nname = "greting"\n', 'name = "greting"',
                 "polite", "script 'greting' is not one of", id="script"),
    pytest.param('kind = "existence"\nscope = "message"\n', 'kind = "script"\nname = "greeting"\n', "tokens = [",
                 "polite", "unknown key 'tokens' in a greeting script check", id="script-option"),
    pytest.param('max = "$max_words"\n', 'max = "$max_wrds"\n', '"$max_wrds"', "short",
                 "$max_wrds refers to no param of this rule (max_words)", id="param-ref"),
    pytest.param('feature = "words"\n', 'feature = "words"\nmessage_many = "Too many."\n', "message_many", "short",
                 "unknown key 'message_many' in a metric check", id="message-variant"),
    pytest.param('level = "fail"\nmessage = "{value}', 'level = "error"\nmessage = "{value}', 'level = "error"',
                 "short", "level must be warn or fail", id="level"),
    pytest.param('param_help = { max_words = "most words" }', 'param_help = { max_word = "most words" }',
                 "param_help =", "short", "param_help names 'max_word'", id="param-help"),
    pytest.param('params = { max_words = 50 }\n', 'params = { max_words = 50 }\nrenamed_params = { words = "max" }\n',
                 "renamed_params", "short", "becomes 'max', which is not one of its params", id="renamed-to-nothing"),
    pytest.param('params = { max_words = 50 }\n', 'params = { max_words = 50 }\noverridable = "no"\n',
                 "overridable", "short", "overridable must be true or false", id="overridable"),
    pytest.param('params = { max_words = 50 }\n', 'params = { max_words = 50 }\nage_days = { news = "$news_days" }\n',
                 "age_days", "short", "$news_days refers to no param", id="age-days-ref"),
    pytest.param('applies_to = ["first-touch"]\n', 'applies_to = ["cold-call"]\n', "cold-call", "short",
                 "applies_to must list message kinds", id="applies-to"),
    pytest.param('expect = "pass"\n', 'expect = "pass"\nkind = "follow-up"\n', 'kind = "follow-up"', "short",
                 "example kind 'follow-up' is not one the rule applies to", id="example-kind"),
    pytest.param('tokens = ["checking in"]\n', 'tokens = ["checking (in"]\n', "checking (in", "polite",
                 "bad pattern in tokens", id="pattern"),
]


@pytest.mark.parametrize("old, new, at, rule_id, says", ERRORS)
def test_each_kind_of_error_names_the_file_the_line_and_the_rule(tmp_path, old, new, at, rule_id, says):
    text = edited(old, new)
    path = write(tmp_path, text)
    with pytest.raises(RulePackError) as caught:
        load_pack(path)
    message = str(caught.value)
    assert says in message
    [problem] = caught.value.problems
    assert problem.startswith(f"{path}:{line_of(text, at)}: ")
    if rule_id:
        assert f"rule {rule_id}:" in problem


def test_a_duplicate_id_and_a_missing_key_name_their_own_lines(tmp_path):
    text = edited('id = "polite"\n', 'id = "short"\n')
    text = edited('source = "Brock."\n', "", text)
    path = write(tmp_path, text)
    with pytest.raises(RulePackError) as caught:
        load_pack(path)
    second = [i for i, line in enumerate(text.splitlines(), 1) if line == 'id = "short"'][1]
    assert caught.value.problems == (f"{path}:{second}: rule short: missing source",)

    text = edited('id = "polite"\n', 'id = "short"\n')
    path = write(tmp_path, text)
    with pytest.raises(RulePackError, match="duplicate id") as caught:
        load_pack(path)
    second = [i for i, line in enumerate(text.splitlines(), 1) if line == 'id = "short"'][1]
    assert caught.value.problems == (f"{path}:{second}: rule short: duplicate id (also at line 7)",)


def test_a_bad_table_of_phrase_families_names_its_header(tmp_path):
    text = edited('tokens = ["checking in"]\n', """\
[rules.checks.tokens.slots]
AGAIN = ["again", "back"]

[[rules.checks.tokens.families]]
name = "checking-in"
patterns = ["checking in {AGIAN}"]
""")
    path = write(tmp_path, text)
    with pytest.raises(RulePackError) as caught:
        load_pack(path)
    [problem] = caught.value.problems
    header = line_of(text, "[rules.checks.tokens.slots]")
    assert problem.startswith(f"{path}:{header}: rule polite: bad pattern in tokens")
    assert "AGIAN" in problem


def test_every_problem_is_listed_at_once(tmp_path):
    text = edited('scope = "message"\n', 'scope = "body"\n', edited('max = "$max_words"\n', 'max = "$nope"\n'))
    with pytest.raises(RulePackError) as caught:
        load_pack(write(tmp_path, text))
    assert len(caught.value.problems) == 2
    assert "rule short:" in caught.value.problems[0] and "rule polite:" in caught.value.problems[1]


def test_a_toml_syntax_error_names_the_file_and_line(tmp_path):
    text = edited('description = "Short."\n', 'description = "Short.\n')
    path = write(tmp_path, text)
    with pytest.raises(RulePackError, match=rf"pack\.toml.*line {line_of(text, 'Short.')}"):
        load_pack(path)


def test_the_vocabulary_matches_what_the_check_kinds_run():
    """Every kind has its options declared, and every word vocab.py accepts is one checks.py runs."""
    assert set(checks.KINDS) <= set(vocab.CHECK_OPTIONS)
    a = Analysis("Subject: Reno\n\nCongrats on Reno [^1]. How is it going?", "first-touch",
                 [{"id": 1, "kind": "news", "text": "Reno", "published": "2026-11-01"}], None, "Harbor",
                 date(2026, 11, 22))
    words = PhraseMatcher(["reno"])
    for (kind, option), choices in vocab.OPTION_CHOICES.items():
        for choice in choices:
            options = {option: choice, "max_age_days": {"news": 90}}
            check = Check(kind, "warn", "m", options, {"tokens": words, "numerator": words, "denominator": words})
            status, _, _ = checks.KINDS[kind](a, check, {})
            assert status in ("pass", "warn"), (kind, option, choice)


# -- a team's pack over the built-in one --------------------------------------------------------------
TEAM = """\
[[rules]]
id = "length"
applies_to = ["first-touch"]
description = "Our team keeps first touches under 60 words."
source = "Team playbook."
pass_message = "{value} words."
params = { max_words = 60 }

[[rules.checks]]
kind = "metric"
feature = "words"
max = "$max_words"
level = "fail"
message = "{value} words: our limit is {max}."

[[rules]]
id = "no-emoji-subject"
applies_to = ["first-touch"]
description = "No 'quick question' subjects."
source = "Team playbook."

[[rules.checks]]
kind = "existence"
scope = "subject"
level = "warn"
message = "Say what it is about, not “{match}”."
tokens = ["quick question"]
"""


def test_a_team_pack_replaces_rules_by_id_and_adds_new_ones(tmp_path):
    write(tmp_path, TEAM, "rules/outreach.toml")
    pack, error = team_pack(tmp_path)
    assert error is None
    builtin = [r.id for r in default_pack().rules]
    assert [r.id for r in pack.rules] == builtin + ["no-emoji-subject"]  # replaced in place, new ones after
    assert pack.get("length").description.startswith("Our team") and pack.get("length").params == {"max_words": 60}
    assert pack.get("relevance") is default_pack().get("relevance")
    text = "Subject: Quick question\n\nCongrats on the Reno cross-dock [^1]. " + "Word " * 60 + "Thoughts?"
    facts = [{"id": 1, "kind": "news", "text": "Harbor & Pine opened a cross-dock in Reno.", "published": "2026-11-01"}]
    by_id = {r["id"]: r for r in check_text(text, "first-touch", facts, today=date(2026, 11, 22), pack=pack)["rules"]}
    assert by_id["length"]["status"] == "fail" and "our limit is 60" in by_id["length"]["message"]
    assert by_id["no-emoji-subject"]["status"] == "warn"


def test_no_team_pack_is_the_builtin_pack(tmp_path):
    assert team_pack(tmp_path) == (default_pack(), None)


def test_a_malformed_team_pack_falls_back_to_the_builtin_one_with_a_clear_error(tmp_path):
    path = write(tmp_path, edited('feature = "words"\n', 'feature = "wordz"\n', TEAM), "rules/outreach.toml")
    assert path == team_pack_path(tmp_path)
    pack, error = team_pack(tmp_path)
    assert pack is default_pack()
    assert "built-in rules apply" in error and f"{path}:{line_of(TEAM, 'feature')}: rule length:" in error


def test_the_cli_reports_a_malformed_team_pack_and_goes_on(tmp_path, earned_home):
    write(earned_home, "[[rules]]\nid = 'x'\nwhat = 1\n", "rules/outreach.toml")
    draft = write(tmp_path, "Congrats on the Reno cross-dock. How is it going?", "d.txt")
    proc = run_app(earned_home, "check", str(draft), "--json")
    assert proc.returncode == 1  # checked, by the built-in rules: no citation fails
    assert "built-in rules apply" in proc.stderr and "outreach.toml:3: rule x: unknown key 'what'" in proc.stderr
    assert [r["id"] for r in json.loads(proc.stdout)["rules"]] == [r.id for r in default_pack().for_kind("first-touch")]


def test_the_cli_uses_a_good_team_pack(tmp_path, earned_home):
    write(earned_home, TEAM, "rules/outreach.toml")
    proc = run_app(earned_home, "rules", "--json")
    assert proc.returncode == 0 and proc.stderr == ""
    listed = {r["id"]: r for r in json.loads(proc.stdout)}
    assert listed["length"]["params"] == {"max_words": 60} and "no-emoji-subject" in listed


# -- saved thresholds ---------------------------------------------------------------------------------
def test_renamed_params_migrate_saved_overrides(tmp_path):
    text = edited('params = { max_words = 50 }\n',
                  'params = { max_words = 50 }\nrenamed_params = { limit = "max_words" }\n')
    pack = load_pack(write(tmp_path, text))
    tuned = pack.tuned({"short": {"limit": 3}})
    assert tuned.get("short").params == {"max_words": 3}
    result = check_text("Congrats on the Reno dock.", "first-touch", [], pack=tuned)
    assert result["rules"][0]["status"] == "fail" and "5 words" in result["rules"][0]["message"]
    # A value saved under the new name wins over one left under the old name.
    assert pack.tuned({"short": {"limit": 3, "max_words": 7}}).get("short").params == {"max_words": 7}


def test_unknown_saved_params_are_dropped_with_a_notice_and_the_rest_apply(caplog):
    caplog.set_level(logging.INFO, logger="app.compose.rulepack")
    tuned = default_pack().tuned({"follow-up-short": {"max_words": 20, "max_wordz": 3, "questions": "two"},
                                  "retired-rule": {"x": 1}})
    assert tuned.get("follow-up-short").params == {"max_words": 20, "questions": 1}
    notices = caplog.text
    assert "no tunable param max_wordz" in notices and "questions = 'two'" in notices and "retired-rule" in notices


def test_a_rule_that_is_not_overridable_refuses_tuning(tmp_path, caplog):
    pack = load_pack(write(tmp_path, edited('params = { max_words = 50 }\n',
                                            'params = { max_words = 50 }\noverridable = false\n')))
    assert not pack.overridable("short") and pack.overridable("polite") and pack.overridable("not-in-pack")
    caplog.set_level(logging.WARNING, logger="app.compose.rulepack")
    assert pack.tuned({"short": {"max_words": 5}}).get("short").params == {"max_words": 50}
    assert "short can't be tuned" in caplog.text


def test_age_limits_follow_tuned_params():
    tuned = default_pack().tuned({"fresh-facts": {"news_days": 30}})
    assert tuned.age_limits()["news"] == 30 and tuned.age_limits()["site"] == 365
    fresh = tuned.get("fresh-facts").checks[0]
    assert fresh.options["max_age_days"]["news"] == "$news_days"  # the check reads the rule's age_days
