"""Team mode's rules: teammate-touch (a teammate owns the account or touched the prospect lately; the owner may
copy over it) and team-hold (what nobody copies over: the do-not-contact list, and a teammate's claim on a rep
who doesn't own the account). A solo rep, with no team context, passes both."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from app.compose import check_text, team_rules
from app.compose.rulepack import RulePackError, default_pack, load_pack
from app.compose.send import CheckResult, decide
from app.core import models
from app.core.models import MESSAGE_KINDS

TODAY = date(2026, 11, 22)
PACK = default_pack()
FACTS = PACK.example_defaults["facts"]
DRAFT = ("Subject: Reno check-ins\n\nCongrats on the second cross-dock in Reno [^1]. How are carrier check-ins "
         "holding up?")
TEAM_RULES = ("teammate-touch", "team-hold")


def team(owner=None, owner_is_me=False, last_team_touch=None, do_not_contact=None, **extra):
    """A stand-in with TeamContext's four fields (and the optional ones: owner_since, days)."""
    return SimpleNamespace(owner=owner, owner_is_me=owner_is_me, last_team_touch=last_team_touch,
                           do_not_contact=do_not_contact, **extra)


def check(context, text=DRAFT, kind="first-touch", pack=PACK):
    return check_text(text, kind, FACTS, company="Harbor & Pine Freight", today=TODAY, pack=pack, team=context)


def rules(context, **kw):
    return {r["id"]: r for r in check(context, **kw)["rules"]}


def copy(context, overrides=()):
    """The composer's send decision on this draft (Copy with no overrides, Copy anyway with some)."""
    return decide(CheckResult.from_json(check(context)), PACK, overrides)


# -- the rules in the pack -------------------------------------------------------------------------------
def test_every_kind_gets_the_team_rules_and_only_teammate_touch_may_be_copied_over():
    for kind in MESSAGE_KINDS:
        assert set(TEAM_RULES) <= {r.id for r in PACK.for_kind(kind, team=True)}, kind
        assert not set(TEAM_RULES) & {r.id for r in PACK.for_kind(kind)}, kind  # a solo rep's list
    assert PACK.overridable("teammate-touch")
    assert not PACK.overridable("team-hold")
    assert all(PACK.get(r).level == "fail" for r in TEAM_RULES)


def test_the_window_is_not_a_threshold_a_rep_can_tune():
    """Settings tunes params: a rep shortening the team's window for themselves would defeat the rule."""
    assert PACK.get("teammate-touch").params == {}
    tuned = PACK.tuned({"teammate-touch": {"days": 1}})
    found = {r["id"]: r for r in check(team(last_team_touch=("Sam Lee", "2026-11-18")), pack=tuned)["rules"]}
    assert found["teammate-touch"]["status"] == "fail"


# -- a solo rep --------------------------------------------------------------------------------------------
def test_a_solo_rep_notices_no_difference():
    """Without a team the team rules are not checked at all: no extra checklist rows, the same result."""
    result = check(None)
    assert result["ok"], result["rules"]
    assert result == check_text(DRAFT, "first-touch", FACTS, company="Harbor & Pine Freight", today=TODAY)
    assert not set(TEAM_RULES) & {r["id"] for r in result["rules"]}
    # In a team, with nothing to say, they pass with a short row (every keystroke repaints them).
    found = {r["id"]: r for r in check(team())["rules"]}
    for rule_id in TEAM_RULES:
        assert found[rule_id]["status"] == "pass" and found[rule_id]["spans"] == []
    assert found["teammate-touch"]["message"] == "No teammate on this account."
    assert found["team-hold"]["message"] == "Not on the do-not-contact list."


def test_without_team_input_the_scripts_return_at_once():
    from app.compose.analysis import Analysis

    a = Analysis(DRAFT, "first-touch", FACTS, None, None, TODAY)
    assert a.team is None
    for name, script in team_rules.SCRIPTS.items():
        assert script(a, None, {}) is team_rules.PASS, name  # no check, no params read: nothing done


