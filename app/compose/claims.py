"""claims-cited: a sentence that says something specific about the prospect must cite a fact that backs it.

A claim is found by families of cues (phrase lists in the rule pack, matched word by word):
congratulations, claims of earlier contact or of what they said, and "your recent/new ..." make one
by themselves; "I saw / noticed ..." makes one when what follows is about them; events (raised,
hiring, launched, won, moved, spoke, "your podcast" ...) and numbers make one when their nearest
actor is the prospect ("you/your" or the company's name), not "we/I/they". Questions are never
claims, nor is an actor after "if/when" ("If you're hiring...") or in "teams like yours".

Speed: one set intersection finds the cue words of the whole text (each phrase is known by its
rarest word: "mentioned" of "you just mentioned"); their positions come from one C-speed pass; only
a sentence whose cues could make a claim, and that no citation backs, is matched word by word.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import compress

from app.core.text import CITATION_RE

from . import vocab
from .analysis import Analysis, Span
from .rulepack import Check
from .words import STOPWORDS, content_words, fact_words, stem

# The families, by the rule pack's option names. "inherent": the cue alone makes a claim.
_INHERENT = ("congrats_tokens", "contact_tokens", "recent_tokens")
_FAMILIES = _INHERENT + ("perception_tokens", "news_tokens", "event_verb_tokens", "event_noun_tokens",
                         "them_tokens", "us_tokens", "other_tokens", "generic_tokens", "hypothetical_tokens")
_ACTORS = ("them_tokens", "us_tokens", "other_tokens")
# Families whose cue can start a claim; actors, generic and hypothetical words only qualify one.
_TRIGGERS = _INHERENT + ("perception_tokens", "event_verb_tokens", "event_noun_tokens")
# What a sentence's cue words can make of it (bit flags): a claim by themselves, a perception, an event, an owner.
_INHERENT_CUE, _PERCEPTION_CUE, _EVENT_CUE, _OWNER = 1, 2, 4, 8
# Words too common to tell a sentence apart: never a phrase's key word when it has another.
_COMMON_WORDS = frozenset({
    "time", "team", "week", "year", "month", "day", "today", "yesterday", "last", "new", "other", "few", "earlier",
    "into", "open", "call", "good", "great", "nice", "happy", "big",
})
_FUNCTION_WORDS = frozenset({
    "i", "we", "you", "your", "you're", "you've", "the", "a", "an", "to", "of", "on", "at", "in", "for", "with", "by",
    "from", "our", "my", "me", "us", "it", "that", "this", "is", "are", "was", "were", "be", "been", "and", "or",
    "just", "so", "as", "about", "like", "again", "up", "out", "off", "down", "over", "under", "into", "onto", "upon",
    "across", "after", "since", "per", "much", "very", "too", "also",
})
_MEETING_UNITS = frozenset({"minute", "minutes", "min", "mins", "second", "seconds", "sec", "secs"})
_EXCERPT_WORDS = 6
_MAX_EXCERPTS = 2

_compiled: dict[int, tuple] = {}


def _families(check: Check) -> tuple:
    """(check, first word -> [(family, matcher)], key word -> the cue flags it raises, every cue word),
    built once per loaded check (a loaded pack never changes)."""
    hit = _compiled.get(id(check))
    if hit is not None and hit[0] is check:
        return hit
    first: dict[str, list] = {}
    keys: dict[str, int] = {}
    for family in _FAMILIES:
        matcher = check.matchers.get(family)
        if matcher is None:
            continue
        if matcher.regex is not None:
            raise ValueError(f"claims: {family} must be plain phrases (no character classes)")
        for word in matcher.trie:
            first.setdefault(word, []).append((family, matcher))
        if family in _TRIGGERS:
            kind = _INHERENT_CUE if family in _INHERENT and family != "recent_tokens" else \
                _PERCEPTION_CUE if family == "perception_tokens" else _EVENT_CUE
            for key in _key_words(matcher.trie):
                keys[key] = keys.get(key, 0) | kind
    owners = frozenset(check.matchers["them_tokens"].trie) if "them_tokens" in check.matchers else frozenset()
    hit = (check, first, keys, frozenset(keys) | owners)
    _compiled[id(check)] = hit
    return hit


@lru_cache(maxsize=64)
def _with_company(cues: frozenset[str], company: str | None) -> frozenset[str]:
    """The cue words and the company's name ("harbor", "harbor's"): the company owns claims like "you" does."""
    return cues | {company, company + "'s"} if company else cues


def _key_words(trie: dict, path: tuple = ()) -> set[str]:
    """For each phrase in a trie, the word a sentence must have for it to match: its last word that isn't a
    function word ("mentioned" of "you just mentioned", "see" of "I see"). A sentence without any is skipped."""
    keys = set()
    for word, node in trie.items():
        if not isinstance(word, str):  # the end-of-phrase marker
            content = [w for w in path if w not in _FUNCTION_WORDS]
            rare = [w for w in content if w not in _COMMON_WORDS]
            keys.add(rare[-1] if rare else content[-1] if content else path[0])
            continue
        keys |= _key_words(node, path + (word,))
    return keys


