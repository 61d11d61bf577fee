"""Spell-checking benchmark: which offline English speller to ship with the composer.

Every candidate runs behind the same app.compose.spelling.Speller (same word splitting and skip
rules: citation markers, URLs, e-mails, numbers and words with digits, acronyms, internal capitals,
capitalised words inside a sentence as names), so the figures differ only by the engine and its
dictionary. For each candidate it prints:

- false flags per 1,000 words on real text we wrote or collected, where every flag is a false one
  (tests/data/outreach_dev.jsonl "text"; shared/corpus/articles/*/expected.json "articleBody"),
  and the words it flags most;
- how many of MISSPELLINGS it flags, and how often the intended word is its first, first-or-second
  and top-five suggestion;
- time: loading, checking a 125-word e-mail (first time, and again with the per-word cache warm),
  one word looked up in the engine, one call for suggestions.

Run from the repo root:  .venv/bin/python benchmarks/spelling.py [--candidate NAME ...]
Candidates that are not installed are reported as such (pip install NAME to measure them; only
chunspell is a dependency of Earned).
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.compose.spelling import (  # noqa: E402
    DEFAULT_LANGUAGE, Speller, dictionaries_dir, read_commonness, read_word_list,
)
from app.core.tokens import SPELLING_SCAN_RE  # noqa: E402 - the speller's own scan

OUTREACH = ROOT / "tests" / "data" / "outreach_dev.jsonl"
ARTICLES = ROOT.parent / "shared" / "corpus" / "articles"
SYSTEM_HUNSPELL = Path("/usr/share/hunspell")

# Common English misspellings (Wikipedia's list, and a few from sales e-mail) -> the intended word.
MISSPELLINGS = {
    "teh": "the", "recieve": "receive", "seperate": "separate", "definately": "definitely",
    "occured": "occurred", "acheive": "achieve", "buisness": "business", "wich": "which",
    "untill": "until", "tommorow": "tomorrow", "accomodate": "accommodate", "adress": "address",
    "begining": "beginning", "beleive": "believe", "calender": "calendar", "collegue": "colleague",
    "comming": "coming", "commited": "committed", "concensus": "consensus",
    "enviroment": "environment", "existance": "existence", "foward": "forward", "freind": "friend",
    "goverment": "government", "happend": "happened", "independant": "independent",
    "knowlege": "knowledge", "liason": "liaison", "managment": "management",
    "neccessary": "necessary", "noticable": "noticeable", "oppurtunity": "opportunity",
    "persue": "pursue", "posession": "possession", "prefered": "preferred",
    "publically": "publicly", "recomend": "recommend", "refered": "referred",
    "relevent": "relevant", "responsability": "responsibility", "succesful": "successful",
    "suprise": "surprise", "thier": "their", "truely": "truly", "wierd": "weird",
    "arguement": "argument", "basicaly": "basically", "completly": "completely",
    "immediatly": "immediately", "occassion": "occasion", "sincerly": "sincerely",
    "wether": "whether", "excellant": "excellent", "experiance": "experience", "finaly": "finally",
    "folow": "follow", "garantee": "guarantee", "intrested": "interested", "lenght": "length",
    "mispelled": "misspelled", "proffesional": "professional", "reciept": "receipt",
    "schedual": "schedule", "tranfer": "transfer", "usefull": "useful", "writting": "writing",
    "dont": "don't", "quater": "quarter", "pipline": "pipeline", "revenu": "revenue",
    "custmer": "customer", "compnay": "company", "conversaton": "conversation",
    "opportunites": "opportunities", "intergration": "integration", "analitics": "analytics",
    "logisitics": "logistics", "anual": "annual", "buget": "budget", "respone": "response",
    "availible": "available", "apreciate": "appreciate", "questons": "questions",
}

# A second list, not looked at while choosing how suggestions are ranked (_COMMONNESS_WEIGHT):
# it says whether that choice holds for misspellings it was not tuned on.
HELD_OUT = dict(pair.split(":") for pair in """
acceptible:acceptable accidently:accidentally agressive:aggressive apparant:apparent
appearence:appearance athiest:atheist beggining:beginning belive:believe bizzare:bizarre
catagory:category cemetary:cemetery cheif:chief commision:commission concious:conscious
curiousity:curiosity decieve:deceive dilemna:dilemma dissapoint:disappoint embarass:embarrass
equiptment:equipment facinating:fascinating familar:familiar fourty:forty gaurd:guard
grammer:grammar harrass:harass hieght:height humourous:humorous ignorence:ignorance
jewelery:jewelry libary:library lisence:license maintenence:maintenance millenium:millennium
miniscule:minuscule mischevious:mischievous neice:niece ocurrence:occurrence paralel:parallel
pavillion:pavilion perseverence:perseverance posible:possible potatos:potatoes preceed:precede
questionaire:questionnaire readible:readable recieved:received reccomend:recommend
refrence:reference religous:religious rythm:rhythm sieze:seize speach:speech succede:succeed
supercede:supersede temperture:temperature tendancy:tendency threshhold:threshold tounge:tongue
twelth:twelfth tyrany:tyranny vaccum:vacuum vehical:vehicle visable:visible yeild:yield
stratergy:strategy negotation:negotiation deadine:deadline propsal:proposal
demostration:demonstration infomation:information reguarding:regarding platfrom:platform
solutoin:solution dashbaord:dashboard contarct:contract partnrship:partnership
""".split())

# A text is English when at least this share of its words are these; the articles corpus holds
# a few in Indonesian, German, Portuguese ..., which an English checker rightly flags.
ENGLISH_MARKERS = frozenset("the of and to a in is that for it with as was on be by at this are from have has an "
                            "or not".split())
ENGLISH_SHARE = 0.15

PACKAGING = {
    "chunspell": "wheels with libhunspell inside (Linux x86_64, Windows, macOS arm64; none for Intel "
                 "macOS, which builds it from source); dictionary files shipped in resources/dictionaries; "
                 "no system library. MIT wrapper, Hunspell MPL/GPL/LGPL "
                 "tri-licence; SCOWL en_US dictionary: BSD-style (see en_US.LICENSE.txt)",
    "chunspell+old": "as chunspell, with the en_US files inside the chunspell wheel (62k stems, "
                     "ISO-8859-1, undated): PyInstaller would need collect_data_files('hunspell')",
    "pyenchant": "needs the system's libenchant-2 and a dictionary (Debian: libenchant-2-2, "
                 "hunspell-en-us); PyInstaller must carry libenchant and its provider plug-ins; "
                 "LGPL",
    "spylls": "pure Python port of Hunspell (MIT), no system library; needs the same .aff/.dic files",
    "pyspellchecker": "pure Python (MIT), word-frequency list inside the wheel (en.json.gz, 650 KB); "
                      "PyInstaller needs its data files collected; no morphology, lower-cases all",
    "symspellpy": "Python + editdistpy wheel (MIT); 82k-word frequency list inside the wheel "
                  "(1.3 MB, 5 MB with bigrams); lower-cases all",
}


# -- engines behind Speller's Dictionary protocol -------------------------------------------------

class _LowerCaseEngine:
    """Engines whose word lists are lower case: accept a word if its lower-case form is listed."""

    def __init__(self):
        self.extra: set[str] = set()

    def add(self, word):
        self.extra.add(word.lower())

    def remove(self, word):
        self.extra.discard(word.lower())

    @staticmethod
    def _recase(word, found):
        if word[:1].isupper():
            return [s[:1].upper() + s[1:] for s in found]
        return list(found)


class _PySpellChecker(_LowerCaseEngine):
    def __init__(self):
        super().__init__()
        from spellchecker import SpellChecker
        self.sc = SpellChecker()

    def spell(self, word):
        low = word.lower()
        return low in self.extra or low in self.sc

    def suggest(self, word):
        low = word.lower()
        cands = self.sc.candidates(low) or set()
        ranked = sorted(cands, key=lambda w: (-self.sc.word_usage_frequency(w), w))
        return self._recase(word, [w for w in ranked if w != low])


class _SymSpell(_LowerCaseEngine):
    def __init__(self):
        super().__init__()
        import importlib.resources

        from symspellpy import SymSpell, Verbosity
        self.verbosity = Verbosity
        self.sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        path = importlib.resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
        self.sym.load_dictionary(str(path), term_index=0, count_index=1)

    def spell(self, word):
        low = word.lower()
        return low in self.extra or low in self.sym.words

    def suggest(self, word):
        found = self.sym.lookup(word.lower(), self.verbosity.ALL, max_edit_distance=2)
        return self._recase(word, [s.term for s in found])


class _Enchant:
    def __init__(self):
        import enchant
        self.d = enchant.Dict("en_US")

    def spell(self, word):
        return self.d.check(word)

    def suggest(self, word):
        return self.d.suggest(word)

    def add(self, word):
        self.d.add_to_session(word)

    def remove(self, word):
        self.d.remove_from_session(word)


class _Spylls:
    def __init__(self, directory):
        from spylls.hunspell import Dictionary
        self.d = Dictionary.from_files(str(directory / "en_US"))
        self.extra: set[str] = set()

    def spell(self, word):
        return word in self.extra or self.d.lookup(word)

    def suggest(self, word):
        out = []
        for s in self.d.suggest(word):
            out.append(s)
            if len(out) >= 5:  # its suggester is slow: stop where Speller would
                break
        return out

    def add(self, word):
        self.extra.add(word)

    def remove(self, word):
        self.extra.discard(word)


def _chunspell(directory):
    import hunspell
    return hunspell.Hunspell("en_US", hunspell_data_dir=str(directory))


def _chunspell_old():
    import hunspell
    return _chunspell(Path(hunspell.__file__).parent / "dictionaries")


HUNSPELL_ENGINES = {"chunspell", "chunspell+old", "pyenchant", "spylls"}

CANDIDATES = {
    # name: (module to import, what it is, factory)
    "chunspell": ("hunspell", "chunspell 2.0.5 + SCOWL en_US 2020.12.07 (shipped)",
                  lambda: _chunspell(dictionaries_dir())),
    "chunspell+old": ("hunspell", "chunspell 2.0.5 + the en_US in its wheel", _chunspell_old),
    "pyenchant": ("enchant", "pyenchant 3.3.0 + libenchant-2 + system hunspell-en-us", _Enchant),
    "spylls": ("spylls", "spylls 0.1.7 + SCOWL en_US 2020.12.07", lambda: _Spylls(dictionaries_dir())),
    "pyspellchecker": ("spellchecker", "pyspellchecker 0.9.1 (its en list)", _PySpellChecker),
    "symspellpy": ("symspellpy", "symspellpy 6.10 (82,765-word list)", _SymSpell),
}


# -- corpora ----------------------------------------------------------------------------------------

def load_corpora() -> dict[str, list[str]]:
    corpora = {"outreach": [json.loads(line)["text"] for line in OUTREACH.read_text(encoding="utf-8").splitlines()
                            if line.strip()]}
    articles = []
    for path in sorted(ARTICLES.glob("*/expected.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        body = data.get("articleBody") or data.get("text") or ""
        if body:
            articles.append(body)
    if articles:
        corpora["articles"] = articles
        corpora["articles-en"] = [t for t in articles if is_english(t)]
    return corpora


def is_english(text: str) -> bool:
    words = [m.group().lower() for m in SPELLING_SCAN_RE.finditer(text) if m.lastgroup == "word"]
    return bool(words) and sum(w in ENGLISH_MARKERS for w in words) / len(words) >= ENGLISH_SHARE


def count_words(texts: list[str]) -> int:
    return sum(1 for t in texts for m in SPELLING_SCAN_RE.finditer(t) if m.lastgroup == "word")


def email_125(texts: list[str]) -> str:
    """About 125 words of outreach text, as one e-mail."""
    words: list[str] = []
    for t in texts:
        words.extend(t.split())
        if len(words) >= 125:
            break
    return " ".join(words[:125])


def median_us(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e6


# -- one candidate ---------------------------------------------------------------------------------

def rank_hits(speller: Speller, misspellings: dict[str, str]) -> tuple[dict, list[float]]:
    """Share of misspellings whose intended word is suggested 1st, 1st or 2nd, in the top 5."""
    ranks, times = [], []
    for wrong, right in misspellings.items():
        t0 = time.perf_counter()
        found = speller.suggestions(wrong, limit=5)
        times.append(time.perf_counter() - t0)
        ranks.append(found.index(right) + 1 if right in found else None)
    n = len(misspellings)
    return {
        "top1": sum(r == 1 for r in ranks) / n,
        "top2": sum(r is not None and r <= 2 for r in ranks) / n,
        "top5": sum(r is not None for r in ranks) / n,
        "not_top2": [w for w, r in zip(misspellings, ranks) if r is None or r > 2],
    }, times


def measure(name: str, corpora: dict[str, list[str]], words_in: dict[str, int], *,
            skip_names: bool = True, rank_by_commonness: bool = True) -> dict:
    """One candidate behind Speller, with the shipped extra words (all candidates) and the shipped
    commonness list for ordering suggestions (Hunspell engines only: the others rank by their own
    word frequencies)."""
    module, _, factory = CANDIDATES[name]
    t0 = time.perf_counter()
    engine = factory()
    load_ms = (time.perf_counter() - t0) * 1000
    directory = dictionaries_dir()
    extra = read_word_list(directory / f"{DEFAULT_LANGUAGE}.extra.txt")
    common = (read_commonness(directory / f"{DEFAULT_LANGUAGE}.common.txt")
              if rank_by_commonness and name in HUNSPELL_ENGINES else None)

    def speller():
        return Speller(engine, extra_words=extra, commonness=common, skip_names=skip_names)

    sp = speller()
    res: dict = {"load_ms": load_ms, "flags": {}, "top": {}}
    for cname, texts in corpora.items():
        flagged = Counter(w for t in texts for _, _, w in sp.misspelled(t))
        res["flags"][cname] = sum(flagged.values()) / words_in[cname] * 1000
        res["top"][cname] = flagged.most_common(12)

    res["detected"] = sum(not sp.is_known(w) for w in MISSPELLINGS)
    res["missed"] = [w for w in MISSPELLINGS if sp.is_known(w)]
    res["held_detected"] = sum(not sp.is_known(w) for w in HELD_OUT)
    res["tuned"], times = rank_hits(sp, MISSPELLINGS)
    res["held"], more = rank_hits(sp, HELD_OUT)
    times += more
    res["suggest_ms"] = statistics.median(times) * 1000
    res["suggest_max_ms"] = max(times) * 1000

    email = email_125(corpora["outreach"])
    fresh = speller()
    t0 = time.perf_counter()
    fresh.misspelled(email)
    res["email_cold_us"] = (time.perf_counter() - t0) * 1e6
    res["email_warm_us"] = median_us(lambda: fresh.misspelled(email), 300)
    lookup_words = [m.group().replace("’", "'") for m in SPELLING_SCAN_RE.finditer(email) if m.lastgroup == "word"]

    def lookups():
        for w in lookup_words:
            engine.spell(w)
    res["lookup_us"] = median_us(lookups, 30) / len(lookup_words)
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--candidate", action="append", choices=sorted(CANDIDATES),
                    help="measure only these (default: every one that is installed)")
    args = ap.parse_args(argv)
    names = args.candidate or list(CANDIDATES)

    corpora = load_corpora()
    words_in = {c: count_words(t) for c, t in corpora.items()}
    print(f"Python {platform.python_version()}, {platform.system()}, {__import__('os').cpu_count()} CPUs")
    print("Corpora: " + ", ".join(f"{c} {len(t)} texts / {words_in[c]:,} words" for c, t in corpora.items()))
    print(f"Misspellings: {len(MISSPELLINGS)}; e-mail: 125 words of outreach text\n")

    results = {}
    for name in names:
        module, label, _ = CANDIDATES[name]
        try:
            __import__(module)
        except ImportError:
            print(f"{name:15} not installed (pip install {name.split('+')[0]} to measure it)")
            continue
        try:
            results[name] = measure(name, corpora, words_in)
        except Exception as exc:  # noqa: BLE001 - a candidate that can't load (no system dictionary) is a result
            print(f"{name:15} failed to load: {type(exc).__name__}: {exc}")
    if not results:
        return 1

    cols = list(corpora)
    n, h = len(MISSPELLINGS), len(HELD_OUT)
    print("False flags per 1,000 words (every flag in these corpora is a false one, but a few typos in them):")
    print(f"{'candidate':15}" + "".join(f"{c:>13}" for c in cols))
    for name, r in results.items():
        print(f"{name:15}" + "".join(f"{r['flags'][c]:>13.2f}" for c in cols))

    print(f"\nMisspellings flagged, and the intended word among the suggestions "
          f"(tuning list of {n} / held-out list of {h}):")
    print(f"{'candidate':15}{'flagged':>12}{'1st':>12}{'1st or 2nd':>14}{'top 5':>12}")
    for name, r in results.items():
        t, o = r["tuned"], r["held"]
        print(f"{name:15}{r['detected']:>5} / {r['held_detected']:<4}"
              f"{t['top1']:>6.0%} / {o['top1']:<4.0%}{t['top2']:>8.0%} / {o['top2']:<4.0%}"
              f"{t['top5']:>6.0%} / {o['top5']:<4.0%}")

    print("\nTime (median; the e-mail is 125 words of outreach text):")
    print(f"{'candidate':15}{'load ms':>9}{'e-mail, first':>15}{'e-mail, again':>15}{'1 word':>9}"
          f"{'suggest':>10}{'worst':>8}")
    print(f"{'':15}{'':>9}{'µs':>15}{'µs':>15}{'µs':>9}{'ms':>10}{'ms':>8}")
    for name, r in results.items():
        print(f"{name:15}{r['load_ms']:>9.0f}{r['email_cold_us']:>15.0f}{r['email_warm_us']:>15.0f}"
              f"{r['lookup_us']:>9.2f}{r['suggest_ms']:>10.1f}{r['suggest_max_ms']:>8.0f}")
    print("  (e-mail, again: the per-word verdict cache is warm, as while the rep types; 1 word: one call"
          " into the engine, no cache)")

    print("\nWhat each one is, and what shipping it takes:")
    for name in results:
        print(f"  {name}: {CANDIDATES[name][1]}\n      {PACKAGING[name]}")

    print("\nDetails:")
    for name, r in results.items():
        print(f"  {name}")
        for c in cols:
            print(f"    most flagged in {c}: " + ", ".join(f"{w} {k}" for w, k in r["top"][c]))
        print(f"    misspellings not flagged (real words): {', '.join(r['missed']) or '-'}")
        print(f"    intended word not 1st or 2nd: {', '.join(r['tuned']['not_top2'] + r['held']['not_top2']) or '-'}")

    if "chunspell" in results:
        r = measure("chunspell", corpora, words_in, rank_by_commonness=False)
        print("\nchunspell with Hunspell's own order of suggestions (no commonness list): 1st "
              f"{r['tuned']['top1']:.0%} / {r['held']['top1']:.0%}, 1st or 2nd {r['tuned']['top2']:.0%} / "
              f"{r['held']['top2']:.0%}")
        r = measure("chunspell", corpora, words_in, skip_names=False)
        print("chunspell checking capitalised words inside sentences too (no name rule): "
              + ", ".join(f"{r['flags'][c]:.2f}/1k in {c}" for c in cols)
              + "; most flagged in outreach: " + ", ".join(f"{w} {k}" for w, k in r["top"]["outreach"][:8]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
