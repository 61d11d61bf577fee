"""deliverability: what spam filters and phone mail apps punish, for what the rule pack's own check kinds
can't express: links (how many, and shorteners), "!" and ALL-CAPS in the text and subject, and the subject's length.

One script (checks.SCRIPTS) looks for all of them in the subject and the rep's new text (a forwarded
original is not theirs to fix), and only does real work when the text has what it looks for: a "/"
or "www." before any link is parsed, two capitals in a row before a run of them is looked for.
"""
from __future__ import annotations

import re

from app.core import urls

from . import vocab
from .analysis import Analysis, Span
from .rulepack import Check

Result = tuple[str, dict, list[Span]]
PASS: Result = ("pass", {}, [])

# A link as a mail client would make one: a scheme, a www. host, or a host with a path ("bit.ly/x").
_LINK_RE = re.compile(
    r"(?<![\w@.-])(?:https?://[^\s<>()\[\]\"']+|www\.[^\s<>()\[\]\"']+|(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>()\[\]\"']*)",
    re.IGNORECASE,
)
# Three or more ALL-CAPS words in a row ("ACT NOW FREE"); each word two letters or more, so "I" and "A" don't count.
_CAPS_RUN_RE = re.compile(r"[A-Z][A-Z0-9'’&-]*[A-Z0-9](?:[ \t]+[A-Z][A-Z0-9'’&-]*[A-Z0-9]){2,}(?![\w'’])")
# Upper-case ASCII letters to "A", everything else to ".": "AA" in the result means two capitals in a row.
_CAPITALS = bytes(ord("A") if 65 <= i <= 90 else ord(".") for i in range(256))
# An ALL-CAPS subject has no lower-case letter and at least this many capitals ("ROI" is an acronym, "URGENT" is not).
_CAPS_SUBJECT_LETTERS = 5


def _message_regions(a: Analysis) -> list[Span]:
    """The subject and the new text as one region: only the blank line after "Subject: ..." lies between them."""
    start, end = a.new_span
    return [(a.subject_span[0] if a.subject else start, end)]


def _links(a: Analysis, regions: list[Span]) -> list[tuple[Span, str]]:
    """Every link (span, host) in the regions; nothing is parsed unless a "/" or "www." is there."""
    found = []
    text = a.text
    for start, end in regions:
        if text.find("/", start, end) < 0 and text.find("www.", start, end) < 0:
            continue
        for m in _LINK_RE.finditer(text, start, end):
            link = m.group().rstrip(".,;:!?)")
            found.append(((m.start(), m.start() + len(link)), urls.site(link, bare=True)))
    return found


def _caps_runs(a: Analysis) -> list[Span]:
    """Runs of three or more ALL-CAPS words in the content; the regex runs only on text with two capitals in a row."""
    start, end = a.content_span
    chunk = a.text[start:end]
    if b"AA" not in chunk.encode("ascii", "replace").translate(_CAPITALS):
        return []
    return [m.span() for m in _CAPS_RUN_RE.finditer(a.text, start, end)]


def spam_signals(a: Analysis, check: Check, params: dict) -> Result:
    """Links (more than max_links, or any through a URL shortener), more than max_exclamations "!", a run of
    ALL-CAPS words, an ALL-CAPS subject, and a subject over max_subject_chars: each problem found is worded
    by the check's message_<problem> and all of them make the message, so one check costs one pass."""
    regions = _message_regions(a)
    text = a.text
    problems: list[tuple[str, dict, list[Span]]] = []

    found = _links(a, regions)
    if found:
        shorteners = frozenset(check.options.get("shorteners", ()))
        short = [(span, host) for span, host in found if host in shorteners]
        if short:
            hosts = ", ".join(dict.fromkeys(host for _, host in short))
            problems.append(("shortener", {"hosts": hosts}, [s for s, _ in short]))
        if len(found) > params.get("max_links", 1):
            problems.append(("links", {"count": len(found)}, [s for s, _ in found]))

    count = sum(text.count("!", s, e) for s, e in regions)
    if count > params.get("max_exclamations", 1):
        spans = []
        for s, e in regions:
            i = text.find("!", s, e)
            while i >= 0:
                spans.append((i, i + 1))
                i = text.find("!", i + 1, e)
        problems.append(("exclamations", {"count": count}, spans))

    runs = _caps_runs(a)
    if runs:
        problems.append(("caps", {"match": text[slice(*runs[0])]}, runs))

    subject = a.subject
    # SpamAssassin's SUBJ_ALL_CAPS: no lower-case letter, and enough capitals to be more than an acronym.
    if subject and subject == subject.upper() and sum(c.isupper() for c in subject) >= _CAPS_SUBJECT_LETTERS:
        problems.append(("caps_subject", {"subject": subject}, [a.subject_span]))
    if subject is not None and len(subject) > params.get("max_subject_chars", 45):
        problems.append(("subject_chars", {"chars": len(a.subject)}, [a.subject_span]))

    if not problems:
        return PASS
    # A team's pack that leaves a message_<problem> out still says which problem it is.
    said = " ".join(check.options.get(f"message_{which}", which.replace("_", " ") + ".")
                    .format_map({**params, **values}) for which, values, _ in problems)
    return check.level, {"problems": said}, [span for _, _, spans in problems for span in spans]


SCRIPTS = {"spam_signals": spam_signals}
# The script reads its check's list of shortener hosts (vocab.py validates a pack's keys); its
# message_<problem> options are message variants, which a script may always have.
vocab.SCRIPT_OPTIONS["spam_signals"] = vocab.SCRIPT_OPTIONS.get("spam_signals", frozenset()) | frozenset({"shorteners"})
