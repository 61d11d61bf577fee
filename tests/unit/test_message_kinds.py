"""LinkedIn notes and call scripts: their rules (and the email rules they don't get), the character and
word limits as settings, the workspace migration from version 7, the sent log, and `earned check --kind`."""
from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta

import pytest

from app.compose import check_text
from app.compose.kinds_rules import sendable_length
from app.compose.rulepack import default_pack
from app.core.errors import InputError
from app.core.models import EMAIL_KINDS, MESSAGE_KIND_LABELS, MESSAGE_KINDS, Draft, kind_label
from app.storage.database import LATEST_VERSION, connect, migrate, open_store
from app.storage.repo import WorkspaceRepo
from tests.conftest import run_app

TODAY = date(2026, 11, 22)
COMPANY = "Harbor & Pine Freight"
FACTS = [
    {"id": 1, "kind": "news", "text": "Harbor & Pine opened a second cross-dock in Reno, Nevada, adding 120 jobs.",
     "source_url": "https://news.example/hp-reno", "source_title": "Reno Gazette", "published": "2026-10-20"},
    {"id": 3, "kind": "note", "text": "Dana said on a podcast that late carrier check-ins cost the Reno dock about "
                                      "40 hours of overtime a month."},
    {"id": 5, "kind": "note", "text": "Dana prefers short notes that lead with one concrete number.",
     "cited_before": True},
]
NOTE = "Congrats on the second cross-dock in Reno [^1]. I follow how new docks handle carrier check-ins and would " \
       "be glad to connect."
CALL = ("Dana, I saw Harbor & Pine opened a second cross-dock in Reno with 120 new jobs [^1]. On your podcast you put "
        "late carrier check-ins at about 40 hours of overtime a month [^3]. This is Jordan Lee at Dockly. I'll send "
        "you a short email today with one idea on that, so look for it this afternoon.")
EMAIL_ONLY = {"subject", "length", "deliverability", "one-ask", "follow-up-short", "insight", "not-a-repeat"}


def check(text, kind, pack=None, company=COMPANY, facts=FACTS):
    return check_text(text, kind, facts, company=company, today=TODAY, pack=pack)


def verdict(text, kind, rule_id, pack=None, company=COMPANY):
    return next(r for r in check(text, kind, pack, company)["rules"] if r["id"] == rule_id)


def ids(result):
    return {r["id"] for r in result["rules"]}


# -- kinds and their rules ---------------------------------------------------------------------------
def test_the_kinds_and_their_labels():
    assert MESSAGE_KINDS[:2] == ("first-touch", "follow-up")
    assert {"linkedin-note", "call-script"} <= set(MESSAGE_KINDS)
    assert set(MESSAGE_KIND_LABELS) == set(MESSAGE_KINDS)
    assert kind_label("linkedin-note") == "LinkedIn note" and kind_label("call-script") == "Call script"
    assert set(EMAIL_KINDS) == {"first-touch", "follow-up"}


@pytest.mark.parametrize("kind, own", [
    ("linkedin-note", {"linkedin-short", "no-pitch"}),
    ("call-script", {"no-pitch", "call-length", "call-reason-first", "call-next-step"}),
])
def test_each_kind_gets_the_shared_rules_and_its_own_but_no_email_rules(kind, own):
    shared = {"cites-research", "relevance", "fresh-facts", "no-entitlement", "fact-reuse", "readability"}
    listed = {r.id for r in default_pack().for_kind(kind)}
    assert shared | own <= listed
    assert not listed & EMAIL_ONLY
    # and what check_text runs is that list, even when the draft has a subject line
    result = check("Subject: Reno check-ins\n\n" + NOTE, kind)
    assert ids(result) == listed and not ids(result) & EMAIL_ONLY
    assert result["kind"] == kind


def test_email_kinds_do_not_get_the_new_rules():
    new = {"linkedin-short", "no-pitch", "call-length", "call-reason-first", "call-next-step"}
    for kind in EMAIL_KINDS:
        assert not {r.id for r in default_pack().for_kind(kind)} & new


