"""What the rules look at: one draft, taken apart once per check (all offsets are Python indices into text).

Everything is computed lazily and at most once per call, so a rule pack pays only for the
features its rules use. Nothing here is cached across calls.
"""
from __future__ import annotations

import operator
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from app.core.text import CITATION_RE
from app.core.tokens import DOTTED_NAME_WORD_RE, NAME_WORD_RE, WORD_RE
from app.core.tokens import DRAFT_TOKEN_RE as _TOKEN_RE  # (module global: read on every check)

from .draft_text import parse_draft

Span = tuple[int, int]
_SPAN = re.Match.span  # (map() with these beats a comprehension on every keystroke)
_START = operator.itemgetter(0)

# Where a forwarded original starts: everything below is not the rep's new text. A line that opens it:
_FORWARD_LINE = (
    r"[ \t]*(?:-{2,}[ \t]*(?:forwarded message|original message)[ \t]*-{2,}"
    r"|-{3,}[ \t]*$"
    r"|_{8,}[ \t]*$"  # Outlook's rule above a quoted message
    r"|begin forwarded message:"  # Apple Mail
    r"|on [^\n]{3,120}\bwrote:[ \t]*$"
    r"|on [^\n]{3,120}\n[^\n]{0,80}\bwrote:[ \t]*$"  # Gmail wraps a long "On ... <address> wrote:"
    r"|from:[ \t]+[^\n]*@[^\n]*$"
    r"|from:[ \t]+[^\n]+\n[ \t]*(?:sent|date):"  # Outlook names the sender without an address
    r"|>)"
)
# The body's first line is matched where it starts; the lines below are searched from the line break
# before each (a literal the regex engine jumps to, where "^" made it try every character).
_FORWARD_FIRST_RE = re.compile(_FORWARD_LINE, re.IGNORECASE | re.MULTILINE)
_FORWARD_RE = re.compile(r"\n" + _FORWARD_LINE, re.IGNORECASE | re.MULTILINE)
# Used with .match(text, pos): \A would only match at the very start of the text.
_SALUTATION_RE = re.compile(
    r"[ \t]*(?:(?:hi|hello|hey|hiya|howdy|dear|greetings|good[ \t]+(?:morning|afternoon|evening|day)|yo)\b(?![-'’])"
    r"(?![ \t]+from\b)[^\n]*"  # "Hello from the Dockly team!" is the sender introducing itself, not a greeting
    # "Morning Dana," / "Afternoon!" / "Happy Monday, Dana!": a greeting when a name or a stop follows.
    r"|(?:morning|afternoon|evening|happy[ \t]+(?:monday|tuesday|wednesday|thursday|friday|new[ \t]+year))"
    r"(?=[ \t]*[,!]|[ \t]+(?-i:[A-Z])[a-z]+[ \t]*(?:[,!:—–-]|$))[^\n]*"
    # A bare name on its own line: "Sam," / "Dana —" / "Dr. Patel:".
    r"|(?-i:[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){0,2})[ \t]*(?:,|:|[—–-]+)[ \t]*(?=\r?\n|\Z))",
    re.IGNORECASE,
)
# In a follow-up, a bare name opening the first sentence is its greeting too: "Dana, is this a priority?" (not
# "Reno, Nevada ..." nor "Thanks, I ..."). Only there: in a call script "Dana, ..." is words the rep says.
_BARE_NAME_RE = re.compile(
    r"[ \t]*(?=(?-i:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?(?:[ \t]+[A-Z][a-z]+)?)[ \t]*[,—–][ \t])"  # quick test first
    r"(?!(?:thanks|thank|however|also|so|yes|no|ok|okay|well|honestly|frankly|congrats|congratulations|sorry|btw"
    r"|anyway|again|first|second|third|finally|today|tomorrow|yesterday|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|quick|actually|meanwhile|plus|now|then|still|otherwise|separately|cheers|best|great|nice"
    r"|wow|oh|ah|look|listen|agreed|sure|absolutely|please|sadly|luckily|interestingly|given|since|because|if"
    r"|when|while|after|before|as|and|but|or|for|to|in|on|at|by|with|from|of|the|a|an)\b)"
    r"(?-i:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?(?:[ \t]+[A-Z][a-z]+)?)[ \t]*[,—–][ \t]+"
    r"(?=(?:quick|one|is|are|do|does|did|can|could|would|will|what|how|who|which|any|saw|congrats|thanks|hope"
    r"|just|wanted|curious|i|i'm|i've|i'd|you|your|you're|following|noticed|loved|happy)\b)[^\n]*",
    re.IGNORECASE,
)
# A greeting on the same line as the first sentence: stop at its comma ("Hi Sam, congrats on...").
_SALUTATION_HEAD_RE = re.compile(r"[^\n,!:—–]{0,60}?(?:[,!:—–]| - )")
_SIGN_OFF_RE = re.compile(
    r"^[ \t]*(?:best(?:[ \t]+(?:regards|wishes))?|kind[ \t]+regards|warm(?:est)?[ \t]+regards|regards"
    r"|many[ \t]+thanks|thanks(?:[ \t]+(?:again|so[ \t]+much|a[ \t]+lot|in[ \t]+advance))?|thank[ \t]+you(?:[ \t]+so[ \t]+much)?"
    r"|cheers|sincerely|yours(?:[ \t]+(?:truly|sincerely))?|all[ \t]+the[ \t]+best|talk[ \t]+soon|speak[ \t]+soon"
    r"|cordially|respectfully|warmly|with[ \t]+thanks|thx|ty|best[ \t]+wishes|take[ \t]+care|onward|until[ \t]+then)"
    r"[ \t]*[,.!–—-]*"
    r"(?:[ \t]+(?-i:[A-Z][\w.'’-]*)(?:[ \t]+(?-i:[A-Z][\w.'’-]*)){0,2})?[ \t]*$",
    re.IGNORECASE,
)
# A closing sentence before the name: "Looking forward to hearing from you," / "Have a great weekend!".
# It is a sign-off only with a name or contact line under it (or a trailing comma): alone, it is content.
_CLOSING_RE = re.compile(
    r"^[ \t]*(?:(?:I[ \t]+)?look(?:ing)?[ \t]+forward[ \t]+to\b|(?:I[ \t]+)?hope[ \t]+to[ \t]+(?:hear|connect|speak|chat)\b"
    r"|have[ \t]+a[ \t]+(?:great|good|nice|wonderful|lovely|fantastic)\b|enjoy[ \t]+(?:the|your)\b"
    r"|(?:thanks|thank[ \t]+you)[ \t]+(?:for[ \t]+(?:your|the)[ \t]+(?:time|consideration|help|read)|again)\b"
    r"|(?:I[ \t]+)?appreciate[ \t]+(?:your|the)[ \t]+time\b|talk[ \t]+(?:to[ \t]+you[ \t]+)?soon\b"
    r"|speak[ \t]+(?:to|with)[ \t]+you\b|stay[ \t]+(?:well|safe)\b|all[ \t]+the[ \t]+best\b|best[ \t]+of[ \t]+luck\b)"
    r"[^\n?]{0,60}$",
    re.IGNORECASE,
)
_SIG_DELIMITER_RE = re.compile(r"^[ \t]*--[ \t]*$")
_SENT_FROM_RE = re.compile(r"^[ \t]*(?:sent[ \t]+from[ \t]+my[ \t]+\w+|get[ \t]+outlook[ \t]+for[ \t]+\w+)", re.IGNORECASE)
# What a contact line holds: an address, a link or bare domain, a phone number.
_CONTACT_DETAIL_RE = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|https?://\S+|www\.\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|io|ai|co|net|org|app|dev|example|us|uk|ca|de|biz|info|tech|so|xyz|me|cloud)\b(?:/\S*)?"
    r"|\+?\(?\d[\d \t().-]{6,}\d(?:[ \t]*(?:x|ext\.?)[ \t]*\d+)?",
    re.IGNORECASE,
)
# Words that label a contact line's parts ("m: 555...", "Book a call: cal.example/jordan").
_CONTACT_LABELS = frozenset({
    "tel", "phone", "mobile", "cell", "direct", "office", "main", "fax", "ext", "m", "t", "p", "o", "w", "e", "d",
    "web", "website", "site", "email", "e-mail", "mail", "linkedin", "twitter", "x", "calendar", "book", "schedule",
    "grab", "a", "time", "call", "meeting", "with", "me", "my", "here", "or", "text",
})
_ADDRESS_RE = re.compile(
    r"^[ \t]*(?:\d{1,6}[ \t]+(?:[A-Z][\w.'’-]*[ \t]+){1,4}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive"
    r"|Way|Ln|Lane|Ct|Court|Pl|Place|Pkwy|Parkway|Hwy|Highway|Sq|Square)\b[^\n?!]{0,60}"
    r"|(?:Suite|Ste\.?|Floor|Fl\.?)[ \t]+\w+[^\n?!]{0,40}"
    r"|[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)*,[ \t]*[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?)[ \t]*$"
)
_SMALL_WORDS = frozenset({"of", "and", "at", "for", "the", "&", "|", "-", "–", "—", "·", "/", "de", "von", "van", "in",
                          "on", "to", "a"})
