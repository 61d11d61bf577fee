"""Reading news articles: how much of each article's text Earned reads, and how often it finds a quote
about the article's main subject, on the 60 real articles of `../shared/corpus/articles` (read-only).

Each article (`<id>/source.html`, with `expected.json`: its URL and `articleBody`, the text a careful
reader extracts) is read as research reads it, in this process:

  - Text: `articles.article_paragraphs` (trafilatura's precision pass on the page's one lxml tree, its
    default pass when that is thin, and the paragraph the page's meta description opens when the
    extraction left it out) against `trafilatura.extract(html, url=url)` with its default settings,
    on the same decoded page. Token recall = the share of the expected text's word tokens (lower
    case, \\w+, counted as a multiset) that the extracted text has; precision = the share of the
    extracted text's tokens that the expected text has. Medians and means over the articles, and how
    many articles reach recall >= 0.9 (the text "covers" the article).
  - Quotes: `articles.article_quote(body, None, url, subject, "")` (so the page's own headline is
    used), where the subject is derived from the expected text alone: its most frequent capitalised
    word (3+ letters, in a script with capitals: a CJK or Hangul word is never one) that is not a
    common capitalised word (a weekday, a month, a title, a pronoun...), counting a sentence's first
    word only when the text also capitalises it mid-sentence; a run of two such words ("Jose
    Mourinho") is taken instead when it makes up at least half of the word's uses. An article with no
    such word gets no subject and is left out of the quote figures (the count is printed). This is a
    stand-in for the company research asks about: it is the article's main name, person or place as
    often as a company. For each quote found: whether it comes from the story (each sentence's tokens
    >= 90% in the expected text), from its lede (at least half its tokens are in the expected text's
    first 3 sentences), and its length in words.

Run from the repo root:  .venv/bin/python benchmarks/article_quotes.py [-v]
(-v prints each article's subject and quote.)
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
import warnings
from collections import Counter
from importlib.metadata import version as pkg_version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from app.research.articles import article_paragraphs, article_quote, article_text  # noqa: E402
from app.research.htmltree import decode_html, parse_tree  # noqa: E402
from app.research.metadata import extract_metadata  # noqa: E402
from app.research.sentences import split_sentences  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "articles"

# Capitalised words that are not a story's subject.
_COMMON = frozenset("""
The A An And But Or In On At For To Of By With From As It Its This That These Those He She They We I You His Her
Their Our My Your Mr Mrs Ms Dr Sir Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
March April May June July August September October November December If When While After Before Since
Also However There Here What Who Which Why How Some All One Two Three New Last First More Most Many Other
Photo Image Read According Not No Yes So Then Now Today Yesterday Still Even Just Only Both Each Every
""".split())


def tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", (text or "").lower()))


def recall_precision(got: str, expected: str) -> tuple[float, float]:
    g, e = tokens(got), tokens(expected)
    both = sum((g & e).values())
    return both / max(1, sum(e.values())), (both / sum(g.values()) if g else 0.0)


def _cased(word: str) -> bool:
    """A word of a script with capitals (not CJK, Hangul, Thai...)."""
    return all(c.isupper() or c.islower() or not c.isalpha() for c in word)


def subject_of(text: str) -> str | None:
    """The most frequent capitalised name in the text (see the module's docstring), or None."""
    singles: Counter = Counter()
    openers: Counter = Counter()  # capitalised words that open a sentence: counted once seen mid-sentence too
    pairs: Counter = Counter()
    for sentence in split_sentences(text):
        ws = [re.sub(r"(?:['’]s|[.'’-])+$", "", w) for w in re.findall(r"[^\W\d_][\w'’.-]*", sentence)]
        for i, w in enumerate(ws):
            if len(w) < 3 or not w[0].isupper() or not _cased(w) or w in _COMMON:
                continue
            (openers if i == 0 else singles)[w] += 1
            if i + 1 < len(ws):
                nxt = ws[i + 1]
                if len(nxt) >= 2 and nxt[0].isupper() and _cased(nxt) and nxt not in _COMMON:
                    pairs[f"{w} {nxt}"] += 1
    for w, count in openers.items():
        if w in singles:
            singles[w] += count
    if not singles:
        return None
    word, count = singles.most_common(1)[0]
    pair = max((p for p in pairs if word in p.split()), key=lambda p: pairs[p], default=None)
    if pair and pairs[pair] * 2 >= count:
        return pair
    return word


def in_story(quote: str, expected: str) -> bool:
    body = tokens(expected)
    for sentence in split_sentences(quote):
        t = tokens(sentence)
        if sum((t & body).values()) < 0.9 * sum(t.values()):
            return False
    return True


def in_lede(quote: str, expected: str) -> bool:
    lede = tokens(" ".join(split_sentences(expected)[:3]))
    t = tokens(quote)
    return sum((t & lede).values()) >= 0.5 * sum(t.values())


def median_mean(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f}  mean {statistics.mean(values):.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"The article corpus is not at {CORPUS}", file=sys.stderr)
        return 1
    warnings.simplefilter("ignore")
    ours, plain = [], []
    quotes = {"subject": 0, "no subject": 0, "found": 0, "in story": 0, "in lede": 0}
    lengths: list[int] = []
    seconds = {"ours": 0.0, "plain": 0.0, "quote": 0.0}
    articles = sorted(p for p in CORPUS.iterdir() if (p / "source.html").is_file())
    for folder in articles:
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        body, url, truth = (folder / "source.html").read_bytes(), expected["url"], expected["articleBody"]
        html, _ = decode_html(body, None)
        started = time.perf_counter()
        tree = parse_tree(html)
        meta = extract_metadata(None, url, tree=tree)
        text = article_text(article_paragraphs(tree, url, None if meta.description_from_text else meta.description))
        seconds["ours"] += time.perf_counter() - started
        started = time.perf_counter()
        baseline = trafilatura.extract(html, url=url) or ""
        seconds["plain"] += time.perf_counter() - started
        ours.append(recall_precision(text, truth))
        plain.append(recall_precision(baseline, truth))
        subject = subject_of(truth)
        if subject is None:
            quotes["no subject"] += 1
            if args.verbose:
                print(f"{folder.name}  (no subject)")
            continue
        quotes["subject"] += 1
        started = time.perf_counter()
        found = article_quote(body, None, url, subject, "")
        seconds["quote"] += time.perf_counter() - started
        quote = (found or {}).get("quote")
        if quote:
            quotes["found"] += 1
            quotes["in story"] += in_story(quote, truth)
            quotes["in lede"] += in_lede(quote, truth)
            lengths.append(len(quote.split()))
        if args.verbose:
            flags = "" if not quote else (" story" if in_story(quote, truth) else " NOT-IN-STORY") + (
                " lede" if in_lede(quote, truth) else "")
            print(f"{folder.name}  [{subject}]{flags}\n    {quote}")

    n = len(articles)
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.system()}; "
          f"trafilatura {pkg_version('trafilatura')}, lxml {pkg_version('lxml')}")
    print(f"{n} articles from {CORPUS.relative_to(ROOT.parent)}\n")
    print("Article text against expected articleBody (word tokens):")
    for label, figures in (("Earned article_text", ours), ("trafilatura.extract", plain)):
        recall, precision = [r for r, _ in figures], [p for _, p in figures]
        covers = sum(r >= 0.9 for r in recall)
        print(f"  {label:26s} recall {median_mean(recall)}   precision {median_mean(precision)}   "
              f"recall>=0.9: {covers}/{n}")
    print(f"  seconds for all {n}: Earned {seconds['ours']:.1f}, trafilatura.extract {seconds['plain']:.1f}\n")
    s = quotes["subject"]
    print(f"Quotes about the article's subject ({s} articles with a subject; {quotes['no subject']} without, "
          "no capitalised name):")
    print(f"  quote found          {quotes['found']}/{s} ({quotes['found'] / max(1, s):.0%})")
    print(f"  from the story       {quotes['in story']}/{quotes['found']}")
    print(f"  from its lede        {quotes['in lede']}/{quotes['found']}")
    if lengths:
        print(f"  words per quote      median {statistics.median(lengths):.0f}, max {max(lengths)}")
    print(f"  seconds for all {s}: {seconds['quote']:.1f} (article_quote: decode, parse, metadata, text, quote)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
