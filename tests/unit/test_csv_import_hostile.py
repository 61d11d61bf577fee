"""Hostile CSV files: too big to read, a cell too big to parse, a quote that never closes.

Each must end in words the rep can act on (a refused file or a bad row), never an internal error,
and never in a garbage prospect.
"""
import csv
import os
import threading

import pytest

from app.core.errors import InputError
from app.core.text import MAX_NOTE_CHARS
from app.storage import csv_import
from app.storage.csv_import import apply_import, plan_import
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from tests.conftest import run_app

TOO_BIG = "Earned imports files up to 50 MB. Split it and import the parts."


@pytest.fixture
def repo(tmp_path):
    store = open_store(tmp_path / "ws" / "earned.db")
    yield WorkspaceRepo(store.conn)
    store.conn.close()


def write(path, text):
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.fixture
def fifo(tmp_path):
    """A named pipe, and feed(chunks): a thread writes the chunks into it, as a stream with no size would.

    However the test ends, the writer is let go and joined: a reader that stops early makes its writes fail
    with BrokenPipeError (expected), and a reader that never came leaves it waiting in open(), which the
    teardown ends by opening and closing a read end."""
    path = tmp_path / "stream.csv"
    os.mkfifo(path)
    writers = []

    def feed(chunks):
        def write_all():
            try:
                with open(path, "wb") as f:
                    for chunk in chunks:
                        f.write(chunk)
            except BrokenPipeError:
                pass

        writer = threading.Thread(target=write_all, daemon=True)
        writer.start()
        writers.append(writer)

    yield path, feed
    os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
    for writer in writers:
        writer.join(timeout=10)
        assert not writer.is_alive(), "the FIFO writer thread is stuck"


# 1. A file too big to read

def test_a_file_over_the_cap_is_refused_with_its_size(tmp_path, earned_home):
    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.write(b"company\nAcme\n")
        f.truncate(int(1.2 * 1024**3))  # sparse: 1.2 GB by its size, next to nothing on disk
    result = run_app(earned_home, "import-csv", str(big), "--dry-run")
    assert result.returncode == 2
    assert result.stderr.strip() == f"earned: big.csv is 1.2 GB; {TOO_BIG}"
    assert result.stdout == ""


def test_a_stream_with_no_size_is_read_only_up_to_the_cap(fifo, repo, monkeypatch):
    monkeypatch.setattr(csv_import, "MAX_BYTES", 1024 * 1024)  # 1 MB, so the test moves little data
    path, feed = fifo
    feed([b"company,website,notes\n"] + [b"Acme,acme.example," + b"x" * 1000 + b"\n"] * 4000)  # 4 MB
    with pytest.raises(InputError) as refused:
        plan_import(path, repo)
    assert str(refused.value) == ("stream.csv is larger than 1 MB; Earned imports files up to 1 MB. "
                                  "Split it and import the parts.")


def test_a_stream_under_the_cap_imports(fifo, repo):
    path, feed = fifo
    feed([b"company,website\n", b"Acme,acme.example\n", b"Bolt,bolt.example\n"])
    plan = plan_import(path, repo)
    assert [(r.line, r.company) for r in plan.rows] == [(2, "Acme"), (3, "Bolt")] and not plan.errors


def test_cli_refuses_an_endless_looking_stream_in_plain_words(fifo, earned_home):
    path, feed = fifo
    feed([b"company\n"] + [b"x" * (1024 * 1024)] * 51)  # 51 MB on one line, through a pipe: st_size says 0
    result = run_app(earned_home, "import-csv", str(path), "--dry-run")
    assert result.returncode == 2
    assert result.stderr.strip() == f"earned: stream.csv is larger than 50 MB; {TOO_BIG}"


# 2. A cell too big for Python's csv module (its default limit is 131,072 characters)