def test_a_good_note_and_a_good_call_pass_every_rule():
    for text, kind in ((NOTE, "linkedin-note"), (CALL, "call-script")):
        result = check(text, kind)
        assert result["ok"] and all(r["status"] == "pass" for r in result["rules"]), result["rules"]


# -- LinkedIn note -----------------------------------------------------------------------------------
def _note_of(length: int) -> str:
    """A note that is `length` characters as sent (its marker removed), ending in a letter."""
    text = ("Congrats on the second cross-dock in Reno [^1]. " + "Glad to connect. " * 30)
    text = text[:length + len(" [^1]")].rstrip()
    return text + "x" * (length - len(text.replace(" [^1]", "")))


def test_character_limit_is_300_by_default_and_markers_do_not_count():
    exactly = _note_of(300)
    assert sendable_length(exactly) == 300 and "[^1]" in exactly
    assert verdict(exactly, "linkedin-note", "linkedin-short")["status"] == "pass"
    over = verdict(_note_of(301), "linkedin-note", "linkedin-short")
    assert over["status"] == "fail" and "301 characters" in over["message"] and "300" in over["message"]


def test_character_limit_is_a_setting_200_on_a_free_account():
    pack = default_pack().tuned({"linkedin-short": {"max_chars": 200}})
    assert default_pack().get("linkedin-short").params["max_chars"] == 300
    assert verdict(_note_of(200), "linkedin-note", "linkedin-short", pack)["status"] == "pass"
    over = verdict(_note_of(201), "linkedin-note", "linkedin-short", pack)
    assert over["status"] == "fail" and "LinkedIn takes 200" in over["message"]


def test_characters_count_as_a_browser_box_counts_them():
    assert sendable_length("Congrats 🎉 [^1].") == len("Congrats .") + 2  # the emoji is two UTF-16 units
    assert sendable_length("Reno [^12] dock") == len("Reno dock")


def test_a_note_has_no_subject_line():
    r = verdict("Subject: Reno\n\n" + NOTE, "linkedin-note", "linkedin-short")
    assert r["status"] == "fail" and "no subject" in r["message"]


def test_a_note_gives_one_reason_not_a_list_of_questions():
    text = "Congrats on the second cross-dock in Reno [^1]. Who runs it? How are check-ins? Glad to connect."
    assert verdict(text, "linkedin-note", "linkedin-short")["status"] == "warn"


@pytest.mark.parametrize("text", [
    "I'm Jordan from Dockly. Saw the Reno cross-dock [^1] and would be glad to connect.",
    "Hope you're well. We are a leading provider of yard software and saw the Reno cross-dock [^1].",
    "Congrats on the Reno cross-dock [^1]. Would love to show you how our platform cuts check-in time.",
    "Congrats on the Reno cross-dock [^1]. Open to a quick demo next week?",
    "Congrats on the Reno cross-dock [^1]. We help logistics teams check carriers in faster.",
])
def test_no_pitch_in_a_note(text):
    assert verdict(text, "linkedin-note", "no-pitch")["status"] == "fail"


# -- call script -------------------------------------------------------------------------------------
def _call_of(words: int) -> str:
    head = "Dana, congrats on the second cross-dock in Reno [^1]. I'll send you a short email today."
    n = len(head.replace(" [^1]", "").split())
    return head + " more" * (words - n)


@pytest.mark.parametrize("words, status", [(44, "warn"), (45, "pass"), (75, "pass"), (76, "fail")])
def test_call_length_is_45_to_75_words(words, status):
    text = _call_of(words)
    result = check(text, "call-script")
    assert result["words"] == words
    assert verdict(text, "call-script", "call-length")["status"] == status


def test_call_length_params_tune():
    pack = default_pack().tuned({"call-length": {"min_words": 20, "max_words": 40}})
    assert verdict(_call_of(30), "call-script", "call-length", pack)["status"] == "pass"
    assert verdict(_call_of(41), "call-script", "call-length", pack)["status"] == "fail"


