"""Import prospects from CSV, export research, back up and restore: real files, malformed ones too."""
import csv
import io
import json
import sqlite3

import pytest

from app.core.errors import InputError
from app.storage.backup import backup, check_backup, restore
from app.storage.csv_import import apply_import, plan_import
from app.storage.database import LATEST_VERSION, open_store
from app.storage.export import to_csv, to_markdown
from app.storage.repo import WorkspaceRepo
from tests.conftest import run_app


@pytest.fixture
def repo(tmp_path):
    store = open_store(tmp_path / "ws" / "earned.db")
    yield WorkspaceRepo(store.conn)
    store.conn.close()


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_loose_headers_semicolons_bom_and_bad_rows(tmp_path, repo):
    f = write(tmp_path / "leads.csv", "\ufeffAccount Name;Web Site;First Name;Last Name;Job Title;Comments\n"
              "Acme Robotics;acme.example;Sam;Rivera;VP Ops;Met at ProMat\n"
              ";nobody.example;X;Y;Z;\n"
              "Bolt Freight;ftp://bolt.example;Ana;Ruiz;COO;\n"
              "\"Café Nord; Ltd\";cafe.example;Lea;Roy;Owner;\"Two\nline note\"\n"
              "Dune Labs;;;;;\n")
    plan = plan_import(f, repo)
    assert plan.delimiter == ";" and plan.columns["company"] == "Account Name"
    assert [r.company for r in plan.rows] == ["Acme Robotics", "Café Nord; Ltd", "Dune Labs"]
    assert plan.rows[0].contact == "Sam Rivera" and plan.rows[0].website == "https://acme.example"
    assert [line for line, _ in plan.errors] == [3, 4]
    assert "Company name is empty" in plan.errors[0][1] and "http" in plan.errors[1][1]
    assert plan.rows[2].line == 7  # after a two-line quoted cell, lines are still counted right
    assert apply_import(plan, repo) == 3
    acme = next(p for p in repo.list_prospects() if p.company == "Acme Robotics")
    assert [f.text for f in repo.list_facts(acme.id)] == ["Met at ProMat"]
    again = plan_import(f, repo)
    assert again.rows == [] and len(again.duplicates) == 3  # re-importing creates no duplicates


def test_windows_1252_and_tabs(tmp_path, repo):
    f = write(tmp_path / "t.csv", "Company\tWebsite\nM\xfcller GmbH\tmueller.example\n", "cp1252")
    plan = plan_import(f, repo)
    assert plan.encoding == "windows-1252" and plan.rows[0].company == "Müller GmbH"


@pytest.mark.parametrize("content, phrase", [
    ("Name of thing,Where\nx,y\n", "no company column"),
    ("", "is empty"),
])
def test_unusable_files_say_why(tmp_path, repo, content, phrase):
    with pytest.raises(InputError, match=phrase):
        plan_import(write(tmp_path / "x.csv", content), repo)


def test_binary_file_is_refused(tmp_path, repo):
    (tmp_path / "x.csv").write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(InputError, match="binary"):
        plan_import(tmp_path / "x.csv", repo)


def test_ten_thousand_rows(tmp_path, repo):
    buffer = io.StringIO()
    w = csv.writer(buffer)
    w.writerow(["company", "website", "contact", "role", "notes"])
    for i in range(10_000):
        w.writerow([f"Company {i}", f"company{i}.example", f"Person {i}", "Ops", f"Note {i}" if i % 10 == 0 else ""])
    plan = plan_import(write(tmp_path / "big.csv", buffer.getvalue()), repo)
    assert len(plan.rows) == 10_000 and not plan.errors
    assert apply_import(plan, repo) == 10_000
    assert len(repo.list_prospects()) == 10_000
    assert repo.conn.execute("SELECT count(*) FROM facts").fetchone()[0] == 1_000