_ABBREVIATION_IN_NAME_RE = re.compile(r"\b(?:Inc|Ltd|LLC|Co|Corp|Jr|Sr|Dr|Mr|Ms|Mrs|Mx|Prof|St|Ph\.D|M\.D|B\.V)\.")
# A P.S. opens a line below the signature (a literal "\n" first: the regex engine skips to each line fast).
_PS_RE = re.compile(r"\n[ \t]*(?:p\.?[ \t]?p\.?[ \t]?s|p\.?[ \t]?s)\b[ \t]*[.:\-–—]?", re.IGNORECASE)
_DIGIT_RE = re.compile(r"\d")
_ENDS_WITH_LINK_RE = re.compile(r"(?:https?://|www\.)\S+\Z")  # a finished line, like a full stop

# Words of a greeting that are not the names of people ("Hi team," "Dear Dr. Patel").
_NOT_NAMES = frozenset({
    "hi", "hello", "hey", "hiya", "howdy", "dear", "greetings", "good", "morning", "afternoon", "evening", "day",
    "happy", "yo", "team", "all", "there", "everyone", "everybody", "folks", "friends", "guys", "both", "you",
    "and", "dr", "mr", "mrs", "ms", "mx", "prof", "sir", "madam", "miss", "monday", "tuesday", "wednesday",
    "thursday", "friday", "new", "year",
})
# Words of a company's name that don't tell it apart ("The", "Inc").
_COMPANY_NOISE = frozenset({"the", "and", "of", "for", "inc", "llc", "ltd", "llp", "plc", "corp", "corporation",
                            "co", "company", "group", "holdings", "gmbh", "ag", "sa", "bv", "nv", "&"})