@pytest.mark.parametrize("text, status", [
    ("Dana, congrats on the second cross-dock in Reno [^1]. I'll send you a short email today.", "pass"),
    ("Hi Dana, a quick one about Harbor & Pine's new dock. It opened in Reno [^1].", "pass"),
    ("Harbor and Pine just opened in Reno. That is 120 jobs [^1].", "pass"),
    ("Hi Dana, this is Jordan Lee at Dockly. I saw the second cross-dock in Reno [^1].", "fail"),
    ("Hope your week is going well. The Reno cross-dock [^1] caught my eye.", "fail"),
    ("Freight rates are up again. The Reno cross-dock [^1] caught my eye.", "fail"),  # a common word of the name
])
def test_a_call_leads_with_the_reason(text, status):
    assert verdict(text, "call-script", "call-reason-first")["status"] == status


def test_naming_the_company_needs_a_company():
    text = "Hi Dana, a quick one about Harbor & Pine's new dock. It opened in Reno [^1]."
    assert verdict(text, "call-script", "call-reason-first", company=None)["status"] == "fail"


@pytest.mark.parametrize("ending", [
    "I'll send a short email.", "I'm sending you a note with one idea.", "I will email you the two numbers today.",
    "Keep an eye out for my email this afternoon.", "It will be in your inbox by noon.",
    "Let me drop you a quick note with the details.", "I just sent you an email about it.",
])
def test_a_call_points_to_the_email_that_follows(ending):
    text = f"Dana, congrats on the second cross-dock in Reno [^1]. {ending}"
    assert verdict(text, "call-script", "call-next-step")["status"] == "pass"


@pytest.mark.parametrize("ending", [
    "Call me back at 555-0100.", "Please return my call.", "Give me a call back when you can.",
    "Call me when you get this.", "I look forward to your call.", "Please get back to me today.",
])
def test_a_call_does_not_demand_a_call_back(ending):
    text = f"Dana, congrats on the second cross-dock in Reno [^1]. I'll send a short email. {ending}"
    r = verdict(text, "call-script", "call-next-step")
    assert r["status"] == "fail" and "call back" in r["message"]


def test_a_call_without_the_email_that_follows_warns():
    text = "Dana, congrats on the second cross-dock in Reno [^1]. Late check-ins cost new docks overtime."
    assert verdict(text, "call-script", "call-next-step")["status"] == "warn"


def test_shared_rules_run_for_the_new_kinds():
    assert verdict("Did you get my last voicemail about the Reno cross-dock [^1]? I'll send a short email.",
                   "call-script", "no-entitlement")["status"] == "fail"
    assert verdict("Short notes with one number [^5] suit you: 40 hours of overtime a month [^3]. Glad to connect.",
                   "linkedin-note", "fact-reuse")["status"] == "warn"
    assert verdict("Glad to connect.", "linkedin-note", "cites-research")["status"] == "fail"