def test_a_team_with_nothing_to_say_passes():
    found = rules(team(owner="Jordan Lee", owner_is_me=True))
    assert all(found[r]["status"] == "pass" for r in TEAM_RULES)
    assert copy(team(owner="Jordan Lee", owner_is_me=True)).allowed


# -- a teammate's account ----------------------------------------------------------------------------------
def test_a_teammates_account_fails_says_who_and_only_the_owner_could_copy_over_it():
    context = team(owner="Dana Okafor", owner_since="2026-11-02")
    found = rules(context)
    assert found["teammate-touch"]["status"] == "fail"
    assert found["teammate-touch"]["message"] == ("Dana Okafor owns this account (since 2026-11-02): ask Dana "
                                                  "before writing.")
    assert found["team-hold"]["status"] == "fail"
    assert found["team-hold"]["message"] == ("Only Dana Okafor, who owns this account, can decide to write anyway: "
                                             "Copy anyway is the owner's call.")
    # Copy anyway is off: even naming teammate-touch, the rep who doesn't own the account can't copy over it.
    for overrides in ((), ("teammate-touch",), ("teammate-touch", "team-hold")):
        d = copy(context, overrides)
        assert not d.allowed and [r.id for r in d.blocking] == ["team-hold"]
    assert "team-hold can't be overridden" in copy(context).reason


def test_an_owner_without_a_since_date_is_still_named():
    found = rules(team(owner="Dana Okafor"))
    assert found["teammate-touch"]["message"] == "Dana Okafor owns this account: ask Dana before writing."


# -- a teammate's recent touch ----------------------------------------------------------------------------
def test_a_teammates_touch_within_the_window_says_who_and_when():
    found = rules(team(last_team_touch=("Sam Lee", "2026-11-18")))
    message = found["teammate-touch"]["message"]
    assert found["teammate-touch"]["status"] == "fail"
    assert message.startswith("Sam Lee contacted them on 2026-11-18 (4 days ago): two reps from one company")
    assert "nobody there listens" in message
    # Nobody owns it: nobody may copy over it ("agree who takes it").
    assert found["team-hold"]["status"] == "fail" and "Nobody owns this account" in found["team-hold"]["message"]
    assert not copy(team(last_team_touch=("Sam Lee", "2026-11-18")), ["teammate-touch"]).allowed


@pytest.mark.parametrize("kind, verb", [("first-touch", "emailed"), ("follow-up", "emailed"),
                                        ("linkedin-note", "sent a LinkedIn note to"), ("call-script", "called")])
def test_the_kind_of_the_touch_words_it_when_the_team_says(kind, verb):
    found = rules(team(last_team_touch=("Sam Lee", "2026-11-21T15:30:00+00:00", kind)))
    assert found["teammate-touch"]["message"].startswith(f"Sam Lee {verb} them on 2026-11-21 (yesterday):")


def test_the_owner_may_copy_over_a_teammates_recent_touch_and_the_log_records_it():
    context = team(owner="Jordan Lee", owner_is_me=True, last_team_touch=("Sam Lee", "2026-11-22"))
    found = rules(context)
    assert found["teammate-touch"]["status"] == "fail" and "(today)" in found["teammate-touch"]["message"]
    assert "It's your account" in found["teammate-touch"]["message"]
    assert found["team-hold"]["status"] == "pass"
    assert not copy(context).allowed  # a plain Copy still stops
    d = copy(context, ["teammate-touch"])
    assert d.allowed and d.overridden == ("teammate-touch",)


@pytest.mark.parametrize("day, days, status", [
    ("2026-11-08", None, "fail"),  # 14 days ago: still within 14
    ("2026-11-07", None, "pass"),  # 15 days ago
    ("2026-11-18", 3, "pass"),  # the team's own window wins over the pack's
    ("2026-11-20", 3, "fail"),
    ("2026-11-25", None, "fail"),  # a clock a little ahead: today, not "-3 days ago"
])
def test_the_window(day, days, status):
    extra = {"days": days} if days is not None else {}
    found = rules(team(last_team_touch=("Sam Lee", day), **extra))
    assert found["teammate-touch"]["status"] == status
    assert found["team-hold"]["status"] == status
    if day == "2026-11-25":
        assert "(today)" in found["teammate-touch"]["message"]


