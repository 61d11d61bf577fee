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
