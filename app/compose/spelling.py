"""Offline spell checking of a draft: which words to underline and what to suggest (no Qt).

Hunspell (the chunspell wheel, which carries libhunspell itself) with SCOWL's en_US dictionary,
shipped in resources/dictionaries/ so nothing depends on the system's dictionaries. The choice
and its figures: benchmarks/spelling.py.

Not thread-safe: load anywhere (the UI loads off the main thread), then use from one thread.
"""
from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from app.core import tokens

DEFAULT_LANGUAGE = "en_US"

_NAME_LINE_SMALL_WORDS = frozenset({"of", "and", "at", "for", "the", "de", "van", "von", "da", "di", "la", "le"})

_MAX_ACRONYM = 6
# Each word typed, half-typed words included, leaves a verdict behind; past this, start over.
_MAX_CACHE = 50_000
# How many places in Hunspell's order one step of commonness is worth when ranking suggestions.
# Chosen on benchmarks/spelling.py's MISSPELLINGS and checked on its HELD_OUT list.
_COMMONNESS_WEIGHT = 2


class Dictionary(Protocol):
    """What Speller needs from a spelling engine (a chunspell Hunspell object fits)."""

    def spell(self, word: str) -> bool: ...
    def suggest(self, word: str) -> Iterable[str]: ...
    def add(self, word: str) -> object: ...
    def remove(self, word: str) -> object: ...


def dictionaries_dir() -> Path:
    """Where the shipped dictionaries are (resources/dictionaries)."""
    from app.core.paths import resources_dir

    return resources_dir() / "dictionaries"


def load_hunspell(language: str = DEFAULT_LANGUAGE, directory: Path | None = None) -> Dictionary:
    """A Hunspell engine for `language` from the shipped .aff/.dic files (~50 ms: not at import)."""
    import hunspell  # the chunspell package: imported here so importing this module stays cheap

    directory = directory or dictionaries_dir()
    if not (directory / f"{language}.dic").is_file():
        raise FileNotFoundError(f"No {language} spelling dictionary in {directory}; reinstall Earned.")
    return hunspell.Hunspell(language, hunspell_data_dir=str(directory))


