"""cited-accurately: a sentence that cites a fact does not contradict it.

Numbers, amounts, percentages, dates and proper names in a citing sentence are read, normalised
and compared with the cited fact's:

- Numbers: "1,200" = "1.2k" = "1200", "twelve" = "a dozen" = 12, "one hundred twenty" = 120,
  "$18 million" = "$18M" = "18 million dollars", "40%" = "40 percent", "second" = "2nd". A number is
  compared with the fact's numbers of its sort (counts, percentages, ordinals, years, money); it is a
  misquote only when no cited fact has a consistent one and a fact has one that is plainly the same
  quantity: it counts the same thing ("500,000 sq ft" against "410,000 sq ft"), or it is the fact's
  only percentage or only amount ("€18.4 million" against "$18.4 million" fails too). A number the
  fact has nothing comparable to is the rep's own ("a 15-minute call").
- Rounding: without a hedge, the rep's number may be the fact's rounded to 2 or more significant
  figures ($18.4M as "$18M", 1,234 as "1,200"; not 410,000 as "400,000": say "about 400,000").
  "about / around / roughly" allow hedge_percent either way; "nearly / almost / just under" allow it
  below the rep's number ("nearly 500" for 480: yes, 4% under; "almost 50" for 40: no), "just over"
  above it; "over / more than / at least" and "under / less than / up to" need the right side, within
  bound_percent ("more than 400" for 480: yes; "more than 150" for 120: no).
- Years: a different year fails when the fact has one year and the sentence retells the fact (2+
  shared words), unless it reads "since / founded in / until ..." a year.
- Dates: "Oct 20" = "October 20th" = "20 October" = "2026-10-20". Compared with the dates in the
  fact's text; when the text has none, a past date is compared with the fact's published date,
  allowing date_window_days before it (news is written after the event). A date to come is a plan,
  never a misquote; a date without a year is the one nearest today.
- Proper names (conservative): a capitalised name in the sentence that the fact doesn't have fails only
  where the fact has a different name in the same place, one the sentence doesn't mention: after the
  same preposition or next to the same noun ("in Denver" against "in Reno", "the Denver cross-dock"
  against "cross-dock in Reno"). Sentence starts, titles, months, the prospect's own name and names the
  fact also has never fail.

A sentence that shares nothing with what it cites is the relevance rule's finding, not this one's.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from app.core.dates import to_date
from app.core.text import CITATION_RE
from app.core.tokens import ASCII_WORD_RE as _WORD_RE
from app.core.tokens import CAPITALISED_WORD_RE as _CAPITAL_WORD_RE
from app.core.tokens import NUMBER_OR_WORD_RE as _TOKEN_RE  # as analysis.py splits a draft into words

from .analysis import Analysis
from .claims import company_words, sentence_citations
from .rulepack import Check
from .words import STOPWORDS, content_words, fact_words, stem

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "hundred": 100,
}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10}
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9,
                "billion": 1e9, "trillion": 1e12}
_CURRENCIES = {"$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD", "€": "EUR", "eur": "EUR",
               "euros": "EUR", "euro": "EUR", "£": "GBP", "gbp": "GBP", "pounds": "GBP"}

_NUMBER_WORD = r"(?:" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + r")(?![\w])"
_NUMBER_RE = re.compile(
    r"(?<![\w.,/$€£^-])"
    r"(?:(?P<cur>US\$|[$€£]|USD|EUR|GBP)[ \t]?)?"
    r"(?:(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<ord>st|nd|rd|th)?"
    r"|(?P<word>(?i:(?:a[ \t]+)?" + _NUMBER_WORD + r"(?:(?:[ \t]+(?:and[ \t]+)?|-)" + _NUMBER_WORD + r")*))"
    r"|(?P<ordword>(?i:" + "|".join(_ORDINALS) + r")))"
    r"(?:(?P<mult>[kKmMbB]|mm|MM|mn|bn)(?![\w])"
    r"|[ \t]+(?P<multword>(?i:thousand|million|billion|trillion|mn|bn))(?!\w))?"
    r"(?P<pct>[ \t]?%|[ \t]+(?i:percent|per[ \t]cent|pct)(?!\w))?"
    r"(?:[ \t]+(?P<curword>(?i:dollars|euros|pounds|usd|eur|gbp))(?!\w))?"
    r"(?P<plus>\+)?"
    r"(?![\w])"
)
_MONTH_NAMES = ("January|Jan|February|Feb|March|Mar|April|Apr|May|June|Jun|July|Jul|August|Aug|September|Sept|Sep"
                "|October|Oct|November|Nov|December|Dec")
_MONTH = {name.lower(): n for n, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")], start=1) for name in names}
_DATE_RE = re.compile(
    r"(?<![\w-])(?:(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?![\w-])"
    rf"|(?P<m1>{_MONTH_NAMES})(?![a-z])\.?[ \t]+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
    r"(?:,?[ \t]+(?P<y1>(?:19|20)\d\d)(?!\d))?"
    rf"|(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?P<m2>{_MONTH_NAMES})(?![a-z])\.?"
    r"(?:,?[ \t]+(?P<y2>(?:19|20)\d\d)(?!\d))?"
    rf"|(?P<m3>{_MONTH_NAMES})(?![a-z])\.?,?[ \t]+(?P<y3>(?:19|20)\d\d)(?!\d))"
)
_HEDGE_RE = re.compile(
    r"(?:^|[^\w])(?P<h>about|around|roughly|approximately|approx\.?|an estimated|estimated|some|close to|~"
    r"|nearly|almost|just under|just shy of|just over|over|more than|upwards of|at least|north of|above"
    r"|under|less than|below|up to|fewer than)[ \t]*$",
    re.IGNORECASE,
)
_APPROX = frozenset({"about", "around", "roughly", "approximately", "approx", "approx.", "an estimated", "estimated",
                     "some", "close to", "~"})
_JUST_BELOW = frozenset({"nearly", "almost", "just under", "just shy of"})
_AT_MOST = frozenset({"under", "less than", "below", "up to", "fewer than"})
_AT_LEAST = frozenset({"over", "more than", "upwards of", "at least", "north of", "above"})
_UNIT_RE = re.compile(r"[ \t]*-?[ \t]*(?:(?P<sq>sq\.?[ \t]*(?:ft|feet|foot)\.?|square[ \t]+(?:feet|foot|ft)|sqft)"
                      r"|(?P<w>[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*))")
# A run of capitalised words ("Cascadia Rail", "Harbor & Pine").
_NAME_RE = re.compile(r"(?<![\w'’-])[A-Z][\w'’]*(?:-[A-Za-z]+)*"
                      r"(?:[ \t]+(?:&[ \t]+)?[A-Z][\w'’]*(?:-[A-Za-z]+)*)*")
_NAME_NOISE = frozenset(m.lower() for m in _MONTH_NAMES.split("|")) | frozenset({
    "i", "i'm", "i've", "i'd", "i'll", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "ceo", "cfo", "coo", "cto", "vp", "svp", "evp", "hr", "ops", "mr", "mrs", "ms", "dr",
})
_PLACE_PREPS = frozenset({"in", "at", "near", "into", "outside", "from", "to", "with", "across"})
_SENTENCE_OPEN = frozenset('"“‘(\n:;—–•*-')
_MAX_UNIT_WORDS = 5
_UNIT_STOPS = frozenset({"in", "at", "on", "for", "to", "from", "by", "with", "near", "across", "into", "over", "under",
                         "than", "and", "or", "but", "since", "after", "before", "during", "while", "as", "because",
                         "so", "that", "which", "who", "is", "are", "was", "were", "will", "would", "can", "could"})
_NUMBERISH = frozenset(_WORD_NUMBERS) | frozenset(_ORDINALS) | {"dozen", "hundred"}
_MONTH_WORDS = frozenset(_MONTH)
_ISO_RE = re.compile(r"(?:19|20)\d\d-[01]\d-[0-3]\d")
_SCALE_CHARS = frozenset("%kKmMbB+-")
_SCALE_WORDS = frozenset({"thousand", "million", "billion", "trillion", "mn", "bn", "k", "m", "mm", "b", "percent",
                          "pct", "dollars", "euros", "pounds", "usd", "eur", "gbp"})
# A year's context keeps the two words before it marked with "^": "since 2014" is no retelling of "in 2025",
# and a marked little word ("^in") is never a shared unit.
_YEAR_FREE = frozenset("^" + w for w in ("since", "founded", "established", "est", "until", "till", "from", "before",
                                          "after", "by", "through", "back", "to", "began", "started"))
_MARKED_WORDS = frozenset("^" + w for w in STOPWORDS | {"in", "of", "on"})


@dataclass(frozen=True)
class Quantity:
    value: float
    sort: str  # "count", "percent", "ordinal", "year", "money:USD" ...
    hedge: str | None
    units: frozenset[str]
    unit_ends: tuple[tuple[str, int], ...]  # (unit key, end offset) in order, to show "500,000 sq ft"
    start: int
    end: int  # of the number itself (with its currency, multiplier and percent sign)
    text: str  # the text it was read from

    def end_through(self, through: frozenset[str]) -> int:
        """Where the number and its unit words end, up to the last unit word shared with the other side."""
        end = self.end
        for key, unit_end in self.unit_ends:
            if key in through:
                end = unit_end
        return end

    def shown(self, through: frozenset[str]) -> str:
        return " ".join(self.text[self.start:self.end_through(through)].split())


@dataclass(frozen=True)
class When:
    month: int | None
    day: int | None
    year: int | None
    start: int
    end: int
    text: str

    def shown(self) -> str:
        return " ".join(self.text[self.start:self.end].split())


@dataclass(frozen=True)
class Name:
    words: tuple[str, ...]  # lower-case, possessive 's dropped
    slots: frozenset[tuple[str, str]]
    start: int
    end: int
    text: str

    def shown(self) -> str:
        return self.text[self.start:self.end].removesuffix("'s").removesuffix("’s")


@dataclass(frozen=True)
class Reading:
    quantities: tuple[Quantity, ...]
    dates: tuple[When, ...]
    names: tuple[Name, ...]
    words: frozenset[str]  # every lower-case word, for "does the fact have this name"
    tokens: frozenset[str] = frozenset()  # every token as the draft's analysis splits it (numbers too)


def _masked(text: str) -> str:
    """Citation markers blanked out (same length: offsets stay), so their ids read as nothing."""
    return CITATION_RE.sub(lambda m: " " * len(m.group()), text) if "[^" in text else text


def _dates(text: str) -> list[When]:
    """ "Oct 20", "October 20th, 2026", "20 October", "2026-10-20", "October 2026"."""
    out = []
    for m in _DATE_RE.finditer(text):
        g = m.groupdict()
        if g["iy"]:
            month, day, year = int(g["im"]), int(g["id"]), int(g["iy"])
        elif g["m1"]:
            month, day, year = _MONTH[g["m1"].lower()], int(g["d1"]), int(g["y1"]) if g["y1"] else None
        elif g["m2"]:
            month, day, year = _MONTH[g["m2"].lower()], int(g["d2"]), int(g["y2"]) if g["y2"] else None
        else:
            month, day, year = _MONTH[g["m3"].lower()], None, int(g["y3"])
        if day is not None and not 1 <= day <= 31 or not 1 <= month <= 12:
            continue
        cue = text[max(0, m.start() - 6):m.start()].lower().split()
        if g["m1"] == "May" and not g["y1"] and (not cue or cue[-1] not in ("on", "since", "by", "from", "until")):
            continue  # "on May 20" is a date; "May 20 people ..." at a sentence start is too risky to read as one
        out.append(When(month, day, year, m.start(), m.end(), text))
    return out


def _units(text: str, pos: int) -> tuple[frozenset[str], tuple[tuple[str, int], ...]]:
    """The words after a number, up to punctuation: what it counts ("sq ft", "jobs", "hours of overtime")."""
    keys, ends = [], []
    for _ in range(_MAX_UNIT_WORDS):
        m = _UNIT_RE.match(text, pos)
        if not m:
            break
        pos = m.end()
        if m.group("sq"):
            key = "sqft"
        else:
            word = m.group("w").lower().replace("’", "'")
            if word in _WORD_NUMBERS or word in _ORDINALS or word in _MULTIPLIERS or word in _UNIT_STOPS:
                break  # "12 roles in Reno": what is counted ends at the preposition
            if word in STOPWORDS:
                continue
            key = stem(word)
        keys.append(key)
        ends.append((key, pos))
    return frozenset(keys), tuple(ends)


def _context(text: str, start: int, end: int) -> frozenset[str]:
    """Content words just around a span (a year's "opened in 2025": what the year is of), and the two words
    right before it as they are ("since", "founded in")."""
    before = [w.lower() for w in _WORD_RE.findall(text, max(0, start - 40), start)][-3:]
    after = [w.lower() for w in _WORD_RE.findall(text, end, end + 40)][:3]
    return frozenset([stem(w) for w in before + after if w not in STOPWORDS and len(w) > 2]
                     + ["^" + w for w in before[-2:]])  # marked: "in" before a year is no shared unit


def _words_value(words: str) -> float:
    """ "one hundred twenty" = 120, "twenty-five" = 25, "a dozen" = 12."""
    current = 0.0
    for w in re.split(r"[ \t-]+", words.lower()):
        if w in ("a", "and"):
            continue
        if w in ("dozen", "hundred"):
            current = (current or 1) * _WORD_NUMBERS[w]
        else:
            current += _WORD_NUMBERS[w]
    return current


def _value(m: re.Match) -> tuple[float, str]:
    """A number match's value and sort: "count", "percent", "ordinal", "year" or "money:USD" (EUR, GBP)."""
    g = m.groupdict()
    if g["ordword"] or g["ord"]:
        return float(_ORDINALS[g["ordword"].lower()] if g["ordword"] else int(g["num"])), "ordinal"
    value = float(g["num"].replace(",", "")) if g["num"] else _words_value(g["word"])
    mult = (g["mult"] or g["multword"] or "").lower()
    value *= _MULTIPLIERS.get(mult, 1)
    currency = _CURRENCIES.get((g["cur"] or g["curword"] or "").lower())
    if g["pct"]:
        return value, "percent"
    if currency:
        return value, f"money:{currency}"
    if g["num"] and len(g["num"]) == 4 and 1900 <= value <= 2099 and not mult:
        return value, "year"
    return value, "count"


def _quantity(m: re.Match, text: str, base: int = 0) -> Quantity:
    """A number in full: its value, what it counts (the words after it) and any hedge before it ("about 40")."""
    value, sort = _value(m)
    hedge_m = _HEDGE_RE.search(text, max(base, m.start() - 20), m.start())
    hedge = " ".join(hedge_m.group("h").lower().split()) if hedge_m else None
    if m.group("plus"):
        hedge = "at least"
    if sort == "year":
        units, ends = _context(text, m.start(), m.end()), ()
    else:
        units, ends = _units(text, m.end())
    return Quantity(value, sort, hedge, units, ends, m.start(), m.end(), text)


def _quantities(text: str, dates: list[When]) -> list[Quantity]:
    out = []
    for d in dates:  # a year inside a date is a year too ("September 2026" against "in 2025")
        if d.year is not None:
            out.append(Quantity(float(d.year), "year", None, _context(text, d.start, d.end), (), d.start, d.end, text))
    taken = [(d.start, d.end) for d in dates]
    for m in _NUMBER_RE.finditer(text):
        if not any(s <= m.start() < e for s, e in taken):
            out.append(_quantity(m, text))
    return out


def _slots(text: str, start: int, end: int) -> frozenset[tuple[str, str]]:
    """Where a name sits: after which preposition, next to which noun ("in Reno", "Reno cross-dock",
    "cross-dock in Reno"). Two names in the same place are two answers to the same question."""
    slots = set()
    before = text[max(0, start - 40):start]
    m = re.search(r"([A-Za-z][\w'’-]*)[ \t]+(?:([A-Za-z][\w'’-]*)[ \t]+)?$", before)
    if m:
        last = (m.group(2) or m.group(1)).lower()
        prior = m.group(1).lower() if m.group(2) else None
        if last in _PLACE_PREPS:
            slots.add(("prep", last))
            if prior and prior not in STOPWORDS and not m.group(1)[0].isupper():
                slots.add(("word", stem(prior)))
    m = re.match(r"[ \t]+([a-z][\w'’-]*)", text[end:end + 40])
    if m and m.group(1) not in STOPWORDS and len(m.group(1)) > 2:
        slots.add(("word", stem(m.group(1))))
    return frozenset(slots)


def _names(text: str, first_word: int, company: str | None) -> list[Name]:
    """Capitalised names: a sentence's (or fact's) first word left out, and months, titles, acronyms and the
    prospect's own name dropped."""
    skip = company_words(company)
    out = []
    for m in _NAME_RE.finditer(text):
        start, parts = m.start(), m.group().split()
        before = text[max(0, start - 8):start].rstrip()
        opening = start <= first_word or before[-1:] in _SENTENCE_OPEN or re.search(r"[.!?][\"'”’)]*$", before)
        words = []
        offset = start
        for n, part in enumerate(p for p in parts if p != "&"):
            offset = text.index(part, offset)
            if n == 0 and opening:
                offset += len(part)
                continue
            if not words:
                start = offset
            offset += len(part)
            key = part.lower().replace("’", "'").removesuffix("'s")
            if key in _NAME_NOISE or (len(part) > 1 and part.isupper()) or any(c.isdigit() for c in part):
                if words:
                    break
                continue
            words.append(key)
        if not words or any(stem(w) in skip for w in words):
            continue
        end = start
        for w in words:  # the span of the kept words only
            end = text.lower().replace("’", "'").index(w, end) + len(w)
        out.append(Name(tuple(words), _slots(text, start, end), start, end, text))
    return out


def _first_word(text: str) -> int:
    m = re.search(r"\w", text)
    return m.start() if m else 0


@lru_cache(maxsize=1024)
def read_fact(text: str, company: str | None) -> Reading:
    """A fact's numbers, dates and names; facts change far less often than the draft, so keep them."""
    text = _masked(text)
    dates = _dates(text)
    return Reading(tuple(_quantities(text, dates)), tuple(dates), tuple(_names(text, _first_word(text), company)),
                   frozenset(w.lower().replace("’", "'").removesuffix("'s") for w in _WORD_RE.findall(text)),
                   frozenset(w.lower().replace("’", "'") for w in _TOKEN_RE.findall(text)))


def _sentence_names(text: str, company: str | None) -> Reading:
    """A citing sentence's names (its numbers and dates are read from the analysis's words, where needed)."""
    text = _masked(text)
    return Reading((), (), tuple(_names(text, _first_word(text), company)),
                   frozenset(w.lower().replace("’", "'").removesuffix("'s") for w in _WORD_RE.findall(text)))


# -- comparing ------------------------------------------------------------------------------------
def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)


