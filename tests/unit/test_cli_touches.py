"""`earned touches add --prospect ID --kind KIND FILE`: a sent message logged from a draft file exactly as the
composer's Copy logs it (the composer's check and send decision, the outgoing text, the follow-up setting), run
as the rep runs it, against a temp workspace that is read afterwards."""
from __future__ import annotations

import json
from datetime import datetime
from types import SimpleNamespace

import pytest

from app.compose.send import outgoing
from app.core import dates
from app.core.models import Draft
from app.core.outgoing import FORWARD_HEADER
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from tests.conftest import run_app

SUBJECT = "Reno check-ins"


@pytest.fixture
def workspace(earned_home):
    """A prospect with two facts, another prospect, and a follow-up interval of 5 business days."""
    earned_home.mkdir(parents=True, exist_ok=True)
    store = open_store(earned_home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    p = repo.add_prospect("Harbor & Pine Freight", "harborpine.example", "Dana")
    reno, _ = repo.add_fact(p.id, "news", "Harbor & Pine opened a second cross-dock in Reno, Nevada, adding 120 jobs.",
                            "https://news.example/hp-reno", "Reno Gazette", dates.day(datetime.now()))
    roles, _ = repo.add_fact(p.id, "site", "The careers page lists 12 open dock supervisor roles in Reno.",
                             "https://harborpine.example/careers", "Careers", dates.day(datetime.now()))
    other = repo.add_prospect("Northwind Robotics")
    repo.set_setting("follow_up_days", 5)
    store.conn.close()
    return SimpleNamespace(home=earned_home, id=p.id, reno=reno.id, roles=roles.id, other=other.id)


def first_touch(ws) -> str:
    return (f"Subject: {SUBJECT}\n\nCongrats on the second cross-dock in Reno [^{ws.reno}]. How are carrier "
            "check-ins holding up?\n")


def add(ws, tmp_path, text, *args, kind="first-touch", prospect=None):
    draft = tmp_path / "draft.txt"
    draft.write_text(text, encoding="utf-8")
    return run_app(ws.home, "touches", "add", "--prospect", str(prospect or ws.id), "--kind", kind, str(draft), *args)


def sent_log(ws, prospect=None):
    store = open_store(ws.home / "earned.db")
    try:
        repo = WorkspaceRepo(store.conn)
        pid = prospect or ws.id
        return repo.list_touches(pid), repo.get_prospect(pid), repo.get_draft(pid)
    finally:
        store.conn.close()


def test_a_first_touch_is_logged_as_copy_logs_it(workspace, tmp_path):
    ws = workspace
    store = open_store(ws.home / "earned.db")
    WorkspaceRepo(store.conn).save_draft(Draft(ws.id, "first-touch", "Old idea", "Something else entirely"))
    store.conn.close()
    proc = add(ws, tmp_path, first_touch(ws), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    [touch], prospect, draft = sent_log(ws)
    assert out == {"logged": True, "touch_id": touch.id, "prospect_id": ws.id, "kind": "first-touch",
                   "subject": SUBJECT, "text": touch.text, "cited_fact_ids": [ws.reno], "overrides": [],
                   "sent_at": touch.sent_at, "follow_up_due": touch.follow_up_due}
    # The text the prospect got: citations removed, spacing tidied.
    assert touch.text == "Congrats on the second cross-dock in Reno. How are carrier check-ins holding up?"
    assert touch.subject == SUBJECT and touch.cited_fact_ids == (ws.reno,) and touch.overrides == ()
    # The rep's follow-up interval (5 business days), not the default 3.
    assert touch.follow_up_due == dates.add_business_days(dates.to_date(touch.sent_at), 5).isoformat()
    assert prospect.status == "contacted" and draft is None  # Copy replaces the saved draft
    assert "draft saved in Earned for Harbor & Pine Freight was cleared" in proc.stderr


def test_it_prints_what_was_logged(workspace, tmp_path):
    ws = workspace
    proc = add(ws, tmp_path, first_touch(ws))
    assert proc.returncode == 0, proc.stderr
    [touch], _, _ = sent_log(ws)
    assert f"Logged as sent: First touch to Harbor & Pine Freight (prospect {ws.id}), touch {touch.id}." in proc.stdout
    assert f"Subject: {SUBJECT}" in proc.stdout and f"Cites: [^{ws.reno}]" in proc.stdout
    assert f"Follow up on {touch.follow_up_due}." in proc.stdout
    assert proc.stdout.rstrip().endswith(touch.text)


def test_a_draft_that_cites_nothing_is_refused_and_no_override_lets_it_through(workspace, tmp_path):
    ws = workspace
    text = f"Subject: {SUBJECT}\n\nHow are carrier check-ins holding up at your docks this winter?"
    for args in ((), ("--override", "cites-research")):
        proc = add(ws, tmp_path, text, *args)
        assert proc.returncode == 1 and proc.stdout == ""
        assert "not logged" in proc.stderr and "cites-research" in proc.stderr
        assert "can't be overridden" in proc.stderr and "Traceback" not in proc.stderr
    # A marker of another prospect's fact is not this prospect's research either.
    proc = add(ws, tmp_path, first_touch(ws), prospect=ws.other)
    assert proc.returncode == 1 and "cites-research" in proc.stderr
    assert sent_log(ws)[0] == [] and sent_log(ws, ws.other)[0] == []


def test_each_failing_overridable_rule_must_be_named_and_the_log_records_them(workspace, tmp_path):
    ws = workspace
    text = (f"Subject: {SUBJECT}\n\nCongrats on the second cross-dock in Reno [^{ws.reno}]. Just checking in: how "
            "are carrier check-ins holding up?")
    proc = add(ws, tmp_path, text, "--json")
    assert proc.returncode == 1
    refused = json.loads(proc.stdout)
    assert refused["logged"] is False and refused["kind"] == "first-touch"
    failing = {r["id"]: r for r in refused["failing"]}
    assert failing["no-entitlement"]["overridable"] and "no-entitlement" in refused["missing_overrides"]
    assert set(refused["missing_overrides"]) == set(failing)
    assert "--override no-entitlement" in proc.stderr
    overrides = [a for r in refused["missing_overrides"] for a in ("--override", r)]
    if len(refused["missing_overrides"]) > 1:  # naming only some of them is not enough
        proc = add(ws, tmp_path, text, *overrides[:2])
        assert proc.returncode == 1 and sent_log(ws)[0] == []
    assert sent_log(ws)[0] == []
    proc = add(ws, tmp_path, text, *overrides, "--override", "length", "--json")
    assert proc.returncode == 0, proc.stderr
    [touch], _, _ = sent_log(ws)
    assert set(touch.overrides) == set(refused["missing_overrides"]) and "length" not in touch.overrides
    assert json.loads(proc.stdout)["overrides"] == list(touch.overrides)
    assert "--override length: that rule doesn't fail" in proc.stderr


def test_the_reps_saved_thresholds_apply(workspace, tmp_path):
    ws = workspace
    store = open_store(ws.home / "earned.db")
    WorkspaceRepo(store.conn).set_setting("rule_overrides", {"length": {"max_words": 8}})
    store.conn.close()
    proc = add(ws, tmp_path, first_touch(ws))
    assert proc.returncode == 1 and "length" in proc.stderr and "limit 8" in proc.stderr
    assert sent_log(ws)[0] == []


def test_a_follow_up_forwards_the_last_email_and_is_checked_against_it(workspace, tmp_path):
    ws = workspace
    assert add(ws, tmp_path, first_touch(ws)).returncode == 0
    [first], _, _ = sent_log(ws)
    # Repeating the last message fails as it does in the composer (the same previous message).
    proc = add(ws, tmp_path, f"Congrats on the second cross-dock in Reno [^{ws.reno}]. How are carrier check-ins "
                             "holding up?", kind="follow-up")
    assert proc.returncode == 1 and "not-a-repeat" in proc.stderr
    body = f"Your careers page lists 12 dock supervisor roles in Reno [^{ws.roles}]. What would be a good next step?"
    proc = add(ws, tmp_path, f"Subject: ignored\n\n{body}\n", "--json", kind="follow-up")
    assert proc.returncode == 0, proc.stderr
    assert "Subject line is not used" in proc.stderr and f"Fwd: {SUBJECT}" in proc.stderr
    [_, follow], _, _ = sent_log(ws)
    assert follow.kind == "follow-up" and follow.subject == f"Fwd: {SUBJECT}" and follow.cited_fact_ids == (ws.roles,)
    assert follow.text == outgoing("follow-up", "", body, first).text  # what Copy puts on the clipboard
    assert follow.text.startswith("Your careers page lists 12 dock supervisor roles in Reno. What would be")
    assert FORWARD_HEADER in follow.text and f"> {first.text}" in follow.text and "[^" not in follow.text
    assert json.loads(proc.stdout)["text"] == follow.text


def test_a_linkedin_note_from_standard_input_has_no_subject_and_no_follow_up_date(workspace):
    ws = workspace
    note = (f"Subject: Hello\n\nCongrats on the second cross-dock in Reno [^{ws.reno}]. I follow how new docks handle "
            "carrier check-ins and would be glad to connect.")
    proc = run_app(ws.home, "touches", "add", "--prospect", str(ws.id), "--kind", "linkedin-note", "-", "--json",
                   input=note)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["subject"] == "" and out["follow_up_due"] is None and out["cited_fact_ids"] == [ws.reno]
    assert "a LinkedIn note has no subject" in proc.stderr
    [touch], _, _ = sent_log(ws)
    assert touch.kind == "linkedin-note" and touch.text.startswith("Congrats on the second cross-dock in Reno. I")


@pytest.mark.parametrize("case, expected", [
    ("unknown prospect", "no prospect with id 999"),
    ("missing file", "can't read the draft"),
    ("not UTF-8", "is not UTF-8 text"),
    ("unknown kind", "invalid choice: 'email'"),
    ("unknown rule", "--override no-such-rule: no such rule"),
])
def test_bad_input_exits_2_with_a_plain_message_and_logs_nothing(workspace, tmp_path, case, expected):
    ws = workspace
    good = tmp_path / "good.txt"
    good.write_text(first_touch(ws), encoding="utf-8")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Subject: Café\n\nCongrats on Reno [^1], señor.".encode("latin-1"))
    args = {"unknown prospect": ["--prospect", "999", "--kind", "first-touch", str(good)],
            "missing file": ["--prospect", str(ws.id), "--kind", "first-touch", str(tmp_path / "nope.txt")],
            "not UTF-8": ["--prospect", str(ws.id), "--kind", "first-touch", str(latin)],
            "unknown kind": ["--prospect", str(ws.id), "--kind", "email", str(good)],
            "unknown rule": ["--prospect", str(ws.id), "--kind", "first-touch", "--override", "no-such-rule",
                             str(good)]}[case]
    proc = run_app(ws.home, "touches", "add", *args)
    assert proc.returncode == 2 and proc.stdout == ""
    assert expected in proc.stderr and "Traceback" not in proc.stderr
    assert sent_log(ws)[0] == []


def test_an_empty_draft_is_not_logged(workspace, tmp_path):
    proc = add(workspace, tmp_path, "Subject: Reno\n\n  \n")
    assert proc.returncode == 1 and "the draft is empty" in proc.stderr
    assert sent_log(workspace)[0] == []


# -- team mode: the hook both commands take the team context from ------------------------------------------
def run_cli(*args) -> int:
    from app.cli import build_parser, run

    return run(build_parser().parse_args(list(args)))


@pytest.fixture
def team_of(monkeypatch):
    """Team mode's hook (app.cli._team_context) answering with a given context, in this process."""
    import app.cli as cli

    def use(**context):
        values = {"owner": None, "owner_is_me": False, "last_team_touch": None, "do_not_contact": None, **context}
        monkeypatch.setattr(cli, "_team_context", lambda repo, prospect: SimpleNamespace(**values))

    opened: list = []
    monkeypatch.setattr(cli, "_opened", opened)  # the workspaces these runs open, closed after the test
    yield use
    for repo in opened:
        repo.conn.close()


def test_a_teammates_account_is_refused_even_with_an_override(workspace, tmp_path, team_of, capsys):
    ws = workspace
    draft = tmp_path / "draft.txt"
    draft.write_text(first_touch(ws), encoding="utf-8")
    team_of(owner="Dana Okafor")
    assert run_cli("check", str(draft), "--prospect", str(ws.id), "--json") == 1
    rules = {r["id"]: r for r in json.loads(capsys.readouterr().out)["rules"]}
    assert rules["teammate-touch"]["status"] == "fail" and "Dana Okafor owns this account" in \
        rules["teammate-touch"]["message"]
    for extra in ((), ("--override", "teammate-touch")):
        assert run_cli("touches", "add", "--prospect", str(ws.id), "--kind", "first-touch", str(draft), *extra) == 1
        err = capsys.readouterr().err
        assert "team-hold" in err and "can't be overridden" in err
    assert sent_log(ws)[0] == []


def test_the_owner_logs_over_a_teammates_recent_touch_with_an_override(workspace, tmp_path, team_of, capsys):
    ws = workspace
    draft = tmp_path / "draft.txt"
    draft.write_text(first_touch(ws), encoding="utf-8")
    team_of(owner="Jordan Lee", owner_is_me=True, last_team_touch=("Sam Lee", dates.day(datetime.now())))
    assert run_cli("touches", "add", "--prospect", str(ws.id), "--kind", "first-touch", str(draft)) == 1
    assert "--override teammate-touch" in capsys.readouterr().err
    assert run_cli("touches", "add", "--prospect", str(ws.id), "--kind", "first-touch", str(draft),
                   "--override", "teammate-touch", "--json") == 0
    assert json.loads(capsys.readouterr().out)["overrides"] == ["teammate-touch"]
    [touch], _, _ = sent_log(ws)
    assert touch.overrides == ("teammate-touch",)


def test_do_not_contact_is_refused_for_the_owner_too(workspace, tmp_path, team_of, capsys):
    ws = workspace
    draft = tmp_path / "draft.txt"
    draft.write_text(first_touch(ws), encoding="utf-8")
    team_of(owner="Jordan Lee", owner_is_me=True, do_not_contact="Asked us to stop writing.")
    assert run_cli("touches", "add", "--prospect", str(ws.id), "--kind", "first-touch", str(draft),
                   "--override", "team-hold") == 1
    err = capsys.readouterr().err
    assert "On the team's do-not-contact list: Asked us to stop writing." in err and "can't be overridden" in err
    assert sent_log(ws)[0] == []


def test_a_solo_workspace_checks_with_no_team_context(workspace, tmp_path):
    ws = workspace
    draft = tmp_path / "draft.txt"
    draft.write_text(first_touch(ws), encoding="utf-8")
    proc = run_app(ws.home, "check", str(draft), "--prospect", str(ws.id), "--json")
    assert proc.returncode == 0, proc.stdout
    rules = {r["id"]: r["status"] for r in json.loads(proc.stdout)["rules"]}
    assert "teammate-touch" not in rules and "team-hold" not in rules  # a solo rep notices no difference