def read_word_list(path: Path) -> list[str]:
    """The words of a shipped list: one a line, '#' comments and blank lines left out."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [w for w in (line.strip() for line in lines) if w and not w.startswith("#")]


def read_commonness(path: Path) -> dict[str, int]:
    """word -> 0 for the most common words, 1 for the next level, ... from a list cut in [N] sections."""
    out: dict[str, int] = {}
    level = -1
    for word in read_word_list(path):
        if word.startswith("["):
            level += 1
        else:
            out.setdefault(word, level)
    return out


class Speller:
    """Finds the misspelled words of a draft; per-word verdicts are cached, so re-checking is cheap."""

    def __init__(self, dictionary: Dictionary, *, extra_words: Iterable[str] = (),
                 commonness: dict[str, int] | None = None, skip_names: bool = True):
        """`extra_words` are accepted like the dictionary's own; `commonness` (word -> 0 for the most
        common, see read_commonness) orders suggestions; `skip_names` leaves capitalised words
        inside a sentence alone (see misspelled)."""
        self._dict = dictionary
        self._skip_names = skip_names
        self._commonness = commonness
        self._uncommon = max(commonness.values(), default=-1) + 1 if commonness else 0
        self._user_words: set[str] = set()
        self._extra_words: set[str] = set()
        for word in self._entry_words(extra_words):
            self._extra_words.add(word)
            self._dict.add(word)
        # word as typed -> flagged (start, end) spans inside it; () when it is fine or skipped.
        self._verdicts: dict[str, tuple[tuple[int, int], ...]] = {}
        # Hunspell takes ~0.1 s per word to suggest; a rep often opens the menu twice on one word.
        self._suggested: dict[str, list[str]] = {}

    @classmethod
    def load(cls, language: str = DEFAULT_LANGUAGE, directory: Path | None = None) -> Speller:
        """A Speller over the shipped dictionary for `language` and its word lists (~0.15 s)."""
        directory = directory or dictionaries_dir()
        extra = directory / f"{language}.extra.txt"
        common = directory / f"{language}.common.txt"
        return cls(load_hunspell(language, directory),
                   extra_words=read_word_list(extra) if extra.is_file() else (),
                   commonness=read_commonness(common) if common.is_file() else None)

    # -- checking -------------------------------------------------------------------------------

    def misspelled(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, word) of each misspelling, as Python string offsets into `text`."""
        out = []
        verdicts = self._verdicts
        skip_names = self._skip_names
        at_start = True  # the next word begins a sentence
        for m in tokens.SPELLING_SCAN_RE.finditer(text):
            kind = m.lastgroup
            if kind == "word":
                word = m.group()
                starts_sentence, at_start = at_start, False
                # A capitalised word inside a sentence is a name (a company, a person, a town, a
                # product) far more often than a typo; the dictionary knows few of them. A word in
                # capitals is shouting, not a name, and long ones are checked (acronyms are not).
                if skip_names and not starts_sentence and word[0].isupper() and not word.isupper():
                    continue
                spans = verdicts.get(word)
                if spans is None:
                    spans = self._verdict(word)
                if spans:
                    base = m.start()
                    if skip_names and word[0].isupper() and _is_name_line(text, base, m.end()):
                        continue
                    out.extend((base + s, base + e, word[s:e]) for s, e in spans)
            elif kind == "stop":
                at_start = True
            elif kind == "skip":
                at_start = False
            # a citation marker changes nothing: "… opened.[^3] Next" still starts a sentence
        return out

    def is_known(self, word: str) -> bool:
        """Whether `word` is spelled right: the dictionary, the rep's words, or a known stem + 's."""
        word = word.replace("’", "'")
        if not word:
            return False
        if self._spell(word):
            return True
        if word.lower().endswith("'s") and len(word) > 2:
            return self._spell(word[:-2])
        if word.endswith("'") and len(word) > 1:  # plural possessive: "partners'"
            return self._spell(word[:-1])
        return False

    def suggestions(self, word: str, limit: int = 5) -> list[str]:
        """Likely intended spellings of `word`, best first (~20-100 ms: for a context menu, not per key)."""
        curly = "’" in word
        plain = word.replace("’", "'")
        found = self._suggested.get(plain)
        if found is None:
            try:
                found = self._ranked(plain, list(self._dict.suggest(plain)))
            except UnicodeError:  # a character the dictionary's encoding can't hold
                found = []
            if len(self._suggested) >= 256:
                self._suggested.clear()
            self._suggested[plain] = found
        out: list[str] = []
        for s in found:
            if curly:
                s = s.replace("'", "’")
            if s != word and s not in out:
                out.append(s)
            if len(out) >= limit:
                break
        return out

    # -- the rep's own words -------------------------------------------------------------------

    def add_words(self, words: Iterable[str]) -> None:
        """Accept these words from now on: the rep's dictionary, a prospect's company, people, products.

        Entries may be names of several words ("Acme Logistics, Inc."); each word is added. As in
        Hunspell, a lower-case word is accepted in any case, a capitalised one only capitalised.
        """
        added = False
        for w in self._entry_words(words):
            if w not in self._user_words:
                self._user_words.add(w)
                self._dict.add(w)
                added = True
        if added:
            self._verdicts.clear()
            self._suggested.clear()

    def remove_words(self, words: Iterable[str]) -> None:
        """Stop accepting words added with add_words (the dictionary's own words stay)."""
        removed = False
        for w in self._entry_words(words):
            if w in self._user_words:
                self._user_words.discard(w)
                if w not in self._extra_words:
                    self._dict.remove(w)
                removed = True
        if removed:
            self._verdicts.clear()
            self._suggested.clear()

    @property
    def user_words(self) -> frozenset[str]:
        """The words added with add_words."""
        return frozenset(self._user_words)

    # -- internals -----------------------------------------------------------------------------

    def _spell(self, word: str) -> bool:
        if word in self._user_words:
            return True
        try:
            if self._dict.spell(word):
                return True
        except UnicodeError:  # a character the dictionary's encoding can't hold
            pass
        if word.isascii():
            return False
        # en_US lists "cafe", "naive", "resume" but not their accented spellings, which are right too.
        folded = _fold_accents(word)
        return folded != word and folded.isascii() and bool(self._dict.spell(folded))

    @staticmethod
    def _entry_words(entries: Iterable[str]) -> list[str]:
        return [m.group() for entry in entries for m in tokens.HYPHENATED_WORD_RE.finditer(entry.replace("’", "'"))]

    def _ranked(self, word: str, found: list[str]) -> list[str]:
        """Hunspell's suggestions, common words moved up: it ranks by likeness alone ("wich" gave
        "wite, winch, witch, which")."""
        common = self._commonness
        if not common:
            return found
        uncommon = self._uncommon
        bare = word.replace("'", "")

        def key(item: tuple[int, str]) -> float:
            i, s = item
            if s != word and s.replace("'", "") == bare:  # only the apostrophe was missing: dont -> don't
                return -1
            return i + _COMMONNESS_WEIGHT * common.get(s, common.get(s.lower(), uncommon))

        return [s for _, s in sorted(enumerate(found), key=key)]

    def _verdict(self, word: str) -> tuple[tuple[int, int], ...]:
        """The misspelled spans inside one word token, cached by the token's exact text."""
        if len(self._verdicts) >= _MAX_CACHE:
            self._verdicts.clear()
        spans = self._judge(word)
        self._verdicts[word] = spans
        return spans

    def _judge(self, word: str) -> tuple[tuple[int, int], ...]:
        letters = word.replace("'", "").replace("’", "").replace("-", "")
        if not letters.isalpha():  # digits or underscores anywhere: 3rd, Q4, B2B, COVID-19, snake_case
            return ()
        if "-" not in word:
            return self._judge_part(word, 0)
        if self.is_known(word):  # the dictionary has some hyphenated words whole: e-mail, co-op
            return ()
        spans: list[tuple[int, int]] = []
        offset = 0
        for part in word.split("-"):
            spans.extend(self._judge_part(part, offset))
            offset += len(part) + 1
        return tuple(spans)

    def _judge_part(self, part: str, offset: int) -> tuple[tuple[int, int], ...]:
        """Misspelled spans of one hyphen-free word at `offset` in its token."""
        letters = part.replace("'", "").replace("’", "")
        if len(letters) < 2:
            return ()
        if not _is_latin(letters):  # a name in another script: not this dictionary's business
            return ()
        if letters.isupper():
            if len(letters) <= _MAX_ACRONYM:  # acronyms: CRM, ROI, EBITDA
                return ()
        elif any(c.isupper() for c in letters[1:]):  # internal capitals: iPhone, HubSpot, McKinsey
            return ()
        if self.is_known(part):
            return ()
        normal = part.replace("’", "'")
        if normal.lower().endswith("'s"):
            # Underline the stem only, so a suggestion replaces it and keeps the 's.
            return ((offset, offset + len(part) - 2),)
        return ((offset, offset + len(part)),)