def _round_sig(x: float, figures: int) -> float:
    if x == 0:
        return 0.0
    return round(x, -int(math.floor(math.log10(abs(x)))) + figures - 1)


def consistent(mine: Quantity, fact: Quantity, hedge_pct: float, bound_pct: float) -> bool:
    """Whether the rep's number says what the fact's says, allowing the rounding a rep would use."""
    if mine.sort != fact.sort:
        return False  # "€18.4 million" against "$18.4 million"
    q, c = mine.value, fact.value
    if _close(q, c):
        return True
    if mine.sort in ("ordinal", "year"):
        return False
    if mine.hedge is None and any(_close(_round_sig(c, n), q) for n in range(2, 7)):
        return True
    tol, bound = hedge_pct / 100, bound_pct / 100
    if mine.hedge in _APPROX or fact.hedge in _APPROX:
        return abs(q - c) <= tol * max(abs(q), abs(c))
    if mine.hedge in _JUST_BELOW:
        return c <= q and q - c <= tol * q
    if mine.hedge == "just over":
        return c >= q and c - q <= tol * c
    if mine.hedge in _AT_MOST:
        return c <= q and q - c <= bound * q
    if mine.hedge in _AT_LEAST:
        return c >= q and c - q <= bound * c
    return False


def _family(sort: str) -> str:
    return "money" if sort.startswith("money:") else sort