# The top line of a signature without a sign-off: a person's name ("Jordan Lee", "- Jordan").
_PERSON_LINE_RE = re.compile(r"[ \t]*[-–—]?[ \t]*(?-i:[A-Z][a-z'’]+)(?:[ \t]+[A-Z][a-z'’.]+){0,2}[ \t]*")


@lru_cache(maxsize=256)
def _greeted(greeting: str) -> tuple[str, ...]:
    """Names in a greeting line, kept across calls: the greeting rarely changes while the rep types."""
    return tuple(w for w in NAME_WORD_RE.findall(greeting) if w[0].isupper() and w.lower() not in _NOT_NAMES)


@lru_cache(maxsize=256)
def _company_head(company: str) -> str:
    """The company's first distinctive word as it writes it ("Harbor" of "The Harbor & Pine Co.")."""
    for word in WORD_RE.findall(company.replace("’", "'")):
        if len(word) >= 2 and word.lower() not in _COMPANY_NOISE:
            return word
    return ""


@lru_cache(maxsize=256)
def _company_words(company: str) -> tuple[str, ...]:
    words = WORD_RE.findall(company.lower().replace("’", "'"))
    return tuple(w for w in words if len(w) >= 2 and w not in _COMPANY_NOISE)


def _is_name_line(line: str) -> bool:
    """A name or a job title: a few Title Case words, no sentence punctuation ("Dana Okafor", "VP of Sales | Acme",
    "Dockly Inc.")."""
    words = line.strip().lstrip("-–— ").split()
    if not 1 <= len(words) <= 7 or not words[0][:1].isupper() or "?" in line or "!" in line:
        return False
    if "." in line and "." in _ABBREVIATION_IN_NAME_RE.sub("", line):
        return False
    return all(w[:1].isupper() or w.lower() in _SMALL_WORDS or not w[:1].isalpha() for w in words)


