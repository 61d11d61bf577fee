"""Phrase lists matched word by word, for the existence and occurrence checks.

A rule's phrases ("did you (get|receive) my (last|previous) e-?mails?") are expanded once into
every word sequence they can spell and kept in a trie keyed by lower-case words. A draft is
then matched with one dictionary lookup per word, instead of a long regex alternation tried
at every character. Phrases the expansion can't spell (character classes, punctuation) are
matched by a regular expression instead.
"""
from __future__ import annotations

import re
from itertools import compress

from app.core.tokens import NUMBER_OR_WORD_RE as _TOKEN_RE  # a phrase's words line up with a draft's

_END = object()  # trie key that marks a complete phrase
_MAX_SEQUENCES = 5000  # guard against a phrase that expands combinatorially


def normalize_word(word: str) -> str:
    return word.lower().replace("’", "'")


def phrase_regex(tokens: list[str]) -> re.Pattern:
    """Phrases to one case-folded regex with word boundaries; a space matches any run of spaces,
    " ?" an optional space, an apostrophe ' or ’. Tokens may use (a|b) groups and ? for optional parts."""
    parts = []
    for token in tokens:
        token = token.strip().replace("'", "['’]")
        token = token.replace(" ?", r"\s*")
        parts.append(re.sub(r" +", r"\\s+", token))
    return re.compile(r"(?<![\w'’])(?:" + "|".join(parts) + r")(?![\w'’])", re.IGNORECASE)


def _sequence(s: str, i: int) -> tuple[list[str], int] | None:
    """Expand s[i:] up to a ')' or '|' into every string it can spell."""
    results = [""]
    while i < len(s) and s[i] not in ")|":
        if s[i] == "(":
            if s.startswith("(?", i):
                return None
            alternatives, i = _alternatives(s, i + 1) or (None, i)
            if alternatives is None:
                return None
            options = alternatives
        elif s[i] in "\\[]*+{}.^$":
            return None
        else:
            options = [s[i]]
            i += 1
        if i < len(s) and s[i] == "?":
            options = options + [""]
            i += 1
        results = [r + o for r in results for o in options]
        if len(results) > _MAX_SEQUENCES:
            return None
    return results, i


def _alternatives(s: str, i: int) -> tuple[list[str], int] | None:
    found = []
    while True:
        parsed = _sequence(s, i)
        if parsed is None:
            return None
        seq, i = parsed
        found += seq
        if i >= len(s):
            return None  # unbalanced parenthesis
        if s[i] == "|":
            i += 1
            continue
        return found, i + 1  # past ')'


def expand(token: str) -> list[tuple[str, ...]] | None:
    """Every word sequence a phrase spells, or None if it can't be spelled in words."""
    parsed = _sequence(token.strip(), 0)
    if parsed is None or parsed[1] != len(token.strip()):
        return None
    out = []
    for text in parsed[0]:
        normal = " ".join(normalize_word(text).split())
        words = tuple(_TOKEN_RE.findall(normal))
        if not words or " ".join(words) != normal:  # punctuation the word matcher can't see
            return None
        out.append(words)
    return out


class PhraseMatcher:
    def __init__(self, tokens: list[str]):
        self.trie: dict = {}
        leftovers = []
        expanded = [expand(t) for t in tokens]  # (once: the pack is loaded at startup)
        for token, sequences in zip(tokens, expanded):
            if sequences is None:
                leftovers.append(token)
                continue
            for words in sequences:
                node = self.trie
                for w in words:
                    node = node.setdefault(w, {})
                node[_END] = True
        self.regex = phrase_regex(leftovers) if leftovers else None
        # A list of plain single words (pronouns) is also kept as a set, for counting.
        single = not leftovers and all(len(seq) == 1 for seqs in expanded for seq in seqs)
        self.words = frozenset(seq[0] for seqs in expanded for seq in seqs) if single else None

    def _walk(self, text: str, spans: list, words: list, i: int, hi: int) -> int:
        """Index just past the longest phrase starting at word i, or -1."""
        node, best, j = self.trie, -1, i
        while j < hi:
            node = node.get(words[j])
            if node is None:
                break
            j += 1
            if _END in node:
                best = j
            # Words of a phrase are separated by white space only, as a reader would read them.
            if j < hi and not text[spans[j - 1][1]:spans[j][0]].isspace():
                break
        return best

    def find(self, text: str, spans: list, words: list, lo: int, hi: int, region: tuple[int, int],
             analysis=None) -> list:
        """Every phrase in words[lo:hi] (spans and lower-case words of the draft), left to right.
        (analysis: the draft's Analysis; phrase lists don't need it, families.FamilyMatcher does.)"""
        found = []
        free = lo  # past the last phrase found: phrases don't overlap
        # Most words start no phrase: the ones that may are picked out at C speed, then walked.
        for i in compress(range(lo, hi), map(self.trie.__contains__, words[lo:hi])):
            if i < free:
                continue
            end = self._walk(text, spans, words, i, hi)
            if end > 0:
                found.append((spans[i][0], spans[end - 1][1]))
                free = end
        if self.regex is not None:
            found += [(m.start(), m.end()) for m in self.regex.finditer(text, *region)]
            found.sort()
        return found

    def match_at(self, text: str, spans: list, words: list, i: int, hi: int, region: tuple[int, int],
                 analysis=None):
        """The phrase starting exactly at word i (the start of region), or None."""
        if i < hi:
            end = self._walk(text, spans, words, i, hi)
            if end > 0:
                return (spans[i][0], spans[end - 1][1])
        if self.regex is not None:
            m = self.regex.match(text, *region)
            if m:
                return (m.start(), m.end())
        return None