def _is_name_line(text: str, start: int, end: int) -> bool:
    """Whether the word at start:end sits on a short line of capitalised words with no full stop:
    a sign-off ("Priya"), a title ("Head of Partnerships, Yardwise"), a heading."""
    line_start = max(text.rfind("\n", 0, start), text.rfind("\u2028", 0, start)) + 1
    ends = [i for i in (text.find("\n", end), text.find("\u2028", end)) if i >= 0]
    line = text[line_start:min(ends, default=len(text))].strip()
    if not line or line[-1] in ".!?:;,":
        return False
    words = tokens.LETTERS_RE.findall(line)
    return len(words) <= 5 and all(w[0].isupper() or w in _NAME_LINE_SMALL_WORDS for w in words)


def _fold_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _is_latin(letters: str) -> bool:
    # Basic Latin to Latin Extended-B, plus Latin Extended Additional (Vietnamese).
    return all(ord(c) < 0x250 or 0x1E00 <= ord(c) < 0x1F00 for c in letters)


# -- one shared instance ------------------------------------------------------------------------

_default: Speller | None = None
_default_lock = threading.Lock()


def default_speller() -> Speller:
    """The shared en_US Speller, loaded on first call (~0.15 s): call it off the main thread."""
    global _default
    if _default is None:
        with _default_lock:  # two workers asking at once load it once
            if _default is None:
                _default = Speller.load(DEFAULT_LANGUAGE)
    return _default


def loaded_default_speller() -> Speller | None:
    """The shared Speller if it is loaded already, else None (never loads: safe on the UI thread)."""
    return _default