@lru_cache(maxsize=256)
def company_key(company: str | None) -> str | None:
    """The distinctive first word of the prospect's company ("harbor" for "Harbor & Pine Freight")."""
    if not company:
        return None
    for word in company.replace("&", " ").split():
        w = word.strip(".,'’()").lower()
        if len(w) >= 3 and w not in STOPWORDS:
            return w
    return None


@lru_cache(maxsize=256)
def company_words(company: str | None) -> frozenset[str]:
    """Every word of the company's name, stemmed ("harbor", "pine", "freight"): naming them is not substance."""
    return frozenset(content_words(company.replace("&", " "))) if company else frozenset()


def sentence_citations(a: Analysis) -> dict[int, list[str]]:
    """Sentence index -> the ids of the known facts it cites (a marker opening a sentence belongs to the one
    before, as for the relevance rule). Kept on the analysis: claims-cited and cited-accurately both ask."""
    out = a.__dict__.get("_sentence_citations")
    if out is not None:
        return out
    out = a.__dict__["_sentence_citations"] = {}
    if not a.resolved_citations:
        return out
    starts = a._sentence_starts
    for fid, pos, _ in a.resolved_citations:
        i = bisect_right(starts, pos) - 1
        if i < 0:
            continue
        out.setdefault(i, []).append(fid)
        if i > 0 and a.count_words((starts[i], pos)) < 2:
            out.setdefault(i - 1, []).append(fid)
    return out


def supported(a: Analysis, sentence: Span, fact_ids: list[str]) -> bool:
    """Some cited fact shares substance (a name, number or key word) with the sentence; the prospect's own
    name is not substance. Stops at the first shared word."""
    facts = [fact_words(a.facts_by_id[f].get("text", "")) for f in fact_ids]
    company = company_words(a.company)
    for w in a.lower_words_in(sentence):
        if w in STOPWORDS or (len(w) < 3 and not w[:1].isdigit()):
            continue
        st = stem(w)
        if st not in company and any(st in f for f in facts):
            return True
    return False


def excerpt(text: str) -> str:
    """The start of a sentence for a message: markers out, a few words, then an ellipsis."""
    words = CITATION_RE.sub("", text).split()
    return "“" + " ".join(words[:_EXCERPT_WORDS]).rstrip(".,;:!?—–-") + "…”"


class _Sentence:
    """The cue hits of one sentence, in word order: (word index, end index, family)."""
    __slots__ = ("lo", "hi", "hits")

    def __init__(self, lo: int, hi: int):
        self.lo, self.hi, self.hits = lo, hi, []


def find_claims(a: Analysis, check: Check) -> list[Span]:
    """Sentences of the new text that claim something about the prospect without a supporting citation.

    Two stages, so a draft pays little: one set intersection finds whether any cue that can start a
    claim (or a "you/your" or the company's name, which can own a number) is there at all; then only
    the sentences holding one are matched against every family."""
    _, first, keys, cues = _families(check)
    words = a.all_lower
    lo, hi = a.word_range(a.content_span)
    content = words[lo:hi]
    company = company_key(a.company)
    found = _with_company(cues, company).intersection(content)
    if not found:
        return []
    sentences = a.sentences
    if not sentences:
        return []
    starts, spans, questions = a._sentence_starts, a._words[0], a.questions
    flags: dict[int, int] = {}
    for i in compress(range(lo, hi), map(found.__contains__, content)):  # the cue words' positions, at C speed
        k = bisect_right(starts, spans[i][0]) - 1
        flags[k] = flags.get(k, 0) | keys.get(words[i], _OWNER)
    candidates = []
    for k, f in flags.items():
        # A claim needs a cue that makes one by itself, a perception ("Saw ..."), or an owner (you, your,
        # the company) with an event or a number: "we raised" or "a yard in Sparks opened" is not about them.
        if k < 0 or sentences[k] in questions:
            continue
        if f & (_INHERENT_CUE | _PERCEPTION_CUE) or f & _OWNER and (
                f & _EVENT_CUE or any(w[:1].isdigit() for w in a.lower_words_in(sentences[k]))):
            candidates.append(k)
    text = a.text
    cited = None
    out = []
    for k in sorted(candidates):
        sentence = sentences[k]
        if cited is None:
            cited = sentence_citations(a)
        ids = cited.get(k)
        if ids and supported(a, sentence, ids):
            continue
        s = _match_sentence(a, sentence, first, company)
        if s.hits and _is_claim(s, words, spans, text):
            out.append(sentence)
    return out


