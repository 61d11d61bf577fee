"""Checks for the fields a rep types when editing (a contact's e-mail address, a fact's publication date,
a fact's source): the one copy the store enforces and the dialogs check as the rep types. Each returns
the value to store or raises InputError with the sentence the rep reads."""
from __future__ import annotations

import re
from datetime import date

from app.core import dates
from app.core.errors import InputError
from app.core.text import MAX_FIELD_CHARS, normalize_url, sanitize

# The shape of an address, not its deliverability: a local part without spaces or the characters that split a
# list of addresses, one @, and a domain of dotted labels ending in a top-level name. Unicode letters pass
# (internationalised addresses exist); "n/a", "dana@harborpine" and "dana at harborpine.com" don't.
_LOCAL = re.compile(r"[^\s@<>()\[\],;:\\\"]+")
_LABEL = re.compile(r"(?!-)[^\W_](?:[\w-]{0,61}[^\W_])?", re.UNICODE)
_TOP = re.compile(r"(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})", re.UNICODE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EMAIL_EXAMPLE = "dana@harborpine.com"


def _clean(value: str) -> str:
    value, _ = sanitize(value or "")
    return " ".join(value.split())


def email_input(value: str) -> str:
    """The address to store ("" for none): "mailto:" and a display name ("Dana <dana@x.com>") are dropped,
    the domain lower-cased. InputError if it is not shaped like one address."""
    value = _clean(value)
    if not value:
        return ""
    named = re.fullmatch(r"[^<>]*<([^<>]*)>", value)  # what a mail client copies: Dana Okafor <dana@x.com>
    address = (named.group(1) if named else value).strip()
    address = re.sub(r"(?i)^mailto:", "", address)
    value = value if len(value) <= 80 else value[:79] + "…"  # quoted back to the rep: a pasted page is no name
    if len(address) > 254:
        raise InputError(f"The e-mail address is too long ({len(address)} characters; an address has at most 254).")
    if sum("@" in part for part in re.split(r"[,;\s]+", address)) > 1:
        raise InputError(f"'{value}' holds more than one e-mail address. Keep one, e.g. {EMAIL_EXAMPLE}.")
    if re.search(r"\s", address):
        raise InputError(f"'{value}' has spaces in it; an e-mail address has none. Type it as name@company.com, "
                         f"e.g. {EMAIL_EXAMPLE}.")
    local, _, domain = address.partition("@")
    labels = domain.rstrip(".").split(".")
    shaped = (
        _LOCAL.fullmatch(local) and len(local) <= 64 and not local.startswith(".") and not local.endswith(".")
        and ".." not in local and len(labels) >= 2 and all(_LABEL.fullmatch(label) for label in labels)
        and _TOP.fullmatch(labels[-1].lower())
    )
    if not shaped:
        raise InputError(f"'{value}' is not an e-mail address. Type it as name@company.com, e.g. {EMAIL_EXAMPLE}.")
    return f"{local}@{'.'.join(labels).lower()}"


def published_input(value: str | None, today: date) -> str | None:
    """A publication date as YYYY-MM-DD, None for "" (cleared). InputError for another shape, an impossible
    date, or a date after today (a fact can't be published in the future; the date is likely mistyped)."""
    value = _clean(value or "")
    if not value:
        return None
    if not _DATE.fullmatch(value):
        raise InputError(f"The date '{value}' is not a date: type it as YYYY-MM-DD, e.g. {today.isoformat()}.")
    day = dates.to_date(value)
    if day is None:
        raise InputError(f"{value} is not a day of the calendar. Type it as YYYY-MM-DD.")
    if day > today:
        raise InputError(f"The date {value} is in the future (today is {today.isoformat()}). Type the day it was "
                         "published.")
    return value


def source_url_input(value: str | None) -> str:
    """An http(s) address for a fact's source ("" clears it): never file:, javascript: or data:, which a
    click in the app or in an export would open on the rep's machine."""
    value = _clean(value or "")
    # normalize_url would read "javascript:alert(1)" as a bare host and say only that it is no web address;
    # the rep should hear which kind of link is refused. (A port, "localhost:8080", is not a scheme.)
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+-]*):(?!\d)", value)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        raise InputError(f"Source URL must be an http:// or https:// address, not {scheme.group(1).lower()}:.")
    return normalize_url(value, what="Source URL")


def source_title_input(value: str | None) -> str:
    value = _clean(value or "")
    if len(value) > MAX_FIELD_CHARS:
        raise InputError(f"Source title is too long ({len(value):,} characters; the limit is {MAX_FIELD_CHARS:,}).")
    return value