def _number_findings(numbers: list[Quantity], facts: list[Reading], params: dict,
                     overlap=None) -> list[tuple[Quantity, Quantity]]:
    """(the sentence's number, the fact's it contradicts). overlap(i): content words shared with fact i."""
    hedge_pct, bound_pct = params.get("hedge_percent", 10), params.get("bound_percent", 25)
    out = []
    for q in numbers:
        same = [[c for c in f.quantities if _family(c.sort) == _family(q.sort)] for f in facts]
        if any(consistent(q, c, hedge_pct, bound_pct) for cands in same for c in cands):
            continue
        for i, cands in enumerate(same):
            matched = [c for c in cands if c.units & q.units - _MARKED_WORDS]
            if matched:
                out.append((q, matched[0]))
                break
            # The fact's only percentage, or its only amount of money: there is nothing else it can be.
            if q.sort == "percent" and len(cands) == 1 or \
                    _family(q.sort) == "money" and len({(c.sort, c.value) for c in cands}) == 1:
                out.append((q, cands[0]))
                break
            # A different year for what the fact tells ("in 2024" retelling "... in 2025"): the fact has
            # one year, the sentence retells it (2+ shared words), and the year isn't a "since 2014".
            if q.sort == "year" and len({c.value for c in cands}) == 1 and not (q.units & _YEAR_FREE) \
                    and overlap is not None and overlap(i) >= 2:
                out.append((q, cands[0]))
                break
    return out


