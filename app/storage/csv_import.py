"""Prospects from a CSV file: headers matched loosely, a preview first, bad rows reported, no duplicates.

Spreadsheets export every dialect there is: comma, semicolon or tab; a UTF-8 BOM or Windows-1252;
"Company Name" or "Account", "E-mail" or "Work Email". We read what we can, say exactly which lines we skipped and why,
and never import the same prospect twice.
"""
from __future__ import annotations

import csv
import io
import itertools
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.core import encodings
from app.core.errors import InputError
from app.core.fields import email_input
from app.core.text import MAX_NOTE_CHARS
from app.core.validate import note_input, prospect_input

from .repo import WorkspaceRepo

MAX_BYTES = 50 * 1024 * 1024
_CHUNK = 1024 * 1024
# The longest cell worth reading is a note (company, website, contact and role are far shorter); a longer
# cell in any column makes its row a bad row, reported by line.
MAX_CELL_CHARS = MAX_NOTE_CHARS
# Fed to the csv reader after the file's last line. It comes back as a row of its own, unless a quoted cell
# is still open at the end of the file: then the reader reads it into that cell. That tells a run-away quote
# from a proper multi-line cell by csv's own quoting rules, not a copy of them. (Private-use characters:
# no spreadsheet writes this.)
_END = "\ue000earned:end-of-file\ue000"
# Loose header names, after lower-casing and dropping everything but letters and digits.
COLUMNS = {
    "company": ("company", "companyname", "account", "accountname", "organization", "organisation", "org",
                "business", "businessname", "employer", "firm"),
    "website": ("website", "url", "domain", "site", "web", "homepage", "companywebsite", "websiteurl"),
    "contact": ("contact", "contactname", "name", "fullname", "person", "lead", "leadname", "prospect"),
    "first": ("firstname", "first", "givenname"),
    "last": ("lastname", "last", "surname", "familyname"),
    "role": ("role", "title", "jobtitle", "position", "jobrole"),
    "email": ("email", "emailaddress", "workemail", "workemailaddress", "contactemail", "contactemailaddress",
              "businessemail", "primaryemail", "mail", "emailaddr"),
    "notes": ("notes", "note", "comments", "comment", "research", "description"),
}


@dataclass
class RowPlan:
    line: int
    company: str
    website: str
    contact: str
    role: str
    notes: str
    email: str = ""


@dataclass
class ImportPlan:
    columns: dict[str, str]  # our field -> the file's header
    rows: list[RowPlan] = field(default_factory=list)  # what will be imported
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, why it is skipped)
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (line, company) already there
    delimiter: str = ","
    encoding: str = "utf-8"


@dataclass
class _Row:
    line: int  # the line it starts on
    cells: list[str]
    open_quote: int = 0  # if not 0: the line of a quote never closed; cells is then the rest of the file


def _size(n: int) -> str:
    """1.2 GB, 73.5 MB: rounded up, so a file just over the cap never reads as the cap itself."""
    unit, scale = ("GB", 1024**3) if n >= 1024**3 else ("MB", 1024**2)
    return f"{math.ceil(n * 10 / scale) / 10:.1f}".removesuffix(".0") + f" {unit}"


