"""The store's CLI as a rep or a script uses it: real process, real SQLite file."""
import json
import subprocess
import sys

from tests.conftest import ROOT, cli_env, run_app


def test_prospect_and_notes_round_trip(earned_home):
    added = run_app(earned_home, "prospect", "add", "--company", "Harbor & Pine", "--website", "harborpine.example",
                    "--contact", "Dana Okafor", "--role", "VP Operations")
    assert added.returncode == 0, added.stderr
    pid = int(added.stdout)
    listed = json.loads(run_app(earned_home, "prospect", "list", "--json").stdout)
    assert listed == [{**listed[0], "id": pid, "company": "Harbor & Pine", "website": "https://harborpine.example",
                       "contact_name": "Dana Okafor", "role": "VP Operations", "status": "new"}]

    note = run_app(earned_home, "notes", "add", "--prospect", str(pid), "--text", "Opened a Reno cross-dock 🚚",
                   "--source-url", "https://harborpine.example/news")
    assert note.returncode == 0, note.stderr
    fid = int(note.stdout)
    facts = json.loads(run_app(earned_home, "notes", "list", "--prospect", str(pid), "--json").stdout)
    assert [(f["id"], f["kind"], f["text"]) for f in facts] == [(fid, "note", "Opened a Reno cross-dock 🚚")]
    found = json.loads(run_app(earned_home, "notes", "search", "reno", "--json").stdout)
    assert [f["id"] for f in found] == [fid]
    assert json.loads(run_app(earned_home, "notes", "search", "austin", "--json").stdout) == []


def _assert_clean_error(proc, *phrases):
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    for phrase in phrases:
        assert phrase in proc.stderr


def test_bad_input_gets_exit_2_and_a_message(earned_home):
    _assert_clean_error(run_app(earned_home, "prospect", "add", "--company", "  "), "Company name is empty")
    _assert_clean_error(run_app(earned_home, "prospect", "add", "--company", "A", "--website", "ftp://a.io"),
                        "http:// or https://")
    _assert_clean_error(run_app(earned_home, "notes", "add", "--prospect", "77", "--text", "x"),
                        "no prospect with id 77")
    _assert_clean_error(run_app(earned_home, "notes", "add", "--prospect", "abc", "--text", "x"), "invalid int")
    _assert_clean_error(run_app(earned_home, "prospect", "add"), "--company")
    _assert_clean_error(run_app(earned_home, "frobnicate"), "invalid choice")


def test_oversized_note_is_refused_and_nothing_saved_is_lost(earned_home):
    pid = run_app(earned_home, "prospect", "add", "--company", "Acme").stdout.strip()
    run_app(earned_home, "notes", "add", "--prospect", pid, "--text", "keep me")
    big = run_app(earned_home, "notes", "add", "--prospect", pid, "--text", "y" * 120_000)
    _assert_clean_error(big, "too long")
    facts = json.loads(run_app(earned_home, "notes", "list", "--prospect", pid, "--json").stdout)
    assert [f["text"] for f in facts] == ["keep me"]


def test_undecodable_bytes_in_arguments_are_replaced_and_reported(earned_home):
    # Bytes that are not UTF-8 arrive as lone surrogates, which SQLite cannot store.
    proc = subprocess.run([sys.executable, "-m", "app", "prospect", "add", "--company", b"Caf\xe9 Nord"],
                          cwd=ROOT, env=cli_env(earned_home), capture_output=True)
    assert proc.returncode == 0, proc.stderr
    assert b"broken character" in proc.stderr
    listed = json.loads(run_app(earned_home, "prospect", "list", "--json").stdout)
    assert listed[0]["company"] == "Caf\ufffd Nord"


def test_unwritable_data_dir_is_explained(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    _assert_clean_error(run_app(blocker / "ws", "prospect", "list"), "EARNED_HOME")


def test_version(earned_home):
    from app import __version__

    proc = run_app(earned_home, "--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"Earned {__version__}"


def test_notes_list_shows_where_a_quoted_fact_was_read(earned_home):
    from app.research.facts import Snapshot
    from app.storage.database import open_store
    from app.storage.repo import WorkspaceRepo

    store = open_store(earned_home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    pid = repo.add_prospect("Harbor and Pine", "https://harborpine.example").id
    quote = "Harbor and Pine opened a second cross-dock in Reno on Tuesday."
    url = "https://news.example/hp-reno"
    fid = repo.add_fact(pid, "news", quote, url, "Harbor and Pine opens Reno cross-dock", "2026-11-03",
                        snapshot=Snapshot(quote, url, "2026-11-03T08:00:00+00:00", "ab" * 32))[0].id
    repo.add_fact(pid, "site", "Harbor and Pine runs 40 trucks.", "https://harborpine.example/about", "About", None)
    store.conn.close()

    text = run_app(earned_home, "notes", "list", "--prospect", str(pid))
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"[^{fid}]"))
    assert lines[at + 1] == f"    quoted from <{url}>, read 2026-11-03T08:00:00+00:00, sha256 {'ab' * 32}"
    assert sum("quoted from" in line for line in lines) == 1  # only the fact that quotes an article
    [saved] = [f for f in json.loads(run_app(earned_home, "notes", "list", "--prospect", str(pid), "--json").stdout)
               if f["id"] == fid]
    assert (saved["quote_url"], saved["quote_sha256"]) == (url, "ab" * 32)
