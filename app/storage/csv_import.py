"""Prospects from a CSV file: headers matched loosely, a preview first, bad rows reported, no duplicates.

Spreadsheets export every dialect there is: comma, semicolon or tab; a UTF-8 BOM or Windows-1252;
"Company Name" or "Account". We read what we can, say exactly which lines we skipped and why,
and never import the same prospect twice.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import InputError
from app.core.validate import note_input, prospect_input

from .repo import WorkspaceRepo

MAX_BYTES = 50 * 1024 * 1024
# Loose header names, after lower-casing and dropping everything but letters and digits.
COLUMNS = {
    "company": ("company", "companyname", "account", "accountname", "organization", "organisation", "org",
                "business", "businessname", "employer", "firm"),
    "website": ("website", "url", "domain", "site", "web", "homepage", "companywebsite", "websiteurl"),
    "contact": ("contact", "contactname", "name", "fullname", "person", "lead", "leadname", "prospect"),
    "first": ("firstname", "first", "givenname"),
    "last": ("lastname", "last", "surname", "familyname"),
    "role": ("role", "title", "jobtitle", "position", "jobrole"),
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


@dataclass
class ImportPlan:
    columns: dict[str, str]  # our field -> the file's header
    rows: list[RowPlan] = field(default_factory=list)  # what will be imported
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, why it is skipped)
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (line, company) already there
    delimiter: str = ","
    encoding: str = "utf-8"


def _normal(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def _decode(data: bytes) -> tuple[str, str]:
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(encoding), encoding.replace("-sig", "")
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", "replace"), "windows-1252"


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
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path.name} is {size / 1e6:.0f} MB; split it into files under 50 MB.")
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"Can't read {path}: {e.strerror}.") from None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path.name} is not a CSV file (it looks binary). Export the sheet as CSV and try again.")
    text, encoding = _decode(data)
    delimiter = _dialect(text[:8192])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{path.name} is empty.") from None
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

    previous_end = reader.line_num  # a quoted cell may span lines: a row starts after the last one ended
    for row in reader:
        line, previous_end = previous_end + 1, reader.line_num
        if not any(c.strip() for c in row):
            continue  # blank lines are not worth a complaint
        contact = cell(row, "contact") or " ".join(x for x in (cell(row, "first"), cell(row, "last")) if x)
        try:
            data_in = prospect_input(cell(row, "company"), cell(row, "website"), contact, cell(row, "role"))
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
        plan.rows.append(RowPlan(line, data_in.company, data_in.website, data_in.contact_name, data_in.role, notes))
    return plan


def apply_import(plan: ImportPlan, repo: WorkspaceRepo) -> int:
    """Write the planned rows in one transaction; returns how many prospects were added."""
    with repo.transaction():
        for row in plan.rows:
            p = repo.add_prospect(row.company, row.website, row.contact, row.role)
            if row.notes:
                repo.add_note(p.id, row.notes)
    return len(plan.rows)
