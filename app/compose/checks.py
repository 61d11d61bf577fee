"""The closed set of check kinds. Each takes (analysis, check, params) and returns
(status, values, spans): status is "pass" or a level, values fill the check's message."""
from __future__ import annotations

import re
from datetime import date, datetime

from .analysis import Analysis, Span
from .rulepack import Check
from .words import content_words, cosine

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
    small_talk = check.patterns.get("pleasantry_tokens")
    first = sentences[0]
    if small_talk and len(sentences) > 1 and small_talk.match(a.text, first[0], first[1]):
        return sentences
    return sentences[:1]


def existence(a: Analysis, check: Check, params: dict) -> Result:
    pattern = check.patterns["tokens"]
    scope = option(check, params, "scope", "message")
    spans: list[Span] = []
    if scope == "opening":
        for s in _opening(a, check):
            m = pattern.match(a.text, s[0], s[1])
            if m:
                spans.append((m.start(), m.end()))
    else:
        anchored = option(check, params, "anchor") == "start"
        for region in _regions(a, scope):
            if anchored:
                start = region[0] + len(a.text[region[0]:region[1]]) - len(a.text[region[0]:region[1]].lstrip())
                m = pattern.match(a.text, start, region[1])
                if m:
                    spans.append((m.start(), m.end()))
            else:
                spans.extend((m.start(), m.end()) for m in pattern.finditer(a.text, *region))
    if not spans:
        return PASS
    matches = list(dict.fromkeys(" ".join(a.text[s:e].split()) for s, e in spans))
    return check.level, {"match": "”, “".join(matches), "count": len(spans)}, spans


def _asks(a: Analysis, check: Check) -> list[Span]:
    cta = check.patterns.get("cta_tokens")
    asks = list(a.questions)
    if cta:
        asks += [s for s in a.sentences if s not in a.questions and cta.search(a.text, *s)]
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
    region = _regions(a, option(check, params, "scope", "content"))[0]
    num = sum(1 for _ in check.patterns["numerator"].finditer(a.text, *region))
    den_spans = [(m.start(), m.end()) for m in check.patterns["denominator"].finditer(a.text, *region)]
    den = len(den_spans)
    if den == 0 or num > den * option(check, params, "min_ratio", 1.0):
        return PASS
    return check.level, {"numerator": num, "denominator": den}, den_spans


def _syllables(word: str) -> int:
    w = word.lower()
    if not w.isalpha():
        return 1
    groups = len(re.findall(r"[aeiouy]+", w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1
    return max(1, groups)


def grade_level(a: Analysis) -> float:
    """Flesch-Kincaid grade, approximate (unreliable on short texts, and we say so)."""
    words = a.content_words
    if not words or not a.sentences:
        return 0.0
    syllables = sum(_syllables(a.text[s:e]) for s, e in words)
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
    return PASS


def similarity(a: Analysis, check: Check, params: dict) -> Result:
    if not a.previous or not a.previous.strip():
        return PASS
    previous = Analysis(a.previous, a.kind, [], None, None, None)
    mine, theirs = content_words(a.new_text), content_words(previous.new_text)
    same = " ".join(a.new_text.split()).lower() == " ".join(previous.new_text.split()).lower()
    score = 1.0 if same else cosine(mine, theirs)
    if score >= option(check, params, "max"):
        return check.level, {"percent": round(score * 100)}, []
    return PASS


def _published(value) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            return None


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
            sentence = a.text[slice(*a.sentence_of(start))]
            fact_words = set(content_words(a.facts_by_id[fid].get("text", "")))
            if not fact_words & set(content_words(sentence)):
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
            published = _published(fact.get("published"))
            if limit and published and (today - published).days > limit:
                stale.append((fid, start, end, (today - published).days, limit))
        if not stale:
            return PASS
        worst = max(stale, key=lambda s: s[3])
        return check.level, {"ids": ", ".join(dict.fromkeys(f"[^{s[0]}]" for s in stale)), "age": worst[3],
                             "limit": worst[4]}, [(s[1], s[2]) for s in stale]

    if test == "reused":
        earlier = {m.group(1) for m in re.finditer(r"\[\^([A-Za-z0-9_-]{1,32})\]", a.previous or "")}
        reused = [c for c in a.resolved_citations
                  if c[0] in earlier or a.facts_by_id[c[0]].get("cited_before") or a.facts_by_id[c[0]].get("cited_in")]
        if not reused:
            return PASS
        return check.level, {"ids": ", ".join(dict.fromkeys(f"[^{c[0]}]" for c in reused))}, \
            [(s, e) for _, s, e in reused]
    raise ValueError(f"unknown citation test {test!r}")


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


def script(a: Analysis, check: Check, params: dict) -> Result:
    return SCRIPTS[option(check, params, "name")](a, check, params)


KINDS = {
    "existence": existence, "occurrence": occurrence, "ratio": ratio, "metric": metric,
    "similarity": similarity, "citation": citation, "script": script,
}