def oversize_cells_csv(tmp_path):
    multi_line_giant = ("z" * 1000 + "\n") * 200  # 200,200 characters on 200 lines, properly quoted
    return write(tmp_path / "cells.csv", (
        "company,website,notes\n"
        "Acme,acme.example,short note\n"                     # line 2
        f"Bolt,bolt.example,{'x' * 300_000}\n"               # line 3: too long
        f"Carta,carta.example,{'y' * MAX_NOTE_CHARS}\n"      # line 4: exactly the longest note Earned keeps
        f'Dune,dune.example,"{multi_line_giant}"\n'         # lines 5-205: too long
        "Echo,echo.example,\n"                               # line 206
    ))


def test_an_oversize_cell_is_a_bad_row_and_the_rest_imports(tmp_path, repo):
    plan = plan_import(oversize_cells_csv(tmp_path), repo)
    assert plan.errors == [
        (3, "a cell is 300,000 characters long; Earned takes cells up to 100,000 characters."),
        (5, "a cell is 200,200 characters long; Earned takes cells up to 100,000 characters."),
    ]
    assert [(r.line, r.company) for r in plan.rows] == [(2, "Acme"), (4, "Carta"), (206, "Echo")]
    assert plan.rows[1].notes == "y" * MAX_NOTE_CHARS
    assert apply_import(plan, repo) == 3
    assert sorted(p.company for p in repo.list_prospects()) == ["Acme", "Carta", "Echo"]


def test_cli_reports_an_oversize_cell_by_line(tmp_path, earned_home):
    result = run_app(earned_home, "import-csv", str(oversize_cells_csv(tmp_path)), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "line 3: skipped: a cell is 300,000 characters long; Earned takes cells up to 100,000 characters.",
        "line 5: skipped: a cell is 200,200 characters long; Earned takes cells up to 100,000 characters.",
    ]
    assert "Would import 3 prospect(s); 2 bad row(s), 0 duplicate(s)." in result.stdout


def test_the_process_wide_csv_field_limit_is_never_lowered(tmp_path, repo):
    before = csv.field_size_limit()
    try:
        csv.field_size_limit(2**31 - 1)  # as other code in the process might have set it
        plan_import(write(tmp_path / "small.csv", "company\nAcme\n"), repo)
        assert csv.field_size_limit() == 2**31 - 1
    finally:
        csv.field_size_limit(before)


# 3. A quote that is never closed

NEVER_CLOSED = 'a quote (") opened on line {} is never closed, so lines {} to {} ran together into one cell ' \
               "and none of them were imported. Add the missing closing quote and import again."


@pytest.mark.parametrize("text, companies, error", [
    ('company,website\n"Unclosed,acme.example\nOther,other.example\n',
     [], (2, NEVER_CLOSED.format(2, 2, 3))),
    # rows before it import, a proper two-line cell among them; no newline at the end of the file
    ('company,website,notes\nAcme,acme.example,"Two\nline note"\nBolt,bolt.example,plain\n'
     'Carta,carta.example,"Met at ""ProMat""\nDune,dune.example,x\nEcho,echo.example,y',
     ["Acme", "Bolt"], (5, NEVER_CLOSED.format(5, 5, 7))),
    # the row starts on line 2 with a cell that closes on line 3, where another opens and never closes
    ('company,notes,website\nAcme,"two\nlines","acme.example\nBolt,,bolt.example\n',
     [], (2, NEVER_CLOSED.format(3, 2, 4))),
    # Windows line endings
    ('company,website\r\nAcme,acme.example\r\n"Bolt,bolt.example\r\nCarta,carta.example\r\n',
     ["Acme"], (3, NEVER_CLOSED.format(3, 3, 4))),
])
def test_an_unclosed_quote_is_a_bad_row_not_a_garbage_prospect(tmp_path, repo, text, companies, error):
    plan = plan_import(write(tmp_path / "q.csv", text), repo)
    assert [r.company for r in plan.rows] == companies
    assert plan.errors == [error]


