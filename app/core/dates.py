"""Dates: timestamps for the store and the follow-up calendar, and the one reader of dates other
programs wrote (page metadata, feeds, news and job APIs, HTTP headers, our own store).

Every "when" that arrives as text goes through parse_datetime (or day / to_date / iso on top of it),
so a form one source taught us to read (RFC 2822 in a feed, "2020-11-11 12:00:00.000-0600" from a
CMS) is read the same everywhere, and no caller slices "[:10]" off a string it hopes is ISO 8601.
Plausibility (a page dated 1900, a job posted next year) is each caller's policy, not the reader's.

Finding a date inside prose ("March 13, 2014", "on Dec 3") is another job: app/research/dates.py
for pages, app/compose/accuracy.py for drafts.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

MAX_CHARS = 64  # longer text is a sentence, not a timestamp
# Near misses of ISO 8601 that CMSs and APIs write.
_TZ_NO_COLON = re.compile(r"([+-]\d{2})(\d{2})$")  # "...12:00:00.000-0600"
_DATE_PREFIX = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")  # "2024/03/05", "2026-11-18 08:08:52 UTC"
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})$")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T")
# How _read read the text: ISO 8601 as written, a near miss of it, a date alone, RFC 2822.
_ISO, _NEAR, _DAY, _RFC = range(4)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def add_business_days(start: date, days: int) -> date:
    """start + days, skipping Saturdays and Sundays."""
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def _read(text: str) -> tuple[datetime, int] | None:
    try:
        return datetime.fromisoformat(text), _ISO
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(_TZ_NO_COLON.sub(r"\1:\2", text.replace(" ", "T", 1))), _NEAR
    except ValueError:
        pass
    match = _DATE_PREFIX.match(text) or _COMPACT_DATE.match(text)
    if match:
        try:
            return datetime(*(int(g) for g in match.groups())), _DAY
        except ValueError:
            pass
    try:
        return parsedate_to_datetime(text), _RFC
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text if text and len(text) <= MAX_CHARS else None


def parse_datetime(value: object) -> datetime | None:
    """A timestamp written as text: ISO 8601 (date alone or with a time, with or without a zone, "Z",
    20240305), its near misses ("2024-03-05 10:00:00.000-0600", "2024/03/05", "2024-03-05 08:08 UTC")
    or RFC 2822 ("Tue, 05 Mar 2024 10:00:00 GMT"). Naive when the text names no zone; None for
    anything else, never an exception. A datetime passes through; a date is its midnight."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = _text(value)
    found = _read(text) if text else None
    return found[0] if found else None


def to_date(value: object) -> date | None:
    """The calendar day of a timestamp parse_datetime reads, as written (no shift to UTC:
    "2026-03-02T23:00:00-05:00" is March 2); None when it reads none."""
    if type(value) is date:
        return value
    if isinstance(value, str) and len(value) == 10:  # "2026-03-02", the store's own form: the common case
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    parsed = parse_datetime(value)
    return parsed.date() if parsed else None


def day(value: object) -> str | None:
    """to_date as "YYYY-MM-DD" (what facts are filed and shown under); None when value is no date."""
    found = to_date(value)
    return found.isoformat() if found else None


def iso(value: object) -> str | None:
    """A timestamp as ISO 8601 text: kept as written when it already is a date and time in the
    extended form, a date alone when only a date was given, else rewritten; None when unreadable."""
    text = _text(value)
    found = _read(text) if text else None
    if found is None:
        return None
    parsed, how = found
    if how == _DAY or (how == _ISO and len(text) <= 10):  # a date alone: 2024-03-05, 20240305, 2024-W10-2
        return parsed.date().isoformat()
    if how == _ISO and _ISO_DATETIME.match(text):
        return text
    return parsed.isoformat()