def test_markdown_and_csv_exports(repo):
    p = repo.add_prospect("Acme [Robotics]", "acme.example", "Sam", "VP")
    news, _ = repo.add_fact(p.id, "news", "Acme opened a *huge* plant.", "https://news.example/a (1)", "Gazette",
                            "2026-11-01")
    repo.add_note(p.id, "=HYPERLINK(\"http://evil\") Sam likes short emails.")
    repo.record_touch(p.id, "first-touch", "Austin", "Congrats on Austin.", [news.id], ["length"])
    md = to_markdown(repo, p.id)
    assert md.startswith("# Acme \\[Robotics\\]")
    assert "## News" in md and "## Your notes" in md and "## Sent messages" in md
    assert "Acme opened a \\*huge\\* plant. ([Gazette](https://news.example/a%20%281%29)), 2026-11-01" in md
    assert f"cited [^{news.id}]; copied over length" in md
    rows = list(csv.DictReader(io.StringIO(to_csv(repo))))
    assert {r["kind"] for r in rows} == {"news", "note"}
    note = next(r for r in rows if r["kind"] == "note")
    assert note["text"].startswith("'=HYPERLINK")  # a spreadsheet won't run it


def test_backup_while_open_and_restore_keeps_a_copy(tmp_path, repo):
    p = repo.add_prospect("Acme")
    repo.add_note(p.id, "before the backup")
    (tmp_path / "backups").mkdir()
    target = backup(repo.conn, tmp_path / "backups" / "earned-backup.db")
    assert check_backup(target) == LATEST_VERSION
    repo.add_note(p.id, "after the backup")
    live_path = tmp_path / "ws" / "earned.db"
    kept = restore(repo.conn, live_path, target)
    assert [f.text for f in repo.list_facts(p.id)] == ["before the backup"]
    kept_texts = [r[0] for r in sqlite3.connect(kept).execute("SELECT text FROM facts")]
    assert sorted(kept_texts) == ["after the backup", "before the backup"]


