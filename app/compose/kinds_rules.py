"""Scripts for the message kinds beyond email (LinkedIn notes, call scripts), registered in checks.SCRIPTS.

Each takes (analysis, check, params) and returns (status, values, spans) like every check kind. A script
check has no options but its name (vocab.py), so a script reads its rule's params by name (max_chars),
and the one phrase grammar these need (the email that follows a call) lives here.
"""
from __future__ import annotations

import re

from app.core.text import strip_citations
from app.core.tokens import DOTTED_WORD_RE

from .analysis import Analysis, Span
from .phrases import PhraseMatcher
from .rulepack import Check

Result = tuple[str, dict, list[Span]]
PASS: Result = ("pass", {}, [])

# Words a company's name shares with too many sentences to count as naming it.
_NAME_NOISE = frozenset({
    "the", "and", "of", "for", "inc", "llc", "ltd", "llp", "plc", "corp", "corporation", "incorporated", "limited",
    "co", "company", "group", "holdings", "gmbh", "ag", "sa", "bv", "nv", "general", "national", "american",
    "global", "international", "united", "first", "new", "north", "south", "east", "west",
})
OPENERS_RULE = "insight"  # the rule whose fail-level checks catch a pitch opener

# "The email that follows", in the shapes a rep says it: who sends (I'll / I'm / let me ...), how (send,
# drop, shoot, email), what (a short email, a note), or where to look for it (your inbox).
_WILL = "(I'll|I will|I'm going to|I am going to|I'm about to|let me|I'd like to)"
_NOTE = "((short|quick|brief|two-line|follow-up|short follow-up) )?(e-?mail|note|message|line|summary|recap)"
_EMAIL_FOLLOWS = PhraseMatcher([
    f"{_WILL} (send|drop|shoot|write) (you )?(a|an|my|the|this|one) {_NOTE}",
    f"{_WILL} (e-?mail|write|message) you",
    f"(I'm|I am|I've|I have|I just|I) (sending|sent|emailed|e-mailed|dropped|dropping|written|writing) (you )?"
    f"(a|an|my|the|this|one) {_NOTE}",
    "(I'm|I am|I've|I have|I just|I) (emailing|e-mailing|emailed|e-mailed|written|writing) you",
    "(look|watch|keep an eye) (out )?for (my|an|the|a) ((short|quick|brief) )?(e-?mail|note|message)",
    "(in|to|hit|hits|hitting) your inbox",
    "(e-?mail|note|message) (is )?(on its way|coming your way|to follow|will follow|follows)",
    "follow (this|it|up) (up )?with (a|an|my) ((short|quick|brief) )?(e-?mail|note)",
])


def sendable_length(body: str) -> int:
    """Characters of a note as the prospect gets it (citation markers removed), counted as a browser's text
    box counts them (UTF-16: an emoji counts two), so a note that fits here fits LinkedIn's box."""
    return len(strip_citations(body).encode("utf-16-le")) // 2


def characters(a: Analysis, check: Check, params: dict) -> Result:
    """The body (a subject line is another check's business) fits in the rule's max_chars characters."""
    limit = params["max_chars"]
    value = sendable_length(a.parsed.body)
    values = {"chars": value, "over": value - limit}  # ("value" is the subject metric's)
    if value > limit:
        return check.level, values, []
    return "pass", values, []


def pitch_opener(a: Analysis, check: Check, params: dict) -> Result:
    """The insight rule's fail-level checks (its pitch openers), run as this check: one list of openers
    for every kind, kept where the first-touch rule keeps it."""
    from .checks import KINDS  # checks imports this module to register the scripts
    from .rulepack import default_pack

    try:
        rule = default_pack().get(OPENERS_RULE)
    except KeyError:
        return PASS
    for other in rule.checks:
        if other.level != "fail":
            continue
        status, values, spans = KINDS[other.kind](a, other, rule.params)
        if status != "pass":
            return check.level, values, spans
    return PASS


def _company_names(company: str | None) -> list[str]:
    """The prospect's name as a sentence may say it: whole, or its leading words ("Harbor & Pine" of
    "Harbor & Pine Freight"), never a lone common word ("General", "The")."""
    words = DOTTED_WORD_RE.findall(company or "")  # "AT&T", "Inc." whole
    names = []
    for n in range(len(words), 0, -1):
        head = words[:n]
        if n == 1 and (len(head[0]) < 3 or head[0].lower().rstrip(".") in _NAME_NOISE):
            continue
        if head[-1].lower().rstrip(".") in _NAME_NOISE and n < len(words):
            continue
        names.append(head)
    return [_name_pattern(name) for name in names]


def _name_pattern(words: list[str]) -> str:
    # The words in order, case as the company writes them, with what it puts between them ("&", "and", "-").
    return r"(?<![\w'’])" + r"\W{1,5}(?:and\W{1,5})?".join(re.escape(w) for w in words) + r"(?![\w'’])"


def leads_with_reason(a: Analysis, check: Check, params: dict) -> Result:
    """The first sentence carries a citation or names the prospect's company: the reason comes first."""
    if not a.sentences:
        return check.level, {"which": "empty"}, []
    first = a.sentences[0]
    if any(a.sentence_of(start)[0] == first[0] for _, start, _ in a.resolved_citations):
        return PASS
    sentence = a.text[first[0]:first[1]]
    if any(re.search(p, sentence) for p in _company_names(a.company)):
        return PASS
    return check.level, {"sentence": " ".join(sentence.split())[:80]}, [first]


def points_to_email(a: Analysis, check: Check, params: dict) -> Result:
    """The content tells them an email or note follows ("I'll send you a short email")."""
    if a.find_phrases(_EMAIL_FOLLOWS, a.content_span):
        return PASS
    return check.level, {}, []


SCRIPTS = {"characters": characters, "pitch_opener": pitch_opener, "leads_with_reason": leads_with_reason,
           "points_to_email": points_to_email}