def _is_contact_line(line: str) -> bool:
    """A signature's contact line: a phone, an address, a link or domain, "Sent from my iPhone", with at most a few
    names or labels beside them ("Jordan Lee | Dockly | jordan@dockly.example"); never a sentence with a link."""
    if _SENT_FROM_RE.match(line):
        return True
    if len(line) > 120:
        return False
    if not _CONTACT_DETAIL_RE.search(line):
        return bool(_DIGIT_RE.search(line) and _ADDRESS_RE.match(line))
    rest = _CONTACT_DETAIL_RE.sub(" ", line)
    if "?" in rest or "!" in rest:
        return False
    others = [w for w in DOTTED_NAME_WORD_RE.findall(rest) if w.lower().rstrip(":.") not in _CONTACT_LABELS]
    return len(others) <= 6 and all(w[:1].isupper() or w.lower() in _SMALL_WORDS for w in others)


# Opens with a character class for the same reason (3x faster than the plain alternation
# [.!?]+["'”’)]*(?=\s|\Z) | \n[ \t]*\n | \n(?=[ \t]*(?:[-*•]|\d+[.)])[ \t]), which it matches alike).
_SENTENCE_END_RE = re.compile(r"[.!?\n](?:(?<=[.!?])[.!?]*[\"'”’)]*(?=\s|\Z)"
                              r"|(?<=\n)(?:[ \t]*\n|(?=[ \t]*(?:[-*•]|\d+[.)])[ \t])))")
_ABBREVIATION_RE = re.compile(r"(?:\b(?:mr|mrs|ms|dr|prof|inc|ltd|co|corp|vs|etc|st|jr|sr|no|approx)|\b\w\.\w)\.\Z",
                              re.IGNORECASE)


class cached_property:  # noqa: N801 - named as functools' is
    """functools.cached_property without its lock: Python 3.11's takes a lock on every first read, which
    cost about 10 µs of each check (its ~25 properties). An Analysis lives and dies on one thread."""

    def __init__(self, func):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