def _date_findings(dates: list[When], facts: list[tuple[Reading, date | None]], today: date,
                   window: int) -> list[tuple[When, str]]:
    """(the sentence's date, what its facts say instead) for each date no cited fact agrees with."""
    out = []
    for d in dates:
        verdicts = []  # per fact: True (consistent), a string (what the fact says), or None (can't tell)
        for reading, published in facts:
            verdicts.append(_date_verdict(d, reading, published, today, window))
        if any(v is True for v in verdicts):
            continue
        said = next((v for v in verdicts if isinstance(v, str)), None)
        if said:
            out.append((d, said))
    return out


def _date_verdict(d: When, reading: Reading, published: date | None, today: date, window: int):
    """True (the fact agrees), what the fact says instead, or None (it can't tell: no date, or a plan)."""
    if reading.dates:
        for f in reading.dates:
            if f.month == d.month and (d.day is None or f.day is None or f.day == d.day) \
                    and (d.year is None or f.year is None or f.year == d.year):
                return True
        return f"the fact says “{reading.dates[0].shown()}”"
    if published is None:
        return None
    low, high = published - timedelta(days=window), published + timedelta(days=1)
    # Without a year, the date as the rep means it: the one nearest today ("Dec 3" in late November is coming).
    years = [d.year] if d.year else [min((today.year - 1, today.year, today.year + 1),
                                         key=lambda y: abs((_safe_date(y, d.month, d.day or 1) - today).days))]
    past = False
    for year in years:
        try:
            first = date(year, d.month, d.day or 1)
            last = date(year, d.month, d.day) if d.day else (date(year + d.month // 12, d.month % 12 + 1, 1)
                                                             - timedelta(days=1))
        except ValueError:
            return None
        if first > today:
            continue  # a plan ("I'm in Reno on Dec 3"), not a quote
        if first <= high and last >= low:
            return True
        past = True
    return f"the fact is dated “{published.isoformat()}”" if past else None


def _safe_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:  # Feb 30
        return date(year, month, 1)


def _name_findings(sentence: Reading, facts: list[Reading]) -> list[tuple[Name, Name]]:
    """(a name the facts don't have, the fact's name in the same place that the sentence left out)."""
    out = []
    for n in sentence.names:
        if not n.slots or any(all(w in f.words for w in n.words) for f in facts):
            continue
        for f in facts:
            other = next((m for m in f.names if m.slots & n.slots and not any(w in sentence.words for w in m.words)),
                         None)
            if other:
                out.append((n, other))
                break
    return out


def _sentence_numbers(a: Analysis, s: int, e: int, lo: int, hi: int, dates: list[When],
                      facts: list[Reading]) -> list[Quantity]:
    """The sentence's numbers that no cited fact has as they are: the rest are read in full (hedge, units)."""
    words, spans, text = a.all_lower, a._words[0], a.text
    values = {c.value for f in facts for c in f.quantities}
    out = []
    covered = -1
    for j in [j for j in range(lo, hi) if words[j][:1].isdigit() or words[j] in _NUMBERISH]:
        start = spans[j][0]
        if start < covered:
            continue  # "twenty" of "one hundred twenty"
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "^"):
            continue  # the tail of a marker's id ("[^12]" reads as a word "2")
        if _plain_value(words, j, hi, text, start, spans[j][1]) in values:
            continue  # the fact's own number, as it says it
        if start > s and text[start - 1] in "$€£":
            start -= 1
        elif j > lo and words[j - 1] in ("usd", "eur", "gbp") and text[spans[j - 1][1]:start].isspace():
            start = spans[j - 1][0]
        if any(d.start <= start - s < d.end for d in dates):
            continue
        m = _NUMBER_RE.match(text, start, e)
        if not m:
            continue  # a marker's id ("[^12]"), a phone number, a word that only starts like a number
        covered = m.end()
        value, sort = _value(m)
        if any(c.sort == sort and _close(c.value, value) for f in facts for c in f.quantities):
            continue
        out.append(_quantity(m, text, s))
    return out