def _read(path: Path) -> bytes:
    """The file's bytes, reading no more than MAX_BYTES + 1 of them: a bigger file is refused.

    Its size alone can't tell: a FIFO or a device says 0, and a file may grow while we read it."""
    split = f"Earned imports files up to {_size(MAX_BYTES)}. Split it and import the parts."
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_BYTES:
                raise InputError(f"{path.name} is {_size(size)}; {split}")
            chunks, total = [], 0
            while total <= MAX_BYTES:
                chunk = f.read(min(_CHUNK, MAX_BYTES + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
    except OSError as e:
        raise InputError(f"Can't read {path}: {e.strerror}.") from None
    if total > MAX_BYTES:
        raise InputError(f"{path.name} is larger than {_size(MAX_BYTES)}; {split}")
    return b"".join(chunks)


def _rows(text: str, delimiter: str) -> Iterator[_Row]:
    """Each row with the line it starts on; a row whose quote never closes comes last, with open_quote set."""
    # csv's limit on a cell (131,072 characters unless raised) is process-wide, and a cell over it is an
    # exception that ends the whole read. Raise it to the file cap, so no cell of a file we accept can hit
    # it and we report long cells ourselves, per row. Only ever raised, never lowered or put back: that
    # can't break other code in the process (another thread may be parsing; nothing relies on the lower
    # limit), and it stays bounded.
    # A cell has at most as many characters as the file has bytes (plus our end marker, when swallowed).
    if csv.field_size_limit() < MAX_BYTES + len(_END):
        csv.field_size_limit(MAX_BYTES + len(_END))
    reader = csv.reader(itertools.chain(io.StringIO(text, newline=""), [_END]), delimiter=delimiter)
    previous_end = 0  # a quoted cell may span lines: a row starts after the last one ended
    for cells in reader:
        line, previous_end = previous_end + 1, reader.line_num
        if cells[-1:] and cells[-1].endswith(_END):
            if line < reader.line_num:  # the marker's line went into a row that started in the file
                yield _Row(line, [], _quote_line(text, cells[-1][: -len(_END)]))
            return
        yield _Row(line, cells)


def _quote_line(text: str, tail: str) -> int:
    """The line of the quote that opened the file's last cell, never closed, whose text is tail."""
    # The cell is the file's end, right after its opening quote; inside quotes csv read each "" as ".
    quote_at = len(text) - len(tail) - tail.count('"') - 1
    return _count_lines(text[: quote_at + 1])


def _count_lines(text: str) -> int:
    """Lines as the csv reader counts them: ended by LF, CRLF or CR (str.splitlines knows more endings)."""
    return sum(1 for _ in io.StringIO(text, newline=""))


def _normal(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def _decode(data: bytes) -> tuple[str, str]:
    """The file as text and the encoding read (UTF-8 or UTF-16 by their marks, else Windows' cp1252)."""
    text, encoding = encodings.decode(data)
    return text, encoding.removesuffix("-le").removesuffix("-be")


def _dialect(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.split("\n", 1)[0].count(d) for d in ",;\t|"}
        return max(counts, key=counts.get) if max(counts.values()) else ","


def _map_columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _normal(name)
        for column, names in COLUMNS.items():
            if key in names and column not in found:
                found[column] = index
                break
    return found


def plan_import(path: Path, repo: WorkspaceRepo) -> ImportPlan:
    """Read and check the file; nothing is written. Raises InputError when it can't be used at all."""
    data = _read(path)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path.name} is not a CSV file (it looks binary). Export the sheet as CSV and try again.")
    text, encoding = _decode(data)
    delimiter = _dialect(text[:8192])
    rows = _rows(text, delimiter)
    first = next(rows, None)
    if first is None:
        raise InputError(f"{path.name} is empty.")
    if first.open_quote:
        raise InputError(f'{path.name}: the header row has a quote (") opened on line {first.open_quote} that is '
                         "never closed, so the whole file reads as one cell. Add the missing closing quote and "
                         "try again.")
    header = first.cells
    columns = _map_columns(header)
    if "company" not in columns:
        shown = ", ".join(h.strip() for h in header[:12] if h.strip()) or "nothing"
        raise InputError(f"{path.name} has no company column. Name one 'Company' (its header row has: {shown}).")
    plan = ImportPlan({k: header[i] for k, i in columns.items()}, delimiter=delimiter, encoding=encoding)

    existing = {(p.company.casefold(), p.website.casefold()) for p in repo.list_prospects()}
    existing_names = {c for c, _ in existing}
    seen: set[tuple[str, str]] = set()

    def cell(row: list[str], column: str) -> str:
        i = columns.get(column)
        return row[i].strip() if i is not None and i < len(row) else ""

    for r in rows:
        line, row = r.line, r.cells
        if r.open_quote:  # the reader ran from that quote to the end of the file: nothing in it is a row
            last = _count_lines(text)
            ran = f"lines {line} to {last} ran together into one cell and none of them were" if last > line \
                else f"line {line} was not"
            plan.errors.append((line, f'a quote (") opened on line {r.open_quote} is never closed, so {ran} '
                                      "imported. Add the missing closing quote and import again."))
            break
        if not any(c.strip() for c in row):
            continue  # blank lines are not worth a complaint
        longest = max(map(len, row))
        if longest > MAX_CELL_CHARS:
            plan.errors.append((line, f"a cell is {longest:,} characters long; Earned takes cells up to "
                                      f"{MAX_CELL_CHARS:,} characters."))
            continue
        contact = cell(row, "contact") or " ".join(x for x in (cell(row, "first"), cell(row, "last")) if x)
        try:
            data_in = prospect_input(cell(row, "company"), cell(row, "website"), contact, cell(row, "role"))
            email = email_input(cell(row, "email"))
            notes = cell(row, "notes")
            if notes:
                note_input(notes)
        except InputError as e:
            plan.errors.append((line, str(e)))
            continue
        key = (data_in.company.casefold(), data_in.website.casefold())
        if key in existing or key in seen or (not data_in.website and data_in.company.casefold() in existing_names):
            plan.duplicates.append((line, data_in.company))
            continue
        seen.add(key)
        plan.rows.append(RowPlan(line, data_in.company, data_in.website, data_in.contact_name, data_in.role, notes,
                                 email))
    return plan


def apply_import(plan: ImportPlan, repo: WorkspaceRepo) -> int:
    """Write the planned rows in one transaction; returns how many prospects were added."""
    with repo.transaction():
        for row in plan.rows:
            p = repo.add_prospect(row.company, row.website, row.contact, row.role, row.email)
            if row.notes:
                repo.add_note(p.id, row.notes)
    return len(plan.rows)