# -- the workspace -----------------------------------------------------------------------------------
def _schema(conn, table):
    """What must survive the rebuild: columns, foreign keys, indexes (with their SQL) and triggers."""
    columns = [tuple(r) for r in conn.execute(f"PRAGMA table_info({table})")]
    keys = [tuple(r) for r in conn.execute(f"PRAGMA foreign_key_list({table})")]
    others = sorted(tuple(r) for r in conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger')", (table,)))
    return columns, keys, others


def _v7_workspace(path):
    conn = connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    migrate(conn, upto=7)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 7
    for pid, company in ((1, "Acme"), (2, "Contoso"), (3, "Fabrikam")):
        conn.execute("INSERT INTO prospects (id, company, status, created_at) VALUES (?, ?, 'contacted', ?)",
                     (pid, company, "2026-01-01T00:00:00+00:00"))
    conn.execute("INSERT INTO facts (id, prospect_id, kind, text, retrieved_at, content_hash) "
                 "VALUES (4, 1, 'note', 'Opened a plant in Austin', '2026-01-02T00:00:00+00:00', 'h4')")
    conn.execute("INSERT INTO drafts (prospect_id, kind, subject, body, updated_at) "
                 "VALUES (1, 'follow-up', 'Re 🚚', 'Austin [^4]', '2026-03-06T10:00:00+00:00')")
    conn.execute("INSERT INTO drafts (prospect_id, kind, subject, body, updated_at) "
                 "VALUES (2, 'first-touch', '', '', '2026-03-06T11:00:00+00:00')")
    touches = [
        (7, 1, "first-touch", "Austin", "Congrats on Austin", "[4]", "[]", "2026-03-05T09:00:00+00:00", "2026-03-10"),
        (9, 1, "follow-up", "Fwd: Austin", "Next step?", "[]", '["length"]', "2026-03-11T09:00:00+00:00", None),
        (12, 2, "first-touch", "", "Hello", "[]", "[]", "2026-03-12T09:00:00+00:00", "2026-03-17"),
    ]
    conn.executemany("INSERT INTO touches (id, prospect_id, kind, subject, text, cited_fact_ids, overrides, sent_at,"
                     " follow_up_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", touches)
    before = {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")]
              for t in ("prospects", "facts", "drafts", "touches")}
    schema = {t: _schema(conn, t) for t in ("drafts", "touches")}
    conn.close()
    return before, schema


def test_migration_from_v7_keeps_every_row_column_index_and_key(tmp_path):
    path = tmp_path / "earned.db"
    before, schema = _v7_workspace(path)
    store = open_store(path)
    conn = store.conn
    assert LATEST_VERSION >= 8 and conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    for table, rows in before.items():
        # A later migration may add columns, always at the end (0009: prospects.email); v7's are as they were.
        found = [tuple(r)[:len(rows[0])] for r in conn.execute(f"SELECT * FROM {table} ORDER BY rowid")]
        assert found == rows, table
    for table in ("drafts", "touches"):
        # Later migrations add columns at the end (0010: touches.gid, created_by) and indexes and triggers (0010's
        # team sync): v7's are all there, as they were.
        (columns, keys, others), (old_columns, old_keys, old_others) = _schema(conn, table), schema[table]
        assert columns[:len(old_columns)] == old_columns and keys == old_keys, table
        assert set(old_others) <= set(others), table
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not conn.execute("SELECT name FROM sqlite_master WHERE name LIKE '%_new'").fetchall()

    # the new kinds go in; a made-up kind still doesn't; the foreign keys still cascade
    conn.execute("INSERT INTO touches (prospect_id, kind, text, sent_at) VALUES (3, 'call-script', 'Hi', 'x')")
    conn.execute("UPDATE drafts SET kind = 'linkedin-note' WHERE prospect_id = 2")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO touches (prospect_id, kind, text, sent_at) VALUES (3, 'fax', 'Hi', 'x')")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO touches (prospect_id, kind, text, sent_at) VALUES (99, 'call-script', 'Hi', 'x')")
    conn.execute("DELETE FROM prospects WHERE id = 1")
    assert conn.execute("SELECT count(*) FROM touches WHERE prospect_id = 1").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM drafts WHERE prospect_id = 1").fetchone()[0] == 0
    repo = WorkspaceRepo(conn)
    assert [t.id for t in repo.list_touches(2)] == [12]
    assert repo.get_prospect(2).follow_up_due == "2026-03-17"
    conn.close()


@pytest.fixture
def repo(tmp_path):
    store = open_store(tmp_path / "earned.db")
    yield WorkspaceRepo(store.conn)
    store.conn.close()


def test_drafts_of_the_new_kinds_are_saved(repo):
    p = repo.add_prospect("Harbor & Pine")
    for kind in ("linkedin-note", "call-script"):
        repo.save_draft(Draft(p.id, kind, "", "Reno [^1]"))
        assert repo.get_draft(p.id).kind == kind
    with pytest.raises(InputError, match="linkedin-note"):
        repo.save_draft(Draft(p.id, "fax", "", "x"))