def test_an_unclosed_quote_on_the_last_line_names_just_that_line(tmp_path, repo):
    plan = plan_import(write(tmp_path / "q.csv", 'company,website\nAcme,acme.example\nBolt,"bolt.example\n'), repo)
    assert [r.company for r in plan.rows] == ["Acme"]
    assert plan.errors == [(3, 'a quote (") opened on line 3 is never closed, so line 3 was not imported. '
                               "Add the missing closing quote and import again.")]


def test_an_unclosed_quote_in_the_header_refuses_the_file(tmp_path, repo):
    with pytest.raises(InputError) as refused:
        plan_import(write(tmp_path / "q.csv", '"company,website\nAcme,acme.example\n'), repo)
    assert str(refused.value) == ('q.csv: the header row has a quote (") opened on line 1 that is never closed, '
                                  "so the whole file reads as one cell. Add the missing closing quote and try again.")


def test_cli_reports_the_unclosed_quote_and_imports_nothing_from_it(tmp_path, earned_home):
    f = write(tmp_path / "q.csv", 'company,website\nAcme,acme.example\n"Unclosed,u.example\nOther,other.example\n')
    result = run_app(earned_home, "import-csv", str(f))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == ["line 3: skipped: " + NEVER_CLOSED.format(3, 3, 4)]
    assert "Imported 1 prospect(s); skipped 1 bad row(s)" in result.stdout
    listed = run_app(earned_home, "prospect", "list", "--json")
    assert '"Acme"' in listed.stdout and "Unclosed" not in listed.stdout and "Other" not in listed.stdout


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("final_newline", [True, False])
def test_proper_quotes_still_import_as_before(tmp_path, repo, ending, final_newline):
    """Quoted cells over several lines, doubled quotes, and a stray inch mark in an unquoted last cell."""
    lines = ["company,website,notes", 'Acme,acme.example,"Two', 'line note"', 'Bolt,bolt.example,"Said ""hi""',
             "", 'then left"', 'Carta,carta.example,27" monitors on order', 'Dune,dune.example,"last', 'one"']
    text = ending.join(lines) + (ending if final_newline else "")
    plan = plan_import(write(tmp_path / "ok.csv", text), repo)
    assert not plan.errors
    assert [(r.line, r.company, r.notes) for r in plan.rows] == [
        (2, "Acme", f"Two{ending}line note"),
        (4, "Bolt", f'Said "hi"{ending}{ending}then left'),
        (7, "Carta", '27" monitors on order'),
        (8, "Dune", f"last{ending}one"),
    ]


# 4. An e-mail column with anything in it

def test_hostile_email_cells_are_bad_rows_never_a_crash_or_a_formula(tmp_path, repo):
    long_address = "a" * 300 + "@acme.example"
    f = write(tmp_path / "leads.csv", "Company,Work Email\n"
              'Acme,"=HYPERLINK(""http://evil.example"",""click"")"\n'
              f"Bolt,{long_address}\n"
              "Cafe,\"lea@cafe.example\nroy@cafe.example\"\n"
              "Dune,\x01dune@dune.example\x07\n"
              "Edge,+edge@edge.example\n")
    plan = plan_import(f, repo)
    assert [line for line, _ in plan.errors] == [2, 3, 4]
    assert "is not an e-mail address" in plan.errors[0][1]
    assert "too long (313 characters" in plan.errors[1][1] and long_address not in plan.errors[1][1]
    assert "holds more than one e-mail address" in plan.errors[2][1]  # two addresses on two lines of one cell
    # Invisible control characters are dropped, as from any other field; a "+" address is a real address.
    assert [(r.company, r.email) for r in plan.rows] == [("Dune", "dune@dune.example"), ("Edge", "+edge@edge.example")]
    apply_import(plan, repo)
    from app.storage.export import to_csv

    edge = next(p for p in repo.list_prospects() if p.company == "Edge")
    repo.add_note(edge.id, "Edge note")
    assert "'+edge@edge.example" in to_csv(repo)  # a spreadsheet won't run it as a formula
