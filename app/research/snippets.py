"""Snippets: short, self-contained sentences worth citing, ranked and de-duplicated.

What makes a sentence worth citing in a sales message: something happened (launched, opened,
hired, raised, partnered), with a number or a name, said plainly enough to stand alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Sentence ends: . ! ? followed by space and a capital/digit/quote, or a line break.
_SPLIT_RE = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9À-ÖØ-Þ])|\n+")
_ABBREV_END_RE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Inc|Ltd|Co|Corp|St|Jr|Sr|No|vs|etc|e\.g|i\.e|U\.S|Jan|Feb|Mar|Apr"
                            r"|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$")
_WORD_RE = re.compile(r"[\w'’-]+")
_NUMBER_RE = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|million"
                        r"|billion)\b", re.IGNORECASE)
_EVENT_RE = re.compile(
    r"\b(?:launch\w*|open(?:ed|s|ing)|announc\w*|hir(?:e|ed|es|ing)|recruit\w*|rais(?:e|ed|es)|fund\w*|series [a-e]\b"
    r"|acquir\w*|acquisition|merg\w*|partner\w*|expan\w*|customer\w*|client\w*|record|revenue|growth|grew|award\w*"
    r"|appoint\w*|named|joins?|joined|new|first|largest|introduc\w*|releas\w*|unveil\w*|sign(?:ed|s)|contract"
    r"|invest\w*|build\w*|built|headquarter\w*|office|plant|facility|factory|warehouse|store|site|team"
    r"|employees|staff|countries|markets?|percent|%|million|billion)\b",
    re.IGNORECASE,
)
_BOILERPLATE_RE = re.compile(
    r"\b(?:cookies?|privacy|terms of (?:use|service)|all rights reserved|subscribe|newsletter|sign up|log ?in"
    r"|click here|read more|learn more|javascript|browser|copyright|unsubscribe|share this|follow us|skip to"
    r"|accept all|your consent)\b|©",
    re.IGNORECASE,
)

MIN_WORDS, MAX_WORDS = 6, 45


@dataclass(frozen=True)
class Snippet:
    text: str
    score: float


_CONTINUATION_RE = re.compile(r"(?<![.!?:;\"”’])\n+(?=[a-z(])")  # a line wrapped mid-sentence
_IMPERATIVE_RE = re.compile(r"^(?:read|get|open|download|learn|try|keep|join|contact|discover|explore|find|see|check"
                            r"|visit|watch|register|request|book|click|start|call|email|follow|sign)\b", re.IGNORECASE)


def split_sentences(text: str) -> list[str]:
    """Sentences of extracted page text (which keeps one paragraph per line)."""
    text = _CONTINUATION_RE.sub(" ", text)
    out: list[str] = []
    for part in _SPLIT_RE.split(text):
        part = _LEAD_JUNK_RE.sub("", " ".join(part.split()))
        if not part:
            continue
        if out and _ABBREV_END_RE.search(out[-1]):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


_CODEISH_RE = re.compile(r"https?://|www\.|\S{40,}|[{}<>=|\\]|&\w+;")
# "<sup>24</sup>See..." comes out of extraction as "24See"; list items as "- item".
_LEAD_JUNK_RE = re.compile(r"^(?:[-*•·▪]\s+|\d{1,3}(?=[A-Z][a-z]))")


def score_sentence(sentence: str) -> float:
    """How citable a sentence is; 0 or less means not at all."""
    words = _WORD_RE.findall(sentence)
    n = len(words)
    if n < MIN_WORDS or n > MAX_WORDS or _BOILERPLATE_RE.search(sentence) or _CODEISH_RE.search(sentence):
        return 0.0  # too short or long, page furniture, or code and links rather than prose
    if sentence.endswith("?") or sentence[-1:] not in ".!\"'”’)" and n < 12:
        return 0.0  # questions and fragments (menu items, headings) don't stand alone
    score = 1.0
    if _NUMBER_RE.search(sentence):
        score += 2.0
    score += min(3, len(_EVENT_RE.findall(sentence))) * 1.0
    # Names: capitalised words that don't start the sentence.
    names = sum(1 for w in words[1:] if w[:1].isupper() and not w.isupper())
    score += min(names, 3) * 0.5
    if 10 <= n <= 30:
        score += 1.0
    if sentence.lower().startswith(("we ", "our ", "i ")):
        score -= 0.5  # self-description reads less like news
    if _IMPERATIVE_RE.match(sentence):
        score -= 2.0  # "Read the full report...": a call to action, not a fact
    return score


def _key(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD_RE.findall(text) if len(w) > 3)


def best_snippets(text: str, limit: int = 5, seen: list[frozenset] | None = None) -> list[Snippet]:
    """The top sentences of a page, near-duplicates (of each other or of `seen`) removed."""
    seen = seen if seen is not None else []
    ranked = sorted(((score_sentence(s), i, s) for i, s in enumerate(split_sentences(text))),
                    key=lambda t: (-t[0], t[1]))
    out: list[Snippet] = []
    # Citable sentences score 2 or more; a plain page with none still offers its best sentence.
    floor = 2.0 if ranked and ranked[0][0] >= 2.0 else 0.01
    for score, _, sentence in ranked:
        if score < floor or len(out) >= limit:
            break
        key = _key(sentence)
        if any(len(key & other) >= 0.8 * min(len(key), len(other)) for other in seen if other):
            continue
        seen.append(key)
        out.append(Snippet(sentence, score))
    return out