def test_a_note_or_a_call_is_a_touch_without_an_email_follow_up(repo):
    p = repo.add_prospect("Harbor & Pine")
    monday = datetime(2026, 11, 16, 9, 0).astimezone()
    t = repo.record_touch(p.id, "linkedin-note", "", "Congrats on Reno", [1], sent_at=monday)
    assert (t.kind, t.follow_up_due) == ("linkedin-note", None)
    prospect = repo.get_prospect(p.id)
    assert prospect.status == "contacted" and prospect.follow_up_due is None  # touched, nothing to follow up

    email = repo.record_touch(p.id, "first-touch", "Reno", "Congrats on Reno", [2], sent_at=monday)
    assert email.follow_up_due == "2026-11-19"
    # A call after the email leaves the email waiting for its reply: still due on its date.
    call = repo.record_touch(p.id, "call-script", "", "Dana, about Reno", [3], sent_at=monday + timedelta(days=1))
    assert call.follow_up_due is None
    prospect = repo.get_prospect(p.id)
    assert prospect.follow_up_due == "2026-11-19" and prospect.shown_status("2026-11-19") == "follow-up due"
    assert [t.kind for t in repo.list_touches(p.id)] == ["linkedin-note", "first-touch", "call-script"]
    with pytest.raises(InputError, match="call-script"):
        repo.record_touch(p.id, "fax", "", "x", [])


def test_a_prospect_only_called_is_contacted_but_never_follow_up_due(repo):
    p = repo.add_prospect("Contoso")
    repo.record_touch(p.id, "call-script", "", "Dana, about Reno", [], sent_at=datetime(2026, 1, 5).astimezone())
    prospect = repo.get_prospect(p.id)
    assert prospect.shown_status("2027-01-01") == "contacted"


# -- the CLI -----------------------------------------------------------------------------------------
@pytest.fixture
def files(tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(FACTS), encoding="utf-8")
    return tmp_path, facts


@pytest.mark.parametrize("kind, text, own", [
    ("linkedin-note", NOTE, "linkedin-short"),
    ("call-script", CALL, "call-next-step"),
])
def test_cli_check_kind_json(files, earned_home, kind, text, own):
    folder, facts = files
    draft = folder / "draft.txt"
    draft.write_text(text, encoding="utf-8")
    proc = run_app(earned_home, "check", "--kind", kind, str(draft), "--facts", str(facts), "--today",
                   TODAY.isoformat(), "--company", COMPANY, "--json")
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    out = json.loads(proc.stdout)
    assert out["kind"] == kind and out["ok"]
    listed = [r["id"] for r in out["rules"]]
    assert own in listed and not set(listed) & EMAIL_ONLY
    assert listed == [r.id for r in default_pack().for_kind(kind)]


def test_cli_check_a_long_note_fails_and_says_the_kind(files, earned_home):
    folder, facts = files
    draft = folder / "long.txt"
    draft.write_text(_note_of(320), encoding="utf-8")
    proc = run_app(earned_home, "check", "--kind", "linkedin-note", str(draft), "--facts", str(facts),
                   "--today", TODAY.isoformat())
    assert proc.returncode == 1
    line = next(line for line in proc.stdout.splitlines() if "linkedin-short" in line)
    assert line.startswith("✘ fail") and "320 characters" in line
    assert "LinkedIn note (linkedin-note)" in proc.stdout


def test_cli_check_kind_choices_name_the_new_kinds(files, earned_home):
    folder, _ = files
    draft = folder / "d.txt"
    draft.write_text("hi", encoding="utf-8")
    proc = run_app(earned_home, "check", "--kind", "fax", str(draft))
    assert proc.returncode == 2
    assert "linkedin-note" in proc.stderr and "call-script" in proc.stderr
