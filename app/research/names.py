"""The names a page may call the company by, and whether a piece of text uses one of them.

From the rep's name for the prospect and the site's own (og:site_name, JSON-LD, a brand the title
repeats): the whole name, the name without legal words ("Ltd", "Group"), a distinctive first word
("MJC"), the name written as one word ("ToledoCars") and its initials in capitals ("NSG").
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from app.core.tokens import ALNUM_RE

_LEGAL = {"inc", "incorporated", "llc", "llp", "ltd", "limited", "co", "corp", "corporation", "company", "plc",
          "gmbh", "ag", "sa", "srl", "bv", "nv", "pty", "lda", "the", "group", "pc", "pllc", "lp"}


_DOMAIN = re.compile(r"\.(?:com|net|org|co\.uk|us|ca|ie|biz|info)\b", re.IGNORECASE)


def norm(text: str) -> str:
    """Lowercased words only: "Katz, Marshall & Banks" -> "katz marshall and banks"; a web address's
    ending dropped ("ToledoCars.com" -> "toledocars")."""
    text = _DOMAIN.sub("", unicodedata.normalize("NFKC", text)).replace("&amp;", "&").replace("&", " and ").lower()
    return " ".join(ALNUM_RE.findall(text))


@dataclass(frozen=True)
class Company:
    """The ways a page may name the company: word sequences, squashed forms ("toledocars"), and
    initials written in capitals ("NSG")."""
    phrases: tuple[str, ...]
    squashed: tuple[str, ...]
    initials: tuple[str, ...] = ()
    # On the company's own site a name may be a short form of how the site writes it ("LeewardPro" for
    # "Leeward Productions"): a squashed form may then end inside a word. Never for news, where
    # "General Motors" must not be "General Motorsports".
    short_forms: bool = False

    def named_in(self, text: str) -> bool:
        words = norm(text).split()
        padded = f" {' '.join(words)} "
        if any(f" {p} " in padded for p in self.phrases):
            return True
        if any(_joins_to(words, s, self.short_forms) for s in self.squashed):
            return True
        return any(re.search(rf"\b{i}\b", text) for i in self.initials)

    def without(self, text: str) -> str:
        """text with the company's names taken out: words of a name ("Better Builders") are not
        attributes of the company."""
        for phrase in self.phrases:
            pattern = r"[\W_]+".join("(?:and|&)" if t == "and" else re.escape(t) for t in phrase.split())
            text = re.sub(rf"(?i)(?<!\w){pattern}(?!\w)", " ", text)
        for initials in self.initials:
            text = re.sub(rf"\b{initials}\b", " ", text)
        return text

    def __bool__(self) -> bool:
        return bool(self.phrases or self.squashed or self.initials)


def _joins_to(words: list[str], target: str, short_form: bool = False) -> bool:
    """Whether whole consecutive words, written together, are target ("toledo cars" is "toledocars"):
    never part of a longer word ("general motorsports" is not "generalmotors", "targeted" not "target").
    short_form: target may end inside the last word ("leeward productions" starts "leewardpro")."""
    for start in range(len(words)):
        joined = ""
        for word in words[start:]:
            if short_form and len(joined) < len(target) <= len(joined) + len(word):
                if (joined + word).startswith(target):
                    return True
                break
            joined += word
            if not target.startswith(joined):
                break
            if joined == target:
                return True
    return False


# Words that say what kind of firm a name belongs to rather than which one.
_KIND_WORDS = frozenset("""services solutions specialists design designs products industries technologies systems
partners associates enterprises holdings software consulting international global online direct recruiting
""".split())


def company(names: Iterable[str | None], short_forms: bool = False) -> Company:
    """The company's name variants from its names (the prospect's, the site's): the whole name,
    the name without legal words ("Group", "Inc", "The"), and a distinctive first word ("MJC").
    short_forms: on the company's own site, a one-word name may be a short form (see Company)."""
    phrases: set[str] = set()
    squashed: set[str] = set()
    initials: set[str] = set()
    for name in names:
        if not name:
            continue
        name = _DOMAIN.sub("", name.strip())
        tokens = norm(name).split()
        if not tokens:
            continue
        core = [t for t in tokens if t not in _LEGAL] or tokens
        for variant in (tokens, core):
            phrase = " ".join(variant)
            if len(phrase) >= 3:
                phrases.add(phrase)
        if len(core) >= 2:
            # "MJC Building Group" is also "MJC building": drop one trailing generic word.
            if core[-1] in _KIND_WORDS:
                phrases.add(" ".join(core[:-1]))
            first = name.split()[0].strip(",.")
            # A first word that can't be an ordinary word (an acronym: "MJC"), or a coined name before
            # words that only say what kind of firm it is ("ScoutForce Recruiting Software").
            if (len(first) >= 3 and first.isupper()) or (
                    re.match(r"^[A-Z][a-z]+[A-Z]", first) and all(t in _KIND_WORDS for t in core[1:])):
                phrases.add(first.lower())
        if len(core) >= 3:
            initials.add("".join(t[0] for t in core).upper())  # "Nippon Sheet Glass" is also "NSG"
        short = _short_caps(name)
        if short:
            initials.add(short)
        flat = "".join(core)
        if len(flat) >= 6:
            squashed.add(flat)  # "ToledoCars" written as "Toledo Cars", or the other way round
    return Company(tuple(sorted(phrases, key=len, reverse=True)), tuple(sorted(squashed)), tuple(sorted(initials)),
                   short_forms)


def _short_caps(name: str) -> str | None:
    """A name too short to match as words ("GE", "3M Company", "HP Inc."), when it is written in
    capitals and digits: matched case-sensitively as a whole word, so "GE" is not "ge" in "geology"."""
    core = [t for t in ALNUM_RE.findall(unicodedata.normalize("NFKC", name)) if t.lower() not in _LEGAL]
    if len(core) == 1 and len(core[0]) == 2 and re.fullmatch(r"[A-Z0-9]*[A-Z][A-Z0-9]*", core[0]):
        return core[0]
    return None


def search_name(name: str) -> str:
    """The name to search news for: without its legal ending or a leading "The" ("Acme, Inc." ->
    "Acme", "General Motors Company" -> "General Motors"), since articles seldom write them. The
    whole name when nothing else is left ("The Company")."""
    words = name.split()
    while words and norm(words[0]) == "the":
        words.pop(0)
    # "&" and "and" only end a name once a legal word went ("Smith & Co." -> "Smith").
    while words and norm(words[-1]).replace(" ", "") in _LEGAL | {"and", ""}:
        words.pop()
    return " ".join(words).rstrip(",;:-–— ") or name.strip()


def title_names(title: str | None, alone: bool = False) -> list[str]:
    """Parts of a page title that may be the company's name ("Oatey | Plumbing Products" -> both
    parts): short segments between separators, a leading "Welcome to" left out. A title of one part
    is usually the page's topic ("Self-cleaning Glass"): it counts only when alone (no other name)."""
    if not title:
        return []
    parts = re.split(r"\s+[|:–—-]\s+|\s*[|»]\s*", title)
    if len(parts) < 2 and not alone:
        return []
    out = []
    for part in parts:
        part = re.sub(r"^(?:welcome to|home|homepage)\b\W*", "", part.strip(), flags=re.I)
        if 1 <= len(part.split()) <= 5 and part[:1].isupper():
            out.append(part)
    return out
