"""The plain-text form of a draft: optional 'Subject: ...' line, blank line, body."""
from __future__ import annotations

import re
from dataclasses import dataclass

_SUBJECT_RE = re.compile(r"\A[ \t]*subject[ \t]*:[ \t]*(.*?)[ \t]*(?:\r?\n|\Z)", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedDraft:
    text: str
    subject: str | None
    subject_start: int  # offset of the subject's first character in text (when subject is not None)
    body: str
    body_start: int  # offset of body[0] in text: add it to body offsets to get spans into text


def parse_draft(text: str) -> ParsedDraft:
    m = _SUBJECT_RE.match(text)
    if not m:
        return ParsedDraft(text, None, 0, text, 0)
    body_start = m.end()
    # The blank line after the subject belongs to neither part.
    while body_start < len(text) and text[body_start] in "\r\n":
        body_start += 1
    return ParsedDraft(text, m.group(1), m.start(1), text[body_start:], body_start)


def compose_text(subject: str, body: str) -> str:
    """The inverse of parse_draft, as the composer hands a draft to the rule engine."""
    if subject.strip():
        return f"Subject: {subject.strip()}\n\n{body}"
    return body
