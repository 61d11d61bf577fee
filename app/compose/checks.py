"""The closed set of check kinds. Each takes (analysis, check, params) and returns
(status, values, spans): status is "pass" or a level, values fill the check's message."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import compress

from app.core import dates
from app.core.text import CITATION_RE

from . import accuracy, claims, deliverability, kinds_rules, team_rules
from .analysis import Analysis, Span
from .rulepack import Check
from .words import content_set, content_words, cosine, fact_words

Result = tuple[str, dict, list[Span]]
PASS: Result = ("pass", {}, [])


def option(check: Check, params: dict, name: str, default=None):
    """A check option; "$name" refers to the rule's tunable params."""
    value = check.options.get(name, default)
    if isinstance(value, str) and value.startswith("$"):
        return params[value[1:]]
    return value


def _regions(a: Analysis, scope: str) -> list[Span]:
    if scope == "subject":
        return [a.subject_span] if a.subject is not None else []
    if scope == "message":
        return ([a.subject_span] if a.subject is not None else []) + [a.new_span]
    if scope == "content":
        return [a.content_span]
    if scope == "new":
        return [a.new_span]
    raise ValueError(f"unknown scope {scope!r}")


def _opening(a: Analysis, check: Check) -> list[Span]:
    """The first sentence, and the next one too when the first is only a pleasantry."""
    sentences = a.sentences[:2]
    if not sentences:
        return []
    small_talk = check.matchers.get("pleasantry_tokens")
    if small_talk and len(sentences) > 1 and a.phrase_at_start(small_talk, sentences[0]):
        return sentences
    return sentences[:1]


def existence(a: Analysis, check: Check, params: dict) -> Result:
    matcher = check.matchers["tokens"]
    scope = option(check, params, "scope", "message")
    spans: list[Span] = []
    if scope == "opening" or option(check, params, "anchor") == "start":
        regions = _opening(a, check) if scope == "opening" else [a._trim(r) for r in _regions(a, scope)]
        for region in regions:
            found = a.phrase_at_start(matcher, region)
            if found:
                spans.append(found)
    else:
        for region in _regions(a, scope):
            spans.extend(a.find_phrases(matcher, region))
    if not spans:
        return PASS
    matches = list(dict.fromkeys(" ".join(a.text[s:e].split()) for s, e in spans))
    return check.level, {"match": "”, “".join(matches), "count": len(spans)}, spans


def _asks(a: Analysis, check: Check) -> list[Span]:
    """Questions, plus sentences that ask without a question mark ("let me know", "worth a call")."""
    cta = check.matchers.get("cta_tokens")
    asks = set(a.questions)
    if cta:
        starts = a._sentence_starts
        for start, _ in a.find_phrases(cta, a.content_span):
            i = bisect_right(starts, start) - 1
            if i >= 0:
                asks.add(a.sentences[i])
    return sorted(asks)


def occurrence(a: Analysis, check: Check, params: dict) -> Result:
    feature = option(check, params, "feature")
    items = {"questions": lambda: a.questions, "asks": lambda: _asks(a, check)}[feature]()
    low, high = option(check, params, "min", 0), option(check, params, "max", 10**9)
    values = {"count": len(items), "min": low, "max": high}
    if len(items) < low:
        return check.level, {**values, "which": "few"}, []
    if len(items) > high:
        return check.level, {**values, "which": "many"}, list(items)
    return PASS


def ratio(a: Analysis, check: Check, params: dict) -> Result:
    scope = option(check, params, "scope", "content")
    region = _regions(a, scope)[0]
    numerator, denominator = check.matchers["numerator"], check.matchers["denominator"]
    if numerator.words is not None and denominator.words is not None:  # plain word lists: count by set
        if scope == "content":  # the content's own words: a signature between the text and a P.S. is not
            words, spans = a.content_lower, a.content_words
        else:
            words, spans = a.lower_words_in(region), a.words_in(region)
        num = sum(map(numerator.words.__contains__, words))  # (at C speed: this runs on every keystroke)
        den_spans = list(compress(spans, map(denominator.words.__contains__, words)))
        their = getattr(numerator, "counts_prospect", None)  # a family table may count their company and people
        if their:
            num += sum(1 for kind, (s, _) in a.prospect_mentions if kind in their and region[0] <= s < region[1])
    else:
        num = len(a.find_phrases(numerator, region))
        den_spans = a.find_phrases(denominator, region)
    den = len(den_spans)
    # Strictly more than min_ratio times: a tie is not "more about them", it warns.
    if den == 0 or num > den * option(check, params, "min_ratio", 1.0):
        return PASS
    return check.level, {"numerator": num, "denominator": den}, den_spans