def _plain_value(words: list[str], j: int, hi: int, text: str, start: int, end: int) -> float | None:
    """The value of a bare number word ("12", "1,200", "twelve", "second"), or None when it has a currency,
    a scale or a percent sign around it (then the full reading decides)."""
    w = words[j]
    if text[start - 1:start] in ("$", "€", "£") or text[end:end + 1] in _SCALE_CHARS \
            or (j + 1 < hi and (words[j + 1] in _SCALE_WORDS or words[j + 1] in _NUMBERISH or words[j + 1] == "and")):
        return None
    if w[0].isdigit():
        try:
            return float(w.replace(",", ""))
        except ValueError:
            return None
    return _WORD_NUMBERS.get(w) or _ORDINALS.get(w)


def _needs_names(a: Analysis, s: int, e: int, lo: int, hi: int, facts: list[Reading], new: set[str]) -> bool:
    """A capitalised word past the sentence's first that no cited fact has and that isn't the prospect's."""
    if lo >= hi:
        return False
    skip = company_words(a.company)
    text = a.text
    for m in _CAPITAL_WORD_RE.finditer(text, a._words[0][lo][1], e):
        w = m.group().lower().replace("’", "'")
        if w not in new or text[m.start() - 1].isalnum():
            continue
        w = w.removesuffix("'s")
        if w not in _NAME_NOISE and not any(w in f.words for f in facts) and stem(w) not in skip:
            return True
    return False


