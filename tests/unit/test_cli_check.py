"""`earned check` and `earned rules`: the JSON contract, exit statuses and bad-input messages."""
import json

import pytest

from app.compose.rulepack import default_pack
from tests.conftest import run_app

FACTS = [{"id": 1, "kind": "news", "text": "Harbor & Pine opened a second cross-dock in Reno.",
          "source_url": "https://news.example/a", "source_title": "Gazette", "published": "2026-11-01"}]
FIRST_IDS = ["cites-research", "relevance", "fresh-facts", "insight", "no-entitlement", "one-ask", "length",
             "readability", "subject", "fact-reuse"]
FOLLOW_IDS = ["cites-research", "relevance", "fresh-facts", "no-entitlement", "follow-up-short", "not-a-repeat",
              "readability", "fact-reuse"]
# The rules only LinkedIn notes and call scripts have (tests/unit/test_message_kinds.py checks them per kind).
OTHER_KIND_IDS = ["linkedin-short", "no-pitch", "call-length", "call-reason-first", "call-next-step"]


def pack_ids(kind: str) -> list[str]:
    """The pack's rules for a kind, in its order: the lists above must be among them, but no test
    pins how many rules there are (rules get added)."""
    return [r.id for r in default_pack().for_kind(kind)]


@pytest.fixture
def files(tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(FACTS), encoding="utf-8")
    return tmp_path, facts


def write(folder, name, text, encoding="utf-8"):
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_json_contract_for_a_failing_first_touch(files, earned_home):
    folder, facts = files
    text = "Subject: Re: Reno\n\n🎉 Just checking in on the Reno cross-dock [^1]. How is it going?\n"
    draft = write(folder, "d.txt", text)
    proc = run_app(earned_home, "check", draft, "--facts", str(facts), "--today", "2026-11-22", "--json")
    assert proc.returncode == 1, proc.stderr
    out = json.loads(proc.stdout)  # exactly one object on stdout
    assert set(out) == {"ok", "kind", "words", "citations", "rules"}
    assert out["ok"] is False and out["kind"] == "first-touch" and out["citations"] == ["1"]
    assert [r["id"] for r in out["rules"]] == pack_ids("first-touch")
    assert set(FIRST_IDS) <= set(pack_ids("first-touch"))
    for r in out["rules"]:
        assert set(r) == {"id", "status", "message", "spans"} and r["status"] in ("pass", "warn", "fail")
    by_id = {r["id"]: r for r in out["rules"]}
    [[s, e]] = by_id["no-entitlement"]["spans"]
    assert text[s:e] == "Just checking in"
    [[s, e]] = by_id["subject"]["spans"]
    assert text[s:e] == "Re:"


def test_follow_up_inferred_from_previous_and_ok_exits_0(files, earned_home):
    folder, facts = files
    draft = write(folder, "f.txt", "Saw the second Reno cross-dock is live [^1]. What would be a good next step?")
    prev = write(folder, "p.txt", "Hi Dana,\n\nHow are carrier check-ins at your docks?\n\nBest,\nJordan")
    proc = run_app(earned_home, "check", draft, "--facts", str(facts), "--previous", prev, "--json",
                   "--today", "2026-11-22", "--company", "Harbor & Pine")
    assert proc.returncode == 0, proc.stdout
    out = json.loads(proc.stdout)
    assert out["ok"] and out["kind"] == "follow-up" and [r["id"] for r in out["rules"]] == pack_ids("follow-up")
    assert set(FOLLOW_IDS) <= set(pack_ids("follow-up"))


def test_readable_output_lists_every_rule_without_colour_when_piped(files, earned_home):
    folder, facts = files
    draft = write(folder, "d.txt", "Congrats on the Reno cross-dock. How is it going?")
    proc = run_app(earned_home, "check", draft, "--facts", str(facts))
    assert proc.returncode == 1
    assert "\x1b[" not in proc.stdout
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert any(line.startswith("✘ fail") and "cites-research" in line for line in lines)
    assert sum(1 for rid in FIRST_IDS if any(rid in line for line in lines)) == len(FIRST_IDS)


@pytest.mark.parametrize("setup, phrase", [
    (lambda f, x: ["check", str(f / "missing.txt")], "can't read the draft"),
    (lambda f, x: ["check", write(f, "bad.txt", "caf\xe9", "latin-1")], "not UTF-8"),
    (lambda f, x: ["check", write(f, "ok.txt", "hi"), "--facts", write(f, "n.json", "{nope")], "not valid JSON"),
    (lambda f, x: ["check", write(f, "ok.txt", "hi"), "--facts", write(f, "o.json", '{"id": 1}')], "JSON list of facts"),
    (lambda f, x: ["check", write(f, "ok.txt", "hi"), "--facts", write(f, "l.json", '[{"text": "x"}]')], "JSON list"),
    (lambda f, x: ["check", write(f, "ok.txt", "hi"), "--kind", "cold-call"], "invalid choice"),
    (lambda f, x: ["check", write(f, "ok.txt", "hi"), "--today", "22/11/2026"], "not a date"),
    (lambda f, x: ["check", str(f)], "can't read the draft"),
])
def test_bad_input_exits_2_with_a_message(files, earned_home, setup, phrase):
    folder, facts = files
    proc = run_app(earned_home, *setup(folder, facts))
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert phrase in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_rules_lists_levels_thresholds_and_sources(earned_home):
    proc = run_app(earned_home, "rules")
    assert proc.returncode == 0
    for rid in set(FIRST_IDS) | set(FOLLOW_IDS):
        assert rid in proc.stdout
    assert "max_words=50" in proc.stdout and "Boomerang" in proc.stdout
    listed = json.loads(run_app(earned_home, "rules", "--json").stdout)
    assert {r["id"] for r in listed} == {r.id for r in default_pack().rules}
    assert set(FIRST_IDS) | set(FOLLOW_IDS) | set(OTHER_KIND_IDS) <= {r["id"] for r in listed}