_VOWEL_GROUP_RE = re.compile(r"[aeiouy]+")
_SILENT_E_BEFORE = frozenset("bcdfghjkmnpqrstvwxz")


def syllable_count(words: list[str]) -> int:
    """Approximate syllables in lower-case words: vowel groups, less a silent final e after a
    consonant ("make", not "table" or "free"), and at least one per word ("12", "crm")."""
    return sum(map(_SYLLABLES.__getitem__, words))  # at C speed; only a new word runs Python code


class _KnownSyllables(dict):
    """word -> syllables, filled as words come: a draft re-checked on each key has the same words."""

    def __missing__(self, word: str) -> int:
        n = _syllables(word)
        if len(self) < 50_000:  # a rep's vocabulary is far smaller: don't grow without end
            self[word] = n
        return n


_SYLLABLES = _KnownSyllables()


def _syllables(w: str) -> int:
    n = len(_VOWEL_GROUP_RE.findall(w))
    if not n:
        return 1
    if w[-1] == "e" and len(w) > 2 and w[-2] in _SILENT_E_BEFORE and _VOWEL_GROUP_RE.search(w, 0, len(w) - 2):
        n -= 1
    return n


def grade_level(a: Analysis) -> float:
    """Flesch-Kincaid grade, approximate (unreliable on short texts, and we say so)."""
    words = a.content_words
    if not words or not a.sentences:
        return 0.0
    syllables = syllable_count(a.content_lower)
    return 0.39 * len(words) / len(a.sentences) + 11.8 * syllables / len(words) - 15.59


def metric(a: Analysis, check: Check, params: dict) -> Result:
    feature = option(check, params, "feature")
    low, high = option(check, params, "min"), option(check, params, "max")
    spans: list[Span] = []
    if feature == "words":
        value = len(a.content_words)
    elif feature == "new_words":
        value = len(a.new_words)
    elif feature == "subject_words":
        value = len(a.words_in(a.subject_span)) if a.subject is not None else 0
        spans = [a.subject_span] if a.subject else []
    elif feature == "words_per_sentence":
        counts = a.sentence_word_counts
        value = round(sum(counts) / len(counts), 1) if counts else 0
        spans = [s for s, n in zip(a.sentences, counts) if high is not None and n > high]
    elif feature == "grade":
        value = round(grade_level(a), 1)
    else:
        raise ValueError(f"unknown metric feature {feature!r}")
    values = {"value": value, "min": low, "max": high}
    if low is not None and value < low:
        return check.level, {**values, "which": "low"}, spans if feature == "subject_words" else []
    if high is not None and value > high:
        return check.level, {**values, "which": "high"}, spans
    return "pass", values, []


@lru_cache(maxsize=64)
def _previous_new_text(previous: str) -> str:
    """The previous message's own text (its forwarded original left out); it is fixed while the rep types."""
    return Analysis(previous, "follow-up", [], None, None, None).new_text


@lru_cache(maxsize=64)
def _content_list(text: str) -> tuple[str, ...]:
    return tuple(content_words(text))


def similarity(a: Analysis, check: Check, params: dict) -> Result:
    if not a.previous or not a.previous.strip():
        return PASS
    previous_text = _previous_new_text(a.previous)
    mine, theirs = content_words(a.new_text), _content_list(previous_text)
    same = " ".join(a.new_text.split()).lower() == " ".join(previous_text.split()).lower()
    score = 1.0 if same else cosine(mine, theirs)
    if score >= option(check, params, "max"):
        return check.level, {"percent": round(score * 100)}, []
    return PASS