class Analysis:
    """A draft as the rules see it. `kind` is first-touch or follow-up."""

    def __init__(self, text: str, kind: str, facts: list[dict], previous: str | None, company: str | None, today,
                 team=None):
        self.text = text
        self.kind = kind
        self.facts = facts
        self.previous = previous
        self.company = company
        self.today = today
        self.team = team  # a TeamContext (team mode: who owns the account, who wrote lately); None for a solo rep
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
        text = self.text
        if (start == 0 or text[start - 1] == "\n") and _FORWARD_FIRST_RE.match(text, start):
            return (start, start)  # nothing new above the forwarded original
        m = _FORWARD_RE.search(text, start)
        end = m.start() + 1 if m else len(text)
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
        if not m and self.kind == "follow-up":
            m = _BARE_NAME_RE.match(self.text, offset, end)
        if not m:
            return None
        line_end = m.end()
        head = _SALUTATION_HEAD_RE.match(self.text, offset, line_end)
        # "Hi Sam, congrats on the plant." : the greeting is only up to the comma.
        if head and self.text[head.end():line_end].strip():
            line_end = head.end()
        return (offset, line_end)

    def _signature_in(self, start: int, end: int) -> Span | None:
        """The sign-off and signature block that ends at end (the new text's end, or where a P.S. starts)."""
        block_start = None  # the topmost line of the trailing signature-like block
        contact = names = 0
        definite = False
        top_name = ""
        pos = end
        for _ in range(12):  # a signature is a few lines, not a paragraph
            if pos <= start:
                break
            a = max(self.text.rfind("\n", start, pos) + 1, start)
            line = self.text[a:pos].rstrip("\r")  # a file with Windows line ends
            pos = a - 1
            if not line.strip():
                continue
            if _SIGN_OFF_RE.match(line) or _SIG_DELIMITER_RE.match(line):
                block_start, definite = a, True
                break
            if _is_name_line(line):
                block_start, names, top_name = a, names + 1, line
                continue
            if _is_contact_line(line):
                block_start, contact = a, contact + 1
                continue
            # A closing before the name: a line of its own ("Looking forward to hearing from you,") or the
            # last sentence of the paragraph above ("Is this a priority? Looking forward to it,").
            cut = max(line.rfind(". "), line.rfind("? "), line.rfind("! "))
            tail_at = a + cut + 2 if cut >= 0 else a
            tail = self.text[tail_at:a + len(line)]
            closing = _CLOSING_RE.match(tail) or (
                block_start is not None and names and tail.rstrip().endswith(",") and len(tail.split()) <= 6)
            if closing and (block_start is not None or tail.rstrip().endswith(",")):
                block_start, definite = tail_at + len(tail) - len(tail.lstrip()), True
            break
        if block_start is None:
            return None
        block = (block_start, end)
        if definite or contact:
            return block
        # A name ("Jordan"), or a name over a title ("Jordan Lee / Account Executive, Dockly"), under a
        # finished sentence is a signature; a wrapped line or a list under "Two ideas:" is not.
        above = self.text[start:block_start].rstrip()
        if not above or (above[-1] not in ".?!)" and not _ENDS_WITH_LINK_RE.search(above)):
            return None
        if names == 1 or (names <= 4 and _PERSON_LINE_RE.fullmatch(top_name)):
            return block
        return None

    @cached_property
    def _sign_off(self) -> tuple[Span | None, Span | None]:
        """(signature, P.S.): a P.S. under the signature is content, and the signature is the block above it."""
        start, end = self.new_span
        found = self._signature_in(start, end)
        if found:
            return found, None
        for m in _PS_RE.finditer(self.text, start, end):
            above = m.start() + 1  # past the "\n"
            while above > start and self.text[above - 1].isspace():
                above -= 1
            if above <= start:
                continue
            found = self._signature_in(start, above)
            if found:
                ps = m.start() + 1
                while self.text[ps] in " \t":
                    ps += 1
                return found, (ps, end)
        return None, None

    @cached_property
    def signature(self) -> Span | None:
        """The sign-off and signature block at the end of the new text (above a closing P.S.), if any."""
        return self._sign_off[0]

    @cached_property
    def postscript(self) -> Span | None:
        """A P.S. under the signature: it is content (its words count, its questions are asked)."""
        return self._sign_off[1]

    @cached_property
    def content_span(self) -> Span:
        """The new text without greeting and signature: what length, ratio and readability measure.
        With a P.S. under the signature it runs to the P.S.'s end; content_pieces leaves the signature out."""
        start, end = self.new_span
        if self.salutation:
            start = self.salutation[1]
        if self.signature and self.signature[0] >= start and not self.postscript:
            end = self.signature[0]
        return (start, end)

    @cached_property
    def content_pieces(self) -> list[Span]:
        """The content as one span, or two when a P.S. follows the signature (the signature left out)."""
        start, end = self.content_span
        if self.postscript and self.signature and self.signature[0] >= start:
            return [(start, self.signature[0]), self.postscript]
        return [(start, end)]

    # -- the prospect's side -----------------------------------------------------------------------
    @cached_property
    def greeting_names(self) -> tuple[str, ...]:
        """The people the greeting names ("Hi Dana and Sam," -> Dana, Sam; "Dear Dr. Patel" -> Patel)."""
        if not self.salutation:
            return ()
        return _greeted(self.text[slice(*self.salutation)])

    @cached_property
    def _company_words(self) -> tuple[str, ...]:
        """The company's distinctive words, lower case, in order ("harbor", "pine", "freight")."""
        return _company_words(self.company or "")

    @cached_property
    def prospect_names(self) -> frozenset[str]:
        """Lower-case words that name the prospect: the company's first distinctive word, the greeted people."""
        names = {w.lower() for w in self.greeting_names}
        if self._company_words:
            names.add(self._company_words[0])
        return frozenset(names)

    @cached_property
    def prospect_mentions(self) -> list[tuple[str, Span]]:
        """("company" | "people", span) wherever the new text names the prospect's company (once per run of its
        words: "Harbor & Pine Freight" is one mention) or a person the greeting names; capitalised only."""
        names = self.prospect_names
        if not names:
            return []
        lo, hi = self.word_range(self.new_span)
        words = self.all_lower
        # Few names, many words: find each name as written (capitalised) in the text, a scan in C, then
        # check that it is a whole word.
        start, end = self.new_span
        starts = self._words[1]
        forms = set(self.greeting_names) | ({_company_head(self.company)} if self._company_words else set())
        hits = []
        for form in forms:
            key = form.lower()
            at = self.text.find(form, start, end)
            while at != -1:
                i = bisect_left(starts, at)
                if i < hi and starts[i] == at and words[i].removesuffix("'s") == key:
                    hits.append(i)
                at = self.text.find(form, at + 1, end)
        if not hits:
            return []
        spans, text = self._words[0], self.text
        company = self._company_words
        key = company[0] if company else None
        people = {w.lower() for w in self.greeting_names}
        out: list[tuple[str, Span]] = []
        free = lo
        for i in sorted(hits):
            base = words[i].removesuffix("'s")
            if i < free or not text[spans[i][0]].isupper():
                continue
            if base == key:
                j = i + 1
                while j < hi and words[j].removesuffix("'s") in company and spans[j][0] - spans[j - 1][1] <= 5:
                    j += 1
                out.append(("company", (spans[i][0], spans[j - 1][1])))
                free = j
            elif base in people:
                out.append(("people", spans[i]))
        return out

    # -- tokens ----------------------------------------------------------------------
    @cached_property
    def _words(self) -> tuple[list[Span], list[int]]:
        """Every word of the whole text, once; regions take slices of it by bisection."""
        spans = list(map(_SPAN, _TOKEN_RE.finditer(self.text)))
        return spans, list(map(_START, spans))

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
        return matcher.find(self.text, self._words[0], self.all_lower, lo, hi, span, self)

    def phrase_at_start(self, matcher, span: Span) -> Span | None:
        lo, hi = self.word_range(span)
        return matcher.match_at(self.text, self._words[0], self.all_lower, lo, hi, span, self)

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
        pieces = self.content_pieces
        if len(pieces) == 1:
            return self.words_in(pieces[0])
        return [w for piece in pieces for w in self.words_in(piece)]

    def lower_words_in(self, span: Span) -> list[str]:
        lo, hi = self.word_range(span)
        return self.all_lower[lo:hi]

    @cached_property
    def content_lower(self) -> list[str]:
        """The content's words, lower-cased, with ’ as ': for counting pronouns and the like."""
        pieces = self.content_pieces
        if len(pieces) == 1:
            return self.lower_words_in(pieces[0])
        return [w for piece in pieces for w in self.lower_words_in(piece)]

    @cached_property
    def sentences(self) -> list[Span]:
        """Sentences of the content (greeting and signature left out), markers included."""
        text = self.text
        pieces = []
        for start, end in self.content_pieces:
            pos = start
            for m in _SENTENCE_END_RE.finditer(text, start, end):
                if text[m.start()] == "." and _ABBREVIATION_RE.search(text, max(start, m.start() - 8), m.end()):
                    continue
                pieces.append((pos, m.end()))
                pos = m.end()
            pieces.append((pos, end))
        starts = self._words[1]
        out = []
        for a, b in pieces:
            i = bisect_left(starts, a)
            if i == len(starts) or starts[i] >= b:
                continue  # no words: a blank line, a lone marker
            # Trimmed of spaces (a word inside stops both loops).
            while text[a].isspace():
                a += 1
            while text[b - 1].isspace():
                b -= 1
            out.append((a, b))
        return out

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
