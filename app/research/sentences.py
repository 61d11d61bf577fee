"""Sentences of page text that hold together: initials, acronyms, line breaks, headings, other scripts.

A block of page text keeps "\\n" where the page had a <br> and "\\n\\n" where it had a blank line.
A line break ends a sentence only when the line before it is finished (terminal punctuation) or
reads like a heading; otherwise the sentence runs on across it ("serving<br>Long Island since
1985."). A full stop after an initial ("R. Mack Babcock") or inside a dotted acronym ("L.E.A.N.",
"E.P.") does not end a sentence unless a usual sentence opener follows ("the U.S. The firm...").
"""
from __future__ import annotations

import re

from app.core import tokens

MAX_WORDS = 45  # longer sentences are cut at a clause boundary (see trim), never in mid-clause

# A sentence ends at . ! ? (and the ellipsis) before white space and an opener, or at the full stops
# of scripts that need no space after them (CJK, Devanagari, Arabic, Armenian, Ethiopic).
_END_RE = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[^\W_a-z])|(?<=[。！？｡।؟։።])\s*"
                     r"|(?<=[a-z]{3}[.!?])(?=[A-Z][a-z]+[\s,])")  # "antiques.Today, we": a space lost
# Words after a full stop that almost always start a new sentence, even after "U.S." or "Inc.".
_OPENERS = frozenset("""a an all also as at but by each every for from he her his however if in it its many
more most my no now on once our over she since so some that the their there these they this those though
through thus to today under we what when where whether which while who with within yet you your
""".split())
# "Mr. Smith": these never end a sentence. (Company suffixes like "Inc." often do: they are decided
# like acronyms, by the word that follows.)
_TITLES = re.compile(r"(?:^|\s)(?:Mr|Mrs|Ms|Mx|Dr|Prof|Rev|Hon|Sr|Jr|St|Mt|Ft|Gen|Col|Capt|Lt|Sgt|No|Nos|Vol|Fig"
                     r"|Ph|approx|ca|cf|vs|etc|e\.g|i\.e|viz|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
                     r"|Ave|Blvd|Rd|Ste|Dept|Univ|Assn|Bros|Tel|Ext|approx)\.$", re.IGNORECASE)
_COMPANY_ABBREV = re.compile(r"(?:^|\s)(?:Inc|Ltd|Co|Corp|Lda|Pty|Plc|LLC|L\.L\.C|S\.A|N\.V|B\.V|GmbH|AG)\.$")
_INITIAL = re.compile(r"(?:^|[\s(])[A-Z]\.$")  # "R." in "R. Mack Babcock"
_ACRONYM = re.compile(r"(?:^|[\s(])(?:[A-Za-z]\.){2,}$")  # "L.E.A.N.", "U.S.", "a.m."
_FINISHED = re.compile(r"[.!?…:;。！？｡।؟][\"'”’»)\]]*$")
# After these a line break is mid-sentence: "...for your<br>family".
_RUNS_ON = re.compile(r"(?:[,&+/–—-]|\b(?:and|or|of|the|a|an|to|in|for|with|at|by|from|on|our|your|their|its|is|are"
                      r"|was|were|has|have|had|that|which|who|as|into|than|such|including|like|both|per|via))$",
                      re.IGNORECASE)
_LIST_MARK = re.compile(r"^(?:[-*•·▪►»>|~]+\s*)+|^(?:first|second|third|fourth|fifth|finally|lastly)\s*[-–—:]\s+",
                        re.IGNORECASE)
# "Who Are We Our extensive knowledge...": a title-case heading run into the sentence under it.
_GLUED_HEADING = re.compile(
    r"^(?P<head>(?:(?:[A-Z][\w'’&-]*|&|and|of|the|for|to|in|at|our|your)\s+){2,8})"
    r"(?P<rest>(?:We|We're|We’re|Our|The|At|Since|With|For|As|Founded|Established|Based|This|Today|Each|Every|From"
    r"|All|Whether|Serving|Located|Specializing|Specialising)\b.*)$")


def split_sentences(text: str) -> list[str]:
    """Sentences of a block of page text (see the module's docstring for the rules)."""
    out: list[str] = []
    for segment in re.split(r"\n{2,}", text):
        for line in _join_lines(segment.split("\n")):
            out += _split_line(line)
    return [s for s in (_clean(s) for s in out) if s]


def _join_lines(lines: list[str]) -> list[str]:
    """Lines of one block joined where a <br> fell inside a sentence."""
    joined: list[str] = []
    for line in (" ".join(x.split()) for x in lines):
        if not line:
            continue
        if joined and _runs_on(joined[-1], line):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def _runs_on(before: str, after: str) -> bool:
    if _FINISHED.search(before):
        return False
    if after[:1].islower() or _RUNS_ON.search(before):
        return True
    words = before.split()
    if len(words) <= 8 and sum(w[:1].isupper() for w in words) >= len(words) / 2:
        return False  # a heading or a label ("Our Services", "Call Us Today")
    first = after.split()[0].lower().strip("\"'“‘(")
    return first not in _OPENERS  # "...been serving<br>Long Island since 1985."


def _split_line(line: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _END_RE.finditer(line):
        pieces.append(line[start:match.start()].strip())
        start = match.end()
    pieces.append(line[start:].strip())
    out: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        if out and _continues(out[-1], piece):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def _continues(before: str, after: str) -> bool:
    """A full stop that did not end the sentence: a title, an initial, an acronym or a company suffix
    followed by something other than a sentence opener."""
    if _TITLES.search(before):
        return True
    if not (_INITIAL.search(before) or _ACRONYM.search(before) or _COMPANY_ABBREV.search(before)):
        return False
    first = after.split()[0].lower().strip("\"'“‘(")
    return first not in _OPENERS


_MOJIBAKE = re.compile("[ÃÂâ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013"
                       "\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")


def repair(text: str) -> str:
    """UTF-8 read as windows-1252 ("â€“" for "–"), as pages that mix encodings show it, undone."""
    if not _MOJIBAKE.search(text):
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text


def _clean(sentence: str) -> str:
    sentence = _LIST_MARK.sub("", " ".join(repair(sentence).split()))
    glued = _GLUED_HEADING.match(sentence)
    if glued and len(glued.group("rest").split()) >= 6 and not _FINISHED.search(glued.group("head").strip()):
        sentence = glued.group("rest")
    return sentence.strip(" |")


def words(text: str) -> list[str]:
    """A sentence's words, "AT&T" and "U.S." whole (tokens.DOTTED_WORD_RE)."""
    return tokens.DOTTED_WORD_RE.findall(text)


# Clause boundaries to cut a long sentence at, best first.
_CLAUSE_RE = re.compile(r"(?:;|:|\s[–—]\s|,\s(?=(?:and|but|while|which|where|so|as well as|with|including|plus)\b)"
                        r"|,\s)")


def trim(sentence: str, max_words: int = MAX_WORDS) -> str | None:
    """The sentence, or when it is too long its longest opening clause that fits (ending in "…");
    None when no clause boundary leaves at least 10 words."""
    if len(sentence.split()) <= max_words:
        return sentence
    best = None
    for match in _CLAUSE_RE.finditer(sentence):
        head = sentence[:match.start()].rstrip(" ,;:–—")
        n = len(head.split())
        if n > max_words:
            break
        if n >= 10 and head.count("(") == head.count(")"):
            best = head
    return best + "…" if best else None
