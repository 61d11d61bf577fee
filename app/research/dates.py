"""Dates written in page text ("March 13, 2014", "13 March 2014", "03/13/2014", "2014-03-13").

Only whole dates (day, month and year) count: a bare year or "March 2014" is not a date to file a
fact under. Numeric dates read month first (US) unless the first number cannot be a month.
"""
from __future__ import annotations

import re
from datetime import date

_MONTHS = {m: i for i, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")), 1) for m in names}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [re.compile(p, re.IGNORECASE) for p in (
    rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",  # March 13, 2014
    rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b",  # 13 March 2014, 13th of March 2014
    rf"\b{_YEAR}-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)\b",  # 2014-03-13
    rf"\b{_YEAR}/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)\b",  # 2014/03/13
    rf"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.]{_YEAR}\b",  # 03/13/2014, 13.03.2014
)]
_FILLER = re.compile(r"\b(?:posted|published|updated|on|by|date|dated|news|am|pm|mon|tue|wed|thu|fri|sat|sun"
                     r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\d{1,2}:\d\d|[^\w\s]",
                     re.IGNORECASE)


def _parse(match: re.Match) -> str | None:
    g = match.groupdict()
    year = int(g["year"])
    if g.get("month"):
        month, day = _MONTHS[g["month"].lower().rstrip(".")], int(g["day"])
    elif g.get("m"):
        month, day = int(g["m"]), int(g["d"])
    else:
        a, b = int(g["a"]), int(g["b"])
        month, day = (a, b) if a <= 12 else (b, a)
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found.isoformat() if found <= date(date.today().year + 1, 12, 31) else None


def date_in(text: str, leading_only: bool = False) -> str | None:
    """The first whole date in text as YYYY-MM-DD; leading_only: only one that opens the text."""
    best: tuple[int, str] | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text[:40] if leading_only else text):
            if leading_only and match.start() > 2:
                break
            parsed = _parse(match)
            if parsed:
                if best is None or match.start() < best[0]:
                    best = (match.start(), parsed)
                break
    return best[1] if best else None


def is_date_line(text: str) -> bool:
    """A short line that is mostly a date ("Posted on March 13, 2014", "03/13/2014 | News")."""
    if len(text) > 60:
        return False
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match and _parse(match):
            rest = _FILLER.sub(" ", text[: match.start()] + " " + text[match.end():])
            return len(rest.split()) <= 2
    return False