def test_a_touch_the_team_reports_without_a_readable_date_still_counts():
    found = rules(team(last_team_touch=("Sam Lee", "")))
    assert found["teammate-touch"]["message"].startswith("Sam Lee contacted them in the last 14 days:")


# -- do not contact -----------------------------------------------------------------------------------------
def test_do_not_contact_fails_for_everyone_and_nothing_copies_over_it():
    context = team(owner="Jordan Lee", owner_is_me=True, do_not_contact="Asked us to stop writing (2026-09-14).")
    found = rules(context)
    assert found["team-hold"]["status"] == "fail"
    assert found["team-hold"]["message"] == "On the team's do-not-contact list: Asked us to stop writing (2026-09-14)."
    assert found["teammate-touch"]["status"] == "pass"
    d = copy(context, ["team-hold"])
    assert not d.allowed and [r.id for r in d.blocking] == ["team-hold"]
    assert rules(team(do_not_contact=""))["team-hold"]["message"] == "On the team's do-not-contact list."


def test_every_failure_at_once():
    context = team(owner="Dana Okafor", last_team_touch=("Sam Lee", "2026-11-18"), do_not_contact="Legal hold.")
    found = rules(context, text="Congrats on the second cross-dock in Reno [^1]. Glad to connect.",
                  kind="linkedin-note")
    message = found["teammate-touch"]["message"]
    assert message.index("Dana Okafor owns this account") < message.index("Sam Lee contacted them")
    assert {found[r]["status"] for r in TEAM_RULES} == {"fail"}
    assert found["team-hold"]["message"].startswith("On the team's do-not-contact list: Legal hold. Only Dana Okafor")


# -- the context it takes -----------------------------------------------------------------------------------
def test_the_models_team_context_works_as_it_is():
    context_type = getattr(models, "TeamContext", None)
    if context_type is None:
        pytest.skip("app.core.models.TeamContext has not landed yet")
    found = rules(context_type(owner="Dana Okafor", owner_is_me=False, last_team_touch=("Sam Lee", "2026-11-18"),
                               do_not_contact=None))
    assert found["teammate-touch"]["status"] == "fail" and "Dana Okafor owns this account:" in \
        found["teammate-touch"]["message"]
    assert all(r["status"] == "pass" for r in check(context_type())["rules"] if r["id"] in TEAM_RULES)


def test_an_examples_team_table():
    context = team_rules.team_from_table({"owner": "Dana Okafor", "last_team_touch": ["Sam Lee", "2026-11-18"]})
    assert context.last_team_touch == ("Sam Lee", "2026-11-18") and context.owner_is_me is False
    assert team_rules.team_from_table(None) is None
    with pytest.raises(ValueError, match="ownr"):
        team_rules.team_from_table({"ownr": "Dana Okafor"})


PACK_WITH_TEAM_EXAMPLE = """\
version = 1

[[rules]]
id = "team"
applies_to = ["first-touch"]
description = "Team."
source = "Rules of engagement."

[[rules.checks]]
kind = "script"
name = "teammate_recent"
level = "fail"
days = 7
message = "{who} {verb} them {when}."

[[rules.examples]]
expect = "fail"
text = "Hi"
team = { last_team_touch = ["Sam Lee", "2026-11-18"] }
"""


def test_a_pack_may_give_an_example_a_team_and_a_team_check_its_window(tmp_path):
    path = tmp_path / "pack.toml"
    path.write_text(PACK_WITH_TEAM_EXAMPLE, encoding="utf-8")
    pack = load_pack(path)
    [example] = pack.get("team").examples
    result = check_text("Hi", "first-touch", [], today=TODAY, pack=pack,
                        team=team_rules.team_from_table(example["team"]))
    assert result["rules"][0]["message"] == "Sam Lee contacted them on 2026-11-18 (4 days ago)."
    # An option the script doesn't read is an error at load, as for every check.
    path.write_text(PACK_WITH_TEAM_EXAMPLE.replace("days = 7", "window = 7"), encoding="utf-8")
    with pytest.raises(RulePackError, match="unknown key 'window'"):
        load_pack(path)
