"""Content words: what two texts must share to be about the same thing (relevance, repeats)."""
from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache

from app.core.text import CITATION_RE
from app.core.tokens import STEM_WORD_RE

STOPWORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few
for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's me more most mustn't
my myself no nor not now of off on once only or other ought our ours ourselves out over own same shan't she
she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves then there
there's these they they'd they'll they're they've this those through to too under until up upon very was wasn't
we we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom why
why's will with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves
hi hello hey dear thanks thank best regards cheers really quite much many get got make made like
one two well still even ever via per etc lot lots new news congrats congratulations great saw see seen noticed
read reading heard hear quick quickly wanted want wonder wondering think thought
""".split())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light, good-enough stemmer: 'openings', 'opened', 'opening' -> 'open'."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if w[:1].isdigit():
        return w.replace(",", "")
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    return w


def content_words(text: str) -> list[str]:
    """Stemmed words that carry meaning (names, numbers, nouns, verbs), markers and stop words left out."""
    text = CITATION_RE.sub(" ", text)
    out = []
    for m in STEM_WORD_RE.finditer(text):
        w = m.group()
        low = w.lower().replace("’", "'")
        if low in STOPWORDS or (len(low) < 3 and not low[0].isdigit()):
            continue
        out.append(stem(low))
    return out


def content_set(words: list[str]) -> set[str]:
    """Stemmed content words from already-split words (lower-case, ’ as ')."""
    return {stem(w) for w in words if w not in STOPWORDS and (len(w) >= 3 or w[:1].isdigit())}


@lru_cache(maxsize=4096)
def fact_words(text: str) -> frozenset[str]:
    """A research fact's content words. Facts change far less often than the draft, so keep them."""
    return frozenset(content_words(text))


def cosine(a: list[str], b: list[str]) -> float:
    """Cosine similarity of two bags of words (0 = nothing shared, 1 = the same words)."""
    if not a or not b:
        return 0.0
    ca, cb = Counter(a), Counter(b)
    dot = sum(n * cb[w] for w, n in ca.items() if w in cb)
    return dot / math.sqrt(sum(n * n for n in ca.values()) * sum(n * n for n in cb.values()))