def test_truncated_foreign_and_newer_backups_are_refused_and_nothing_changes(tmp_path, repo):
    p = repo.add_prospect("Acme")
    repo.add_note(p.id, "mine")
    for i in range(200):
        repo.add_note(p.id, f"padding note {i} " + "x" * 200)
    good = backup(repo.conn, tmp_path / "good.db")
    data = good.read_bytes()
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(data[: len(data) // 2])
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE songs (x)")
    newer = tmp_path / "newer.db"
    newer.write_bytes(data)
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello")
    for bad, phrase in ((truncated, "damaged"), (foreign, "not an Earned workspace"), (newer, "newer version"),
                        (text_file, "not a SQLite database"), (tmp_path / "missing.db", "Can't read")):
        with pytest.raises(InputError, match=phrase):
            restore(repo.conn, tmp_path / "ws" / "earned.db", bad)
    assert len(repo.list_facts(p.id)) == 201
    assert not list((tmp_path / "ws").glob("*.before-restore-*"))


def test_cli_round_trip(tmp_path, earned_home):
    f = write(tmp_path / "in.csv", "company,website,notes\nAcme,acme.example,Opened Austin plant\nBad,ftp://x,\n")
    dry = run_app(earned_home, "import-csv", str(f), "--dry-run")
    assert dry.returncode == 0 and "Would import 1 prospect(s); 1 bad row(s)" in dry.stdout
    assert "line 3: skipped" in dry.stderr
    assert json.loads(run_app(earned_home, "prospect", "list", "--json").stdout) == []
    done = run_app(earned_home, "import-csv", str(f))
    assert done.returncode == 0 and "Imported 1 prospect(s)" in done.stdout
    md = run_app(earned_home, "export", "--format", "md")
    assert md.returncode == 0 and "# Acme" in md.stdout and "Opened Austin plant" in md.stdout
    out = tmp_path / "facts.csv"
    assert run_app(earned_home, "export", "--prospect", "1", "--format", "csv", "--output", str(out)).returncode == 0
    assert "Opened Austin plant" in out.read_text()
    assert run_app(earned_home, "backup", str(tmp_path / "b.db")).returncode == 0
    run_app(earned_home, "prospect", "add", "--company", "Later")
    restored = run_app(earned_home, "restore", str(tmp_path / "b.db"))
    assert restored.returncode == 0 and "kept as" in restored.stdout
    assert [p["company"] for p in json.loads(run_app(earned_home, "prospect", "list", "--json").stdout)] == ["Acme"]
    bad = run_app(earned_home, "restore", str(f))
    assert bad.returncode == 2 and "not an Earned workspace backup" in bad.stderr
    unknown = run_app(earned_home, "export", "--prospect", "42", "--format", "md")
    assert unknown.returncode == 2 and "no prospect with id 42" in unknown.stderr


# -- the contact's e-mail ----------------------------------------------------------------------------
@pytest.mark.parametrize("header", ["Email", "E-mail", "EMAIL ADDRESS", "Work Email", "contact_email", " E-Mail "])
def test_import_reads_the_email_column_whatever_its_header(tmp_path, repo, header):
    f = write(tmp_path / "leads.csv", f"Company,Contact,{header}\nAcme Robotics,Sam Rivera,Sam@Acme.Example\n")
    plan = plan_import(f, repo)
    assert plan.columns["email"] == header and plan.columns["contact"] == "Contact"
    assert apply_import(plan, repo) == 1
    [p] = repo.list_prospects()
    assert (p.contact_name, p.email) == ("Sam Rivera", "Sam@acme.example")


def test_a_bad_email_skips_its_row_with_a_reason_and_the_rest_imports(tmp_path, repo):
    f = write(tmp_path / "leads.csv", "Company,Email Address\n"
              "Acme Robotics,sam@acme.example\n"
              "Bolt Freight,ana(at)bolt\n"
              "Cafe Nord,lea@cafe.example; roy@cafe.example\n"
              "Dune Labs,\n")
    plan = plan_import(f, repo)
    assert [(r.company, r.email) for r in plan.rows] == [("Acme Robotics", "sam@acme.example"), ("Dune Labs", "")]
    assert plan.errors == [
        (3, "'ana(at)bolt' is not an e-mail address. Type it as name@company.com, e.g. dana@harborpine.com."),
        (4, "'lea@cafe.example; roy@cafe.example' holds more than one e-mail address. Keep one, "
            "e.g. dana@harborpine.com."),
    ]
    assert apply_import(plan, repo) == 2
    assert {p.company: p.email for p in repo.list_prospects()} == {"Acme Robotics": "sam@acme.example",
                                                                  "Dune Labs": ""}


def test_the_cli_import_reports_a_bad_email_by_line(tmp_path, earned_home):
    f = write(tmp_path / "in.csv", "company,email\nAcme,sam@acme.example\nBolt,not-an-address\n")
    proc = run_app(earned_home, "import-csv", str(f))
    assert proc.returncode == 0 and "Imported 1 prospect(s)" in proc.stdout
    assert "line 3: skipped" in proc.stderr and "'not-an-address' is not an e-mail address" in proc.stderr
    listed = json.loads(run_app(earned_home, "prospect", "list", "--json").stdout)
    assert [(p["company"], p["email"]) for p in listed] == [("Acme", "sam@acme.example")]


def test_exports_carry_the_email(repo):
    p = repo.add_prospect("Acme", "acme.example", "Sam", "COO", "sam_rivera@acme.example")
    repo.add_note(p.id, "Sam likes numbers")
    md = to_markdown(repo, p.id)
    assert "- E-mail: sam\\_rivera@acme.example" in md  # escaped: Markdown must not read _ as emphasis
    [row] = list(csv.DictReader(io.StringIO(to_csv(repo))))
    assert row["email"] == "sam_rivera@acme.example" and list(row)[-1] == "email"
    assert list(row)[:4] == ["prospect_id", "company", "fact_id", "kind"]  # older columns where they were


def test_a_backup_from_before_the_email_is_restored_and_brought_up_to_date(tmp_path, repo):
    from app.storage.database import connect, migrate

    old = tmp_path / "old.db"
    conn = connect(old)
    migrate(conn, upto=8)
    conn.execute("INSERT INTO prospects (company, created_at) VALUES ('From the old backup', 'x')")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    assert check_backup(old) == 8
    repo.add_prospect("Current", email="now@current.example")
    restore(repo.conn, tmp_path / "ws" / "earned.db", old)
    assert [(p.company, p.email) for p in repo.list_prospects()] == [("From the old backup", "")]
    assert repo.update_prospect(1, "From the old backup", "", "", "", "a@b.example").email == "a@b.example"
