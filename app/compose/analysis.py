"""What the rules look at: one draft, taken apart once per check (all offsets are Python indices into text).

Everything is computed lazily and at most once per call, so a rule pack pays only for the
features its rules use. Nothing here is cached across calls.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cached_property

from app.core.text import CITATION_RE

from .draft_text import parse_draft

Span = tuple[int, int]

# A token is a citation marker (skipped), a number with separators, or a word with inner ' or -.
# A word or a number with separators; the id inside a citation marker [^12] is not a word.
_TOKEN_RE = re.compile(r"(?<!\[\^)(?:\d[\d,.]*\d|\w+(?:['’\-]\w+)*)")
# Where a forwarded original starts: everything below is not the rep's new text.
_FORWARD_RE = re.compile(
    r"^[ \t]*(?:-{2,}[ \t]*(?:forwarded message|original message)[ \t]*-{2,}"
    r"|-{3,}[ \t]*$"
    r"|on [^\n]{3,120}\bwrote:[ \t]*$"
    r"|from:[ \t]+[^\n]*@[^\n]*$"
    r"|>)",
    re.IGNORECASE | re.MULTILINE,
)
# Used with .match(text, pos): \A would only match at the very start of the text.
_SALUTATION_RE = re.compile(
    r"[ \t]*(?:(?:hi|hello|hey|hiya|howdy|dear|greetings|good[ \t]+(?:morning|afternoon|evening)|yo)\b(?![-'’])[^\n]*"
    r"|(?-i:[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){0,2}),[ \t]*(?=\n|\Z))",
    re.IGNORECASE,
)
# A greeting on the same line as the first sentence: stop at its comma ("Hi Sam, congrats on...").
_SALUTATION_HEAD_RE = re.compile(r"[^\n,!:—–]{0,60}?(?:[,!:—–]| - )")
_SIGN_OFF_RE = re.compile(
    r"^[ \t]*(?:best(?:[ \t]+(?:regards|wishes))?|kind[ \t]+regards|warm(?:est)?[ \t]+regards|regards"
    r"|many[ \t]+thanks|thanks(?:[ \t]+(?:again|so[ \t]+much|a[ \t]+lot|in[ \t]+advance))?|thank[ \t]+you(?:[ \t]+so[ \t]+much)?"
    r"|cheers|sincerely|yours(?:[ \t]+(?:truly|sincerely))?|all[ \t]+the[ \t]+best|talk[ \t]+soon|speak[ \t]+soon"
    r"|cordially|respectfully|warmly|with[ \t]+thanks|thx|ty)[ \t]*[,.!–—-]*"
    r"(?:[ \t]+(?-i:[A-Z][\w.'’-]*)(?:[ \t]+(?-i:[A-Z][\w.'’-]*)){0,2})?[ \t]*$",
    re.IGNORECASE,
)
_SIG_DELIMITER_RE = re.compile(r"^[ \t]*--[ \t]*$")
# A signature's contact line: a phone number, an address, a link, or "Sent from my iPhone".
_CONTACT_LINE_RE = re.compile(
    r"^[ \t]*(?:(?:tel|phone|mobile|cell|direct|office|m|t|p|o)[ \t]*[:.]?[ \t]*)?\+?[\d(][\d \t().-]{6,}\d[ \t]*$"
    r"|^(?=[^\n]{0,100}$)[^\n?]*?(?:\S+@\S+\.\w+|https?://\S+|www\.\S+|\+?\d[\d ().-]{8,}\d)[^\n?]*$"
    r"|^[ \t]*sent from my \w+",
    re.IGNORECASE,
)
_SMALL_WORDS = frozenset({"of", "and", "at", "for", "the", "&", "|", "-", "–", "—", "·", "/", "de", "von", "van"})


def _is_name_line(line: str) -> bool:
    """A name or a job title: a few Title Case words, no sentence punctuation ("Dana Okafor", "VP of Sales | Acme")."""
    words = line.strip().lstrip("-–— ").split()
    if not 1 <= len(words) <= 6 or any(ch in line for ch in ".?!") or not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w.lower() in _SMALL_WORDS or not w[:1].isalpha() for w in words)
_SENTENCE_END_RE = re.compile(r"[.!?]+[\"'”’)]*(?=\s|\Z)|\n[ \t]*\n|\n(?=[ \t]*(?:[-*•]|\d+[.)])[ \t])")
_ABBREVIATION_RE = re.compile(r"(?:\b(?:mr|mrs|ms|dr|prof|inc|ltd|co|corp|vs|etc|st|jr|sr|no|approx)|\b\w\.\w)\.\Z",
                              re.IGNORECASE)


class Analysis:
    """A draft as the rules see it. `kind` is first-touch or follow-up."""

    def __init__(self, text: str, kind: str, facts: list[dict], previous: str | None, company: str | None, today):
        self.text = text
        self.kind = kind
        self.facts = facts
        self.previous = previous
        self.company = company
        self.today = today
        self.parsed = parse_draft(text)

    # -- regions -------------------------------------------------------------------
    @cached_property
    def subject(self) -> str | None:
        return self.parsed.subject

    @cached_property
    def subject_span(self) -> Span:
        start = self.parsed.subject_start
        return (start, start + len(self.parsed.subject or ""))

    @cached_property
    def new_span(self) -> Span:
        """The rep's own text: the body above any forwarded or quoted original."""
        start = self.parsed.body_start
        m = _FORWARD_RE.search(self.text, start)
        end = m.start() if m else len(self.text)
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return (start, end)

    @cached_property
    def new_text(self) -> str:
        return self.text[slice(*self.new_span)]

    @cached_property
    def salutation(self) -> Span | None:
        start, end = self.new_span
        offset = start + (len(self.new_text) - len(self.new_text.lstrip()))
        m = _SALUTATION_RE.match(self.text, offset, end)
        if not m:
            return None
        line_end = m.end()
        head = _SALUTATION_HEAD_RE.match(self.text, offset, line_end)
        # "Hi Sam, congrats on the plant." : the greeting is only up to the comma.
        if head and self.text[head.end():line_end].strip():
            line_end = head.end()
        return (offset, line_end)

    @cached_property
    def signature(self) -> Span | None:
        """The sign-off and signature block at the end of the new text, if any."""
        start, end = self.new_span
        block_start = None  # the topmost line of the trailing signature-like block
        contact = names = 0
        definite = False
        pos = end
        for _ in range(10):  # a signature is a few lines, not a paragraph
            if pos <= start:
                break
            a = max(self.text.rfind("\n", start, pos) + 1, start)
            line = self.text[a:pos]
            pos = a - 1
            if not line.strip():
                continue
            if _SIGN_OFF_RE.match(line) or _SIG_DELIMITER_RE.match(line):
                block_start, definite = a, True
                break
            if _CONTACT_LINE_RE.match(line):
                block_start, contact = a, contact + 1
            elif _is_name_line(line):
                block_start, names = a, names + 1
            else:
                break
        if block_start is None:
            return None
        if definite or contact:
            return (block_start, end)
        # A lone name ("Jordan") under a finished sentence is a signature; a wrapped line is not.
        above = self.text[start:block_start].rstrip()
        if names == 1 and above and above[-1] in ".?!)":
            return (block_start, end)
        return None

    @cached_property
    def content_span(self) -> Span:
        """The new text without greeting and signature: what length, ratio and readability measure."""
        start, end = self.new_span
        if self.salutation:
            start = self.salutation[1]
        if self.signature and self.signature[0] >= start:
            end = self.signature[0]
        return (start, end)

    # -- tokens ----------------------------------------------------------------------
    @cached_property
    def _words(self) -> tuple[list[Span], list[int]]:
        """Every word of the whole text, once; regions take slices of it by bisection."""
        spans = [m.span() for m in _TOKEN_RE.finditer(self.text)]
        return spans, [s for s, _ in spans]

    @cached_property
    def all_lower(self) -> list[str]:
        """Every word, lower-cased with ’ as ': what phrase lists match against."""
        lowered = self.text.lower()
        if len(lowered) != len(self.text):  # a few characters lower-case to two ("İ"): go word by word
            return [self.text[s:e].lower().replace("’", "'") for s, e in self._words[0]]
        lowered = lowered.replace("’", "'")
        return [lowered[s:e] for s, e in self._words[0]]

    def word_range(self, span: Span) -> tuple[int, int]:
        """Indexes (lo, hi) of the words inside span, into _words and all_lower."""
        starts = self._words[1]
        return bisect_left(starts, span[0]), bisect_left(starts, span[1])

    def find_phrases(self, matcher, span: Span) -> list[Span]:
        lo, hi = self.word_range(span)
        return matcher.find(self.text, self._words[0], self.all_lower, lo, hi, span)

    def phrase_at_start(self, matcher, span: Span) -> Span | None:
        lo, hi = self.word_range(span)
        return matcher.match_at(self.text, self._words[0], self.all_lower, lo, hi, span)

    def words_in(self, span: Span) -> list[Span]:
        spans, starts = self._words
        return spans[bisect_left(starts, span[0]):bisect_left(starts, span[1])]

    def count_words(self, span: Span) -> int:
        starts = self._words[1]
        return bisect_left(starts, span[1]) - bisect_left(starts, span[0])

    @cached_property
    def new_words(self) -> list[Span]:
        return self.words_in(self.new_span)

    @cached_property
    def content_words(self) -> list[Span]:
        return self.words_in(self.content_span)

    def lower_words_in(self, span: Span) -> list[str]:
        lo, hi = self.word_range(span)
        return self.all_lower[lo:hi]

    @cached_property
    def content_lower(self) -> list[str]:
        """The content's words, lower-cased, with ’ as ': for counting pronouns and the like."""
        return self.lower_words_in(self.content_span)

    @cached_property
    def sentences(self) -> list[Span]:
        """Sentences of the content (greeting and signature left out), markers included."""
        start, end = self.content_span
        out = []
        pos = start
        for m in _SENTENCE_END_RE.finditer(self.text, start, end):
            if m.group()[0] == "." and _ABBREVIATION_RE.search(self.text, max(start, m.start() - 8), m.end()):
                continue
            out.append((pos, m.end()))
            pos = m.end()
        out.append((pos, end))
        return [self._trim(s) for s in out if self.count_words(s)]

    def _trim(self, span: Span) -> Span:
        a, b = span
        while a < b and self.text[a].isspace():
            a += 1
        while b > a and self.text[b - 1].isspace():
            b -= 1
        return (a, b)

    @cached_property
    def sentence_word_counts(self) -> list[int]:
        return [self.count_words(s) for s in self.sentences]

    @cached_property
    def questions(self) -> list[Span]:
        return [s for s in self.sentences if self.text[s[0]:s[1]].rstrip("\"'”’)").endswith("?")]

    @cached_property
    def citations(self) -> list[tuple[str, int, int]]:
        """(id, start, end) of every marker in the new text."""
        return [(m.group(1), m.start(), m.end()) for m in CITATION_RE.finditer(self.text, *self.new_span)]

    @cached_property
    def facts_by_id(self) -> dict[str, dict]:
        return {str(f.get("id")): f for f in self.facts}

    @cached_property
    def resolved_citations(self) -> list[tuple[str, int, int]]:
        return [c for c in self.citations if c[0] in self.facts_by_id]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [a for a, _ in self.sentences]

    def sentence_of(self, pos: int) -> Span:
        """The sentence holding pos; a marker that opens a sentence belongs to the one before."""
        sentences = self.sentences
        i = bisect_right(self._sentence_starts, pos) - 1
        if i < 0:
            return self.content_span
        a, b = sentences[i]
        if i > 0 and self.count_words((a, pos)) < 2:
            return (sentences[i - 1][0], b)
        return (a, b)