def citation(a: Analysis, check: Check, params: dict) -> Result:
    test = option(check, params, "test")
    if test == "resolves":
        unknown = [c for c in a.citations if c[0] not in a.facts_by_id]
        if unknown:
            ids = ", ".join(f"[^{c[0]}]" for c in unknown)
            return check.level, {"ids": ids, "which": "unknown"}, [(s, e) for _, s, e in unknown]
        if not a.resolved_citations:
            return check.level, {"which": "none"}, []
        return "pass", {"count": len({c[0] for c in a.resolved_citations})}, []

    if test == "used":
        if not a.resolved_citations:
            return "warn", {"which": "none"}, []
        unused = []
        for fid, start, end in a.resolved_citations:
            sentence = content_set(a.lower_words_in(a.sentence_of(start)))
            if not fact_words(a.facts_by_id[fid].get("text", "")) & sentence:
                unused.append((fid, start, end))
        if not unused:
            return PASS
        ids = ", ".join(dict.fromkeys(f"[^{c[0]}]" for c in unused))
        spans = [(s, e) for _, s, e in unused]
        if len(unused) == len(a.resolved_citations):
            return check.level, {"ids": ids, "which": "none_used"}, spans
        return "warn", {"ids": ids, "which": "some_unused"}, spans

    if test == "fresh":
        today = a.today
        limits = option(check, params, "max_age_days")
        stale = []
        for fid, start, end in a.resolved_citations:
            fact = a.facts_by_id[fid]
            limit = limits.get(fact.get("kind", ""))
            if isinstance(limit, str):
                limit = params[limit.lstrip("$")]
            published = dates.to_date(fact.get("published"))
            if limit and published and (today - published).days > limit:
                stale.append((fid, start, end, (today - published).days, limit))
        if not stale:
            return PASS
        worst = max(stale, key=lambda s: s[3])
        return check.level, {"ids": ", ".join(dict.fromkeys(f"[^{s[0]}]" for s in stale)), "age": worst[3],
                             "limit": worst[4]}, [(s[1], s[2]) for s in stale]

    if test == "reused":
        earlier = {m.group(1) for m in CITATION_RE.finditer(a.previous or "")}
        reused = [c for c in a.resolved_citations if c[0] in earlier or _cited_before(a.facts_by_id[c[0]])]
        if not reused:
            return PASS
        return check.level, {"ids": ", ".join(dict.fromkeys(f"[^{c[0]}]" for c in reused))}, \
            [(s, e) for _, s, e in reused]
    raise ValueError(f"unknown citation test {test!r}")


def _cited_before(fact: dict) -> bool:
    """A fact dict may say it was cited in an earlier touch (the composer sets cited_before)."""
    return any(fact.get(k) for k in ("cited_before", "cited_in", "previously_cited", "cited_in_touches"))


def _greeting(a: Analysis, check: Check, params: dict) -> Result:
    if a.salutation:
        s, e = a.salutation
        return check.level, {"match": a.text[s:e].strip()}, [a.salutation]
    return PASS


def _signature(a: Analysis, check: Check, params: dict) -> Result:
    if a.signature:
        s, e = a.signature
        return check.level, {"match": a.text[s:e].split("\n")[0].strip()}, [a.signature]
    return PASS


# The escape hatch: a rule that needs real code names one of these.
SCRIPTS = {"greeting": _greeting, "signature": _signature}
SCRIPTS.update(kinds_rules.SCRIPTS)  # LinkedIn notes and call scripts
SCRIPTS.update({**claims.SCRIPTS, **accuracy.SCRIPTS, **deliverability.SCRIPTS})  # claims, misquotes, spam signals
SCRIPTS.update(team_rules.SCRIPTS)  # team mode: account owners, teammates' touches, do-not-contact


def script(a: Analysis, check: Check, params: dict) -> Result:
    return SCRIPTS[option(check, params, "name")](a, check, params)


KINDS = {
    "existence": existence, "occurrence": occurrence, "ratio": ratio, "metric": metric,
    "similarity": similarity, "citation": citation, "script": script,
}
