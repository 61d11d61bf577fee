"""The message as it leaves: plain text and HTML for the clipboard, and a mailto: link.

A follow-up is the short new text on top of the forwarded original, quoted as mail clients
quote (a forward header, then the original with "> " in plain text, a blockquote in HTML).
"""
from __future__ import annotations

import html
from urllib.parse import quote

from .text import strip_citations

FORWARD_HEADER = "---------- Forwarded message ---------"


def _quoted(original: str) -> str:
    return "\n".join("> " + line if line else ">" for line in original.splitlines())


def plain_message(body: str, forwarded: str | None = None, sent_on: str = "", subject: str = "") -> str:
    """What the prospect reads: markers removed, spacing tidied, the original below a follow-up."""
    text = strip_citations(body)
    if forwarded is None:
        return text
    header = [FORWARD_HEADER]
    if sent_on:
        header.append(f"Date: {sent_on}")
    if subject:
        header.append(f"Subject: {subject}")
    return f"{text}\n\n" + "\n".join(header) + "\n\n" + _quoted(forwarded)


def _paragraphs(text: str) -> str:
    blocks = [b for b in text.split("\n\n") if b.strip()]
    return "".join(f"<p>{html.escape(b).replace(chr(10), '<br>')}</p>" for b in blocks)


def html_message(body: str, forwarded: str | None = None, sent_on: str = "", subject: str = "") -> str:
    """The same message as HTML (everything escaped: a fact's text is never markup)."""
    out = f"<div>{_paragraphs(strip_citations(body))}</div>"
    if forwarded is None:
        return out
    header = [FORWARD_HEADER] + ([f"Date: {html.escape(sent_on)}"] if sent_on else []) + (
        [f"Subject: {html.escape(subject)}"] if subject else [])
    return (out + "<div>" + "<br>".join(header) + "</div>"
            + '<blockquote style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">'
            + _paragraphs(forwarded) + "</blockquote>")


def mailto_url(to: str, subject: str, text: str) -> str:
    """A mailto: link with the subject and the plain text (RFC 6068: %-encoded, CRLF line breaks)."""
    body = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{quote(to, safe='@')}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