def _match_sentence(a: Analysis, sentence: Span, first: dict, company: str | None) -> _Sentence:
    """Every cue of every family in one sentence, in word order."""
    words, spans, text, word_starts = a.all_lower, a._words[0], a.text, a._words[1]
    lo, hi = a.word_range(sentence)
    s = _Sentence(lo, hi)
    region = (sentence[0], sentence[1])
    for i in range(lo, hi):
        w = words[i]
        families = first.get(w)
        if families:
            for family, matcher in families:
                found = matcher.match_at(text, spans, words, i, hi, region)
                if found:
                    s.hits.append((i, bisect_left(word_starts, found[1]), family))
        elif company and (w == company or w == company + "'s") and text[spans[i][0]].isupper():
            s.hits.append((i, i + 1, "them_tokens"))
    return s


def _is_claim(s: _Sentence, words: list[str], spans: list[Span], text: str) -> bool:
    """Whether a sentence's cues make a claim about the prospect (see the module's docstring)."""
    hits = s.hits

    def _is_number(k: int) -> bool:
        # Not the tail of a marker id ("[^12]" reads as a word "2"): a number starts after a space or "$".
        start = spans[k][0]
        return words[k][:1].isdigit() and (start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "^"))

    neutral = _neutralised(hits)
    for n, (i, end, family) in enumerate(hits):
        if family in _INHERENT:
            if family == "recent_tokens" and i in neutral:
                continue
            return True
        if family == "perception_tokens":
            # "Saw ...", "Just noticed ...", "I heard that ...": no one else is the subject, so what follows is theirs.
            opening = i == s.lo or (i == s.lo + 1 and words[s.lo] == "just")
            loose = opening or (end < s.hi and words[end] == "that" and words[i - 1] in ("i", "just"))
            for j, _, later in hits[n + 1:]:
                if later == "news_tokens" or (later == "them_tokens" and j not in neutral):
                    return True
                if loose and later in ("event_verb_tokens", "event_noun_tokens"):
                    return True
            if loose and any(_is_number(k) for k in range(end, s.hi)):
                return True
        elif family == "event_verb_tokens":
            if i > s.lo and words[i - 1] == "you":
                return True
            if _actor_before(hits, n, neutral) == "them_tokens":
                return True
        elif family == "event_noun_tokens":
            # "your podcast", "Harbor & Pine's expansion", "your recent Series B": a possessive close before.
            for j, _, before in reversed(hits[:n]):
                if i - j > 3:
                    break
                if before == "them_tokens" and j not in neutral and words[j] not in ("you", "you're", "you've"):
                    return True
                if before in _ACTORS:
                    break
    return _number_claim(s, words, hits, neutral, _is_number)


def _neutralised(hits: list) -> set[int]:
    """Actors that don't point at the prospect: after if/when ("if you're hiring"), or generic ("teams like yours")."""
    out = set()
    hypothetical = False
    for i, end, family in hits:
        if family == "hypothetical_tokens":
            hypothetical = True
        elif family == "generic_tokens":
            out.update(range(i, end))
        elif family in ("them_tokens", "recent_tokens") and hypothetical:
            out.add(i)
    return out


def _actor_before(hits: list, n: int, neutral: set[int]) -> str | None:
    """The nearest actor (them / us / other) before hit n in its sentence; neutralised ones are skipped."""
    for j, _, family in reversed(hits[:n]):
        if family in _ACTORS and j not in neutral:
            return family
    return None


def _number_claim(s: _Sentence, words: list[str], hits: list, neutral: set[int], is_number) -> bool:
    """A number whose nearest actor is them: "your 3 sites", "Harbor & Pine moves 2,000 loads"."""
    actors = [(i, f) for i, _, f in hits if f in _ACTORS and i not in neutral]
    if not actors or not any(f == "them_tokens" for _, f in actors):
        return False
    for i in range(s.lo, s.hi):
        w = words[i]
        if not is_number(i) or w.endswith("-minute"):
            continue
        if i + 1 < s.hi and words[i + 1] in _MEETING_UNITS:  # "15 minutes": an ask, not a claim
            continue
        nearest = None
        for j, f in actors:
            if j >= i:
                break
            nearest = f
        if nearest == "them_tokens":
            return True
    return False


def check_claims(a: Analysis, check: Check, params: dict):
    """The script behind claims-cited: every uncited claim's sentence, with the start of the first few."""
    claims = find_claims(a, check)
    if not claims:
        return "pass", {}, []
    shown = ", ".join(excerpt(a.text[s:e]) for s, e in claims[:_MAX_EXCERPTS])
    more = len(claims) - _MAX_EXCERPTS
    if more > 0:
        shown += f" and {more} more"
    return check.level, {"claims": shown, "count": len(claims)}, claims


SCRIPTS = {"claims": check_claims}
# The claims script reads the cue lists above from its check (vocab.py validates a pack's keys).
vocab.SCRIPT_OPTIONS["claims"] = vocab.SCRIPT_OPTIONS.get("claims", frozenset()) | frozenset(_FAMILIES)
