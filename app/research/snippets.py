"""Snippets: a page's sentences worth citing, ranked by how concretely they speak about the company.

Splitting is sentences.py's job, scoring rank.py's; this module runs them over a page's blocks,
tags each sentence's language and date, and keeps the best, near-duplicates removed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from app.core import tokens

from . import language, names, rank
from .blocks import Block
from .sentences import split_sentences, trim

# Sentences ranked per page: what a company says about itself sits near the top of its pages, and a
# book-length page must not cost a second of scoring.
MAX_SENTENCES = 250
# Letters beyond ASCII (typographic quotes and dashes aside): a sentence worth a look for its language.
_FOREIGN = re.compile(r"[^\x00-\x7f\u2000-\u206f\u00a0-\u00bf]")


@dataclass(frozen=True)
class Snippet:
    text: str
    score: float
    published: str | None = None  # the date of the dated item it comes from, if any
    lang: str | None = None
    reasons: tuple[str, ...] = ()


def key(text: str) -> frozenset[str]:
    """What two near-identical sentences share: their longer words."""
    return frozenset(w.lower() for w in tokens.WORD_RE.findall(text) if len(w) > 3)


def is_repeat(text_key: frozenset[str], seen: Iterable[frozenset[str]]) -> bool:
    return any(text_key and other and len(text_key & other) >= 0.8 * min(len(text_key), len(other))
               for other in seen)


def ranked_sentences(blocks: list[Block], firm: names.Company, page_lang: str | None = "en",
                     testimonial_page: bool = False) -> list[Snippet]:
    """Every sentence of the blocks, scored, best first (page order among equals)."""
    scored: list[tuple[float, int, Snippet]] = []
    for block in blocks:
        if len(scored) >= MAX_SENTENCES:
            break
        # A signed quotation is its author's words, whatever the box it sits in.
        kind = "quote" if block.kind != "quote" and rank.signed_quote(block.text) else block.kind
        for sentence in split_sentences(block.text):
            # Scored whole (a sentence the page itself cut off with "..." is ruled out), shown trimmed.
            # On an English page a plain-ASCII sentence is English; anything else is looked at (cheap,
            # but pages have hundreds of sentences).
            lang = page_lang if page_lang == "en" and not _FOREIGN.search(sentence) else language.detect(sentence,
                                                                                                      page_lang)
            result = rank.score(sentence, firm, lang, kind, testimonial_page)
            shown = trim(sentence)
            if not shown:
                continue  # too long, and no clause boundary to cut it at
            snippet = Snippet(shown, result.score, block.date, lang, result.reasons)
            scored.append((-result.score, len(scored), snippet))
    return [s for _, _, s in sorted(scored, key=lambda t: (t[0], t[1]))]


def pick(ranked: list[Snippet], limit: int, seen: list[frozenset] | None = None) -> list[Snippet]:
    """The best sentences that are worth showing, near-duplicates (of each other or of seen) left out;
    a page with none still offers its best sentence that isn't ruled out (score above 0)."""
    seen = seen if seen is not None else []
    floor = rank.SHOW_AT if ranked and ranked[0].score >= rank.SHOW_AT else 0.01
    out: list[Snippet] = []
    for snippet in ranked:
        if snippet.score < floor or len(out) >= (limit if floor == rank.SHOW_AT else 1):
            break
        text_key = key(snippet.text)
        if is_repeat(text_key, seen):
            continue
        seen.append(text_key)
        out.append(snippet)
    return out


def best_snippets(text: str, limit: int = 5, seen: list[frozenset] | None = None,
                  company_names: Iterable[str | None] = ()) -> list[Snippet]:
    """The top sentences of plain page text (one paragraph per line), for callers without blocks."""
    blocks = [Block(line, "p") for line in text.split("\n") if line.strip()]
    page_lang = language.detect(text[:4000])
    return pick(ranked_sentences(blocks, names.company(company_names), page_lang or "en"), limit, seen)
