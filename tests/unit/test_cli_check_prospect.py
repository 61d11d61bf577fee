"""`earned check FILE --prospect ID`: the draft is checked as the composer checks it for that prospect,
with the workspace's facts (cited_before from the sent log), company, thresholds and last message."""
import json
from datetime import date, datetime

import pytest

from app.compose import check_text, checks
from app.compose.rulepack import default_pack
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from tests.conftest import run_app

TODAY = "2026-11-22"
SENT = "Congrats on the Reno cross-dock. How are carrier check-ins holding up?"


@pytest.fixture
def workspace(earned_home):
    """A prospect with two facts, one of them cited in the message already sent to them."""
    earned_home.mkdir(parents=True, exist_ok=True)
    store = open_store(earned_home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    p = repo.add_prospect("Harbor & Pine Freight", "harborpine.example", "Dana")
    reno, _ = repo.add_fact(p.id, "news", "Harbor & Pine opened a second cross-dock in Reno, Nevada, adding 120 jobs.",
                            "https://news.example/hp-reno", "Reno Gazette", "2026-10-20")
    roles, _ = repo.add_fact(p.id, "site", "The careers page lists 12 open dock supervisor roles in Reno.",
                             "https://harborpine.example/careers", "Careers", "2026-09-01")
    fresh = repo.add_prospect("Northwind Robotics")
    store.conn.close()
    return {"home": earned_home, "id": p.id, "reno": reno.id, "roles": roles.id, "fresh": fresh.id}


def send(home, prospect_id, text, cited, kind="first-touch", day=20):
    store = open_store(home / "earned.db")
    WorkspaceRepo(store.conn).record_touch(prospect_id, kind, "Reno check-ins" if kind == "first-touch" else "",
                                           text, cited, sent_at=datetime(2026, 11, day, 9, 0))
    store.conn.close()


def check(ws, tmp_path, text, *args):
    draft = tmp_path / "draft.txt"
    draft.write_text(text, encoding="utf-8")
    proc = run_app(ws["home"], "check", str(draft), "--json", "--today", TODAY, *args)
    assert proc.returncode in (0, 1), proc.stderr
    return {r["id"]: r for r in json.loads(proc.stdout)["rules"]}, json.loads(proc.stdout)


def test_the_workspace_facts_are_what_citations_resolve_to(workspace, tmp_path):
    ws = workspace
    text = f"Subject: Reno check-ins\n\nCongrats on the second cross-dock in Reno [^{ws['reno']}]. How is it going?"
    rules, out = check(ws, tmp_path, text, "--prospect", str(ws["id"]))
    assert out["kind"] == "first-touch"  # nothing sent yet
    assert rules["cites-research"]["status"] == "pass" and rules["relevance"]["status"] == "pass"
    assert rules["fact-reuse"]["status"] == "pass"
    # Another prospect's fact is not this prospect's research.
    rules, _ = check(ws, tmp_path, text, "--prospect", str(ws["fresh"]))
    assert rules["cites-research"]["status"] == "fail" and f"[^{ws['reno']}]" in rules["cites-research"]["message"]


def test_a_follow_up_answers_the_last_message_and_knows_what_was_cited(workspace, tmp_path):
    ws = workspace
    send(ws["home"], ws["id"], SENT, [ws["reno"]])
    # Once something was sent, a draft is a follow-up of it: repeating it fails, its fact counts as used.
    rules, out = check(ws, tmp_path, f"Congrats on the Reno cross-dock [^{ws['reno']}]. How are carrier "
                                     "check-ins holding up?", "--prospect", str(ws["id"]))
    assert out["kind"] == "follow-up"
    assert rules["not-a-repeat"]["status"] == "fail" and "repeats your last message" in rules["not-a-repeat"]["message"]
    assert rules["fact-reuse"]["status"] == "warn" and f"[^{ws['reno']}]" in rules["fact-reuse"]["message"]
    rules, _ = check(ws, tmp_path, f"Your careers page lists 12 dock supervisor roles in Reno [^{ws['roles']}]. "
                                   "What would be a good next step?", "--prospect", str(ws["id"]))
    assert rules["not-a-repeat"]["status"] == "pass" and rules["fact-reuse"]["status"] == "pass"
    # cited_before comes from the sent log, not from markers in the last message (it was sent without them).
    rules, out = check(ws, tmp_path, f"Subject: Reno\n\nCongrats on Reno [^{ws['reno']}]. How is it going?",
                       "--prospect", str(ws["id"]), "--kind", "first-touch")
    assert out["kind"] == "first-touch" and rules["fact-reuse"]["status"] == "warn"


def test_a_follow_up_answers_the_last_email_not_a_note_logged_since(workspace, tmp_path):
    ws = workspace
    send(ws["home"], ws["id"], SENT, [ws["reno"]])
    send(ws["home"], ws["id"], "Dana, your Reno cross-dock caught my eye: mind if we connect?", [], "linkedin-note", 21)
    rules, out = check(ws, tmp_path, SENT, "--prospect", str(ws["id"]))
    assert out["kind"] == "follow-up" and rules["not-a-repeat"]["status"] == "fail"


def test_the_result_is_the_composers(workspace, tmp_path):
    """The same facts (cited_before set), company and previous message the composer passes to check_text."""
    ws = workspace
    send(ws["home"], ws["id"], SENT, [ws["reno"]])
    text = f"Saw the Reno cross-dock is hiring 12 supervisors [^{ws['roles']}] [^{ws['reno']}]. Next step?"
    _, out = check(ws, tmp_path, text, "--prospect", str(ws["id"]))
    store = open_store(ws["home"] / "earned.db")
    facts = [{**f.as_check_dict(), "cited_before": f.id == ws["reno"]}
             for f in WorkspaceRepo(store.conn).list_facts(ws["id"])]
    store.conn.close()
    expected = check_text(text, "follow-up", facts, previous=SENT, company="Harbor & Pine Freight",
                          today=date.fromisoformat(TODAY), pack=default_pack())
    assert out == expected


def test_saved_thresholds_and_the_team_pack_apply(workspace, tmp_path):
    ws = workspace
    store = open_store(ws["home"] / "earned.db")
    WorkspaceRepo(store.conn).set_setting("rule_overrides", {"length": {"max_words": 12}})
    store.conn.close()
    text = (f"Subject: Reno\n\nCongrats on the second cross-dock in Reno [^{ws['reno']}], and on the "
            "120 new jobs it brings. How is it going?")
    rules, _ = check(ws, tmp_path, text, "--prospect", str(ws["id"]))
    assert rules["length"]["status"] == "fail" and "limit 12" in rules["length"]["message"]
    rules, _ = check(ws, tmp_path, text)  # without --prospect: no workspace, the pack's own thresholds
    assert rules["length"]["status"] != "fail"

    if "leads_with_reason" not in checks.SCRIPTS:
        pytest.skip("no script reads the company name")
    (ws["home"] / "rules").mkdir()
    (ws["home"] / "rules" / "outreach.toml").write_text("""\
[[rules]]
id = "names-them"
applies_to = ["first-touch"]
description = "The first sentence names the company or cites a fact."
source = "Team playbook."

[[rules.checks]]
kind = "script"
name = "leads_with_reason"
level = "warn"
message = "Open with them."
""", encoding="utf-8")
    rules, _ = check(ws, tmp_path, "Harbor & Pine has a busy year ahead. How is it going?", "--prospect", str(ws["id"]))
    assert rules["names-them"]["status"] == "pass"  # the company name came from the workspace
    rules, _ = check(ws, tmp_path, "Harbor & Pine has a busy year ahead. How is it going?", "--prospect",
                     str(ws["fresh"]))
    assert rules["names-them"]["status"] == "warn"


@pytest.mark.parametrize("extra, flag", [
    (["--facts", "facts.json"], "--facts"),
    (["--company", "Acme"], "--company"),
    (["--previous", "last.txt"], "--previous"),
])
def test_prospect_with_facts_company_or_previous_is_a_usage_error(workspace, tmp_path, extra, flag):
    draft = tmp_path / "d.txt"
    draft.write_text("Hi", encoding="utf-8")
    proc = run_app(workspace["home"], "check", str(draft), "--prospect", str(workspace["id"]), *extra)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "--prospect" in proc.stderr and flag in proc.stderr and "Traceback" not in proc.stderr


def test_an_unknown_prospect_exits_2_with_a_clear_message(workspace, tmp_path):
    draft = tmp_path / "d.txt"
    draft.write_text("Hi", encoding="utf-8")
    proc = run_app(workspace["home"], "check", str(draft), "--prospect", "999")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "no prospect with id 999" in proc.stderr and "earned prospect list" in proc.stderr
