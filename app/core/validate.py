"""Checking what the rep typed before it reaches the store: one place, used by CLI and UI."""
from __future__ import annotations

from dataclasses import dataclass, field

from .errors import InputError
from .text import MAX_FIELD_CHARS, MAX_NOTE_CHARS, normalize_url, sanitize


@dataclass(frozen=True)
class ProspectInput:
    company: str
    website: str = ""
    contact_name: str = ""
    role: str = ""
    notices: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class NoteInput:
    text: str
    source_url: str = ""
    notices: tuple[str, ...] = field(default_factory=tuple)


def _field(value: str, what: str, notices: list[str], limit: int = MAX_FIELD_CHARS) -> str:
    value, changes = sanitize(value or "")
    notices.extend(f"{what}: {c}." for c in changes)
    value = " ".join(value.split())
    if len(value) > limit:
        raise InputError(f"{what} is too long ({len(value):,} characters; the limit is {limit:,}).")
    return value


def prospect_input(company: str, website: str = "", contact_name: str = "", role: str = "") -> ProspectInput:
    notices: list[str] = []
    company = _field(company, "Company name", notices)
    if not company:
        raise InputError("Company name is empty. Type the company's name, e.g. 'Acme Robotics'.")
    website = normalize_url(_field(website, "Website", notices))
    return ProspectInput(
        company=company,
        website=website,
        contact_name=_field(contact_name, "Contact name", notices),
        role=_field(role, "Role", notices),
        notices=tuple(notices),
    )


def note_input(text: str, source_url: str = "") -> NoteInput:
    notices: list[str] = []
    text, changes = sanitize(text or "")
    notices.extend(f"Note: {c}." for c in changes)
    text = text.strip()
    if not text:
        raise InputError("The note is empty. Write what you learned, e.g. 'Opened a plant in Austin in May'.")
    if len(text) > MAX_NOTE_CHARS:
        raise InputError(
            f"The note is too long ({len(text):,} characters; the limit is {MAX_NOTE_CHARS:,}). "
            "Keep the part worth citing, or split it into several notes."
        )
    url = normalize_url(_field(source_url, "Source URL", notices), what="Source URL")
    return NoteInput(text=text, source_url=url, notices=tuple(notices))