def check_accuracy(a: Analysis, check: Check, params: dict):
    """The script behind cited-accurately: each misquote's span in the sentence, and what the fact says.

    Work is proportional to what could be wrong: only the words of a citing sentence that its facts
    don't have can misquote them, and a sentence whose new words hold no number, month or name is done."""
    cited = sentence_citations(a)
    if not cited:
        return "pass", {}, []
    findings: list[tuple[int, int, str]] = []
    for k, ids in cited.items():
        s, e = a.sentences[k]
        lo, hi = a.word_range((s, e))
        facts = [a.facts_by_id[i] for i in dict.fromkeys(ids)]
        readings = [read_fact(f.get("text", ""), a.company) for f in facts]
        new = set(a.all_lower[lo:hi])
        for r in readings:
            new -= r.tokens
        if not new:
            continue
        digits = any(w[:1].isdigit() for w in new)
        # A date is new if its month or its day is: "Oct 2" against the fact's "Oct 20".
        dates = _dates(a.text[s:e]) if not _MONTH_WORDS.isdisjoint(new) or digits and (
            not _MONTH_WORDS.isdisjoint(a.all_lower[lo:hi]) or _ISO_RE.search(a.text, s, e)) else []
        chunk = a.text[s:e]
        money_or_percent = "$" in chunk or "€" in chunk or "£" in chunk or "%" in chunk
        if (digits or money_or_percent or not _NUMBERISH.isdisjoint(new) or not _SCALE_WORDS.isdisjoint(new)) \
                and any(r.quantities for r in readings):
            numbers = _sentence_numbers(a, s, e, lo, hi, dates, readings)
            if numbers:
                mine = None

                def overlap(i: int) -> int:
                    nonlocal mine
                    if mine is None:
                        mine = content_words(a.text[s:e])
                    return len(fact_words(facts[i].get("text", "")).intersection(mine))

                for q, c in _number_findings(numbers, readings, params, overlap):
                    # "500,000 sq ft" against "410,000 sq ft"; an amount or a percentage stands alone.
                    shared = q.units & c.units if q.sort in ("count", "ordinal") else frozenset()
                    findings.append((q.start, q.end_through(shared),
                                     f"“{q.shown(shared)}” but the fact says “{c.shown(shared)}”"))
        if dates:
            dated = [(r, to_date(f.get("published"))) for r, f in zip(readings, facts)]
            for d, said in _date_findings(dates, dated, a.today, params.get("date_window_days", 7)):
                findings.append((s + d.start, s + d.end, f"“{d.shown()}” but {said}"))
        if any(r.names for r in readings) and _needs_names(a, s, e, lo, hi, readings, new):
            for n, m in _name_findings(_sentence_names(a.text[s:e], a.company), readings):
                findings.append((s + n.start, s + n.end, f"“{n.shown()}” but the fact says “{m.shown()}”"))
    if not findings:
        return "pass", {}, []
    findings.sort()
    return check.level, {"mismatches": "; ".join(dict.fromkeys(f[2] for f in findings)), "count": len(findings)}, \
        [(s, e) for s, e, _ in findings]


SCRIPTS = {"accuracy": check_accuracy}  # it reads its rule's params by name; no options of its own
