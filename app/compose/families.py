"""Families of phrases with slots: a small grammar for what a rule catches in many wordings.

A check's `tokens` (or a ratio's `numerator`) is either a list of phrases (phrases.py) or a table:

    [rules.checks.tokens.slots]
    SEEN = "(see|saw|seen|look at|looked at)"
    EARLIER = ["my {OPT2} (e-?mails?|notes?)", "what I sent"]

    [[rules.checks.tokens.families]]
    name = "did-you-see"
    label = "asking if they saw your last message"
    patterns = ["did you {OPT2} {SEEN} {EARLIER}"]

A pattern is elements separated by spaces. An element is a word in the phrase syntax of phrases.py
("e-?mails?", "(get|got)", "(just )?checking", "(really)?"), or one of:

    {SLOT}  {SLOT?}   a slot of this table (its alternatives are patterns too); ? makes it optional
    (a b|{SLOT} c)    a bracketed group whose alternatives hold slots: an inline slot; (...)? is optional
    {OPT3}            0 to 3 words (any n from 1 to 9) within the clause: commas, not full stops
    {START}           the start of a sentence or line (zero width)
    {END}             the end of a clause: punctuation, a line end, a citation marker (zero width)
    {QUESTION}        a question mark comes next (zero width): "anyone there {QUESTION}"
    {NOT:a|b c}       zero width: the words that follow are not "a" or "b c"
    {NOT_AFTER:a|b}   zero width, opening a pattern: the word before is not "a" or "b"
    {NAME} {ORG}      a person's name (one or two capitalised words), a company's name (up to four)
    {SENDER_NAME} {SENDER_ORG}     the same, but never the prospect's (its company or the people the
                                   greeting names): "At Dockly, we" is a pitch, "Harbor & Pine is" is not
    {THEIR_COMPANY} {THEIR_PEOPLE} the prospect's company / a person the greeting names; a pattern that
                                   is only one of these counts their mentions (Analysis.prospect_mentions)

Loading a pack reads and checks every pattern (an unknown slot, a slot that refers to itself, a bad word
are errors then, with the family and the pattern). The rest waits for the first draft: each pattern is
split over the alternatives of its first slot and filed under the one or two words it can start with (a
pattern whose first word is too common, "the courtesy of", is filed under its second), and each becomes
one regular expression, compiled the first time a draft needs it (Python compiles about 1.5 µs a
character and these are long; compile_all() compiles them all, as the tests do). A draft is then matched
like a phrase list: one set lookup per word, and a pattern's expression is tried only where a word and
the next can start it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress

from app.core.tokens import NUMBER_OR_WORD_RE, WORD_RE

from .phrases import PhraseMatcher, _sequence, normalize_word

Span = tuple[int, int]

_SLOT_NAME_RE = re.compile(r"[A-Z][A-Z0-9_]*\Z")
_REF_RE = re.compile(r"\{([A-Z][A-Z0-9_]*)(\?)?\}\Z")
_OPT_RE = re.compile(r"\{OPT([1-9])\}\Z")
_HAS_SLOT = re.compile(r"\{[A-Z]")  # a slot; "\d{1,2}" is a regex count
_SPLIT_RE = re.compile(r"[(){}]|\s+")
_BRACKET_RE = re.compile(r"[(){}]")
_BEYOND_PHRASES_RE = re.compile(r"[^\w\s'’|()?&#/.,:-]|\(\?")  # what a phrase word may not hold unchecked
_GLUED_RE = re.compile(r"(\((?:[^(){}]|\([^(){}]*\))*?) \)\?(\{[A-Z][A-Z0-9_]*\??\})")
_LONE_OPTIONAL_RE = re.compile(r"(\((?:[^(){}]|\([^(){}]*\))*?) +\)\?")
_LOOK_RE = re.compile(r"\{(NOT|NOT_AFTER):([^{}]+)\}\Z")

_FLAGS = re.IGNORECASE | re.MULTILINE
# Between two words: spaces (a line break too), commas, dashes.
SEP = r"[\s,—–]+"
# A word a gap may skip: anything up to a space that does not end a sentence or clause.
_GAP_WORD = r"[^\s.?!;:,—–…]+"
_WORD_END = r"(?![\w'’])"
_START = (r"(?:^|(?<=[.!?:;…—–]\s)|(?<=[.!?:;…—–]\s\s)|(?<=[.!?…][\"”’)]\s)|(?<=[—–])"
          r"|(?<=\n[ \t])|(?<=\n[-*•>][ \t]))")
_END = r"(?=[ \t]*(?:[.!?,;:…—–)\]\"”’(\[]|-\s|\n|\Z))"
_QUESTION = r"(?=[ \t]*\?)"
_UPPER, _LOWER = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"  # Latin letters with accents: "Tomás", "Zoë"
_CAP = rf"(?-i:[{_UPPER}][\w'’&-]*(?:\.(?=\w)[\w'’&-]+)*)"
_PERSON = rf"(?-i:[{_UPPER}][{_LOWER}]+(?:[-'’][{_UPPER}]?[{_LOWER}]+)?)"
_BUILTIN_TEXT = {
    "NAME": rf"{_PERSON}(?:[ \t]+{_PERSON})?",
    "ORG": rf"{_CAP}(?:(?:[ \t]+(?:&|and|of|de)[ \t]+|[ \t]+){_CAP}){{0,3}}",
}
_GROUPED = {"SENDER_NAME": ("s", "NAME"), "SENDER_ORG": ("s", "ORG"),
            "THEIR_PEOPLE": ("t", "NAME"), "THEIR_COMPANY": ("t", "ORG")}
RESERVED = frozenset({"START", "END", "QUESTION", "NAME", "ORG", *_GROUPED} | {f"OPT{n}" for n in range(1, 10)})
_ZERO_WIDTH = ("start", "end", "question", "not", "not_after")
_MAX_SPLIT = 200  # a pattern is split over its first slot's alternatives up to this many times
_KEY_WORDS = 2  # patterns are filed under their first two words
# Words too common to look for: a pattern that starts "the courtesy of" is found by "courtesy", one word
# later, so that a draft's every "the" does not cost a lookup.
_COMMON = frozenset("""
a an the to of in on at for with by from as into about is are was were be been being am it its this that these
those and or but so not no one what where when how who which would will can could do does did have has had just
only also there here very more some any all if than then your you i we my our me us they them
""".split())

Prefixes = frozenset  # of (words, complete): the words a sequence can start with, and whether it can end there


class FamilyError(ValueError):
    """A family table is malformed: which family, which pattern, what is wrong."""


# -- reading patterns -------------------------------------------------------------------------------
def _split(pattern: str) -> list[str]:
    """Elements of a pattern: split at spaces outside (...) and {...}."""
    pattern = pattern.strip()
    if not _BRACKET_RE.search(pattern):
        out = pattern.split()
    else:
        out, depth, start = [], 0, 0
        for m in _SPLIT_RE.finditer(pattern):  # jump from bracket to bracket and space to space
            ch = m.group()
            if ch in "({":
                depth += 1
            elif ch in ")}":
                depth -= 1
            elif depth == 0:
                if m.start() > start:
                    out.append(pattern[start:m.start()])
                start = m.end()
        if depth != 0:
            raise FamilyError(f"unbalanced brackets in {pattern!r}")
        if start < len(pattern):
            out.append(pattern[start:])
    # "(that )?{YOU}" and a lone "(I )?", in the phrase style of "(just )?checking": the optional word (its
    # space is the separator the next element brings), then the slot.
    split = []
    for part in out:
        m = _GLUED_RE.fullmatch(part)
        if m:
            split += [m.group(1) + ")?", m.group(2)]
        else:
            m = _LONE_OPTIONAL_RE.fullmatch(part)
            split.append(m.group(1) + ")?" if m else part)
    return split


def _group(part: str) -> tuple[str, bool] | None:
    """(inside, optional) when part is one bracketed group, "(a|b {SLOT})" or "(...)?"; else None."""
    optional = part.endswith(")?")
    body = part[:-1] if optional else part
    if not (body.startswith("(") and body.endswith(")")):
        return None
    depth = 0
    for i, ch in enumerate(body):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and i < len(body) - 1:
            return None  # "(a)(b)": the first bracket closes early
    return body[1:-1], optional


def _alternatives(inner: str) -> list[str]:
    """A group's alternatives: split at | outside brackets."""
    out, depth, cur = [], 0, []
    for ch in inner:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if ch == "|" and depth == 0:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    if any(not a.strip() for a in out):
        raise FamilyError(f"an empty alternative in ({inner}): write (...)? for an optional group")
    return out


def _literal_regex(word: str) -> str:
    """A word in the phrase syntax of phrases.py to a regular expression (no boundaries)."""
    word = word.replace("'", "['’]").replace(" ?", r"\s*")
    return re.sub(r" +", r"\\s+", word)


@lru_cache(maxsize=4096)
def _word_expansions(word: str) -> list[tuple[str, ...]] | None:
    """Every word sequence a word element spells (lower case, as the draft's words are), or None."""
    parsed = _sequence(word, 0)
    if parsed is None or parsed[1] != len(word):
        return None
    return [tuple(NUMBER_OR_WORD_RE.findall(normalize_word(text))) for text in parsed[0]]


@dataclass(frozen=True)
class _Element:
    kind: str  # "word" | "slot" | "group" | "gap" | "builtin" | one of _ZERO_WIDTH
    text: str  # the word, slot name, group inside, builtin name, or the words of a look-around
    optional: bool = False
    n: int = 0  # a gap's most words


class _Compiler:
    """Reads and renders the patterns of one table. Slots are rendered anew at each use (named groups
    must be unique in an expression)."""

    def __init__(self, slots: dict[str, list[str]]):
        self.slots = slots
        self.groups = 0
        self.used: set[str] = set()
        self._elements: dict[str, list[_Element]] = {}
        self._prefixes: dict[tuple[str, str], Prefixes | None] = {}
        self._nullable: dict[_Element, bool] = {}
        self._zero: dict[_Element, bool] = {}
        self._grouped: dict[_Element, bool] = {}
        self._stack: list[str] = []

    def elements(self, pattern: str) -> list[_Element]:
        if pattern not in self._elements:
            self._elements[pattern] = self._read(pattern)
        return self._elements[pattern]

    def _read(self, pattern: str) -> list[_Element]:
        out = []
        parts = _split(pattern)
        if not parts:
            raise FamilyError("an empty pattern")
        for i, part in enumerate(parts):
            if m := _OPT_RE.match(part):
                out.append(_Element("gap", part, n=int(m.group(1))))
            elif part in ("{START}", "{END}", "{QUESTION}"):
                out.append(_Element(part[1:-1].lower(), part))
            elif m := _LOOK_RE.match(part):
                kind = m.group(1).lower()
                words = [w.strip() for w in m.group(2).split("|") if w.strip()]
                if kind == "not_after":
                    if i != 0:
                        raise FamilyError(f"{{NOT_AFTER:...}} must open the pattern: {pattern!r}")
                    bad = [w for w in words if not re.fullmatch(r"[\w'’ -]+", w)]
                    if bad:
                        raise FamilyError(f"{{NOT_AFTER:...}} takes plain words, not {bad[0]!r}")
                out.append(_Element(kind, "|".join(words)))
            elif m := _REF_RE.match(part):
                name = m.group(1)
                if name in _GROUPED or name in _BUILTIN_TEXT:
                    out.append(_Element("builtin", name, optional=bool(m.group(2))))
                elif name in RESERVED:
                    raise FamilyError(f"{{{name}}} takes no '?' in {pattern!r}")
                elif name not in self.slots:
                    known = ", ".join(sorted(self.slots)) or "none"
                    raise FamilyError(f"pattern {pattern!r} names unknown slot {{{name}}} "
                                      f"(this table's slots: {known}; built in: START, END, QUESTION, OPT1-9, NOT:, "
                                      f"NOT_AFTER:, NAME, ORG, SENDER_NAME, SENDER_ORG, THEIR_COMPANY, THEIR_PEOPLE)")
                else:
                    self.used.add(name)
                    out.append(_Element("slot", name, optional=bool(m.group(2))))
            elif _HAS_SLOT.search(part):
                group = _group(part)
                if group is None:
                    raise FamilyError(f"{part!r} in {pattern!r}: a slot is written {{SLOT}} and stands alone "
                                      "between spaces (or inside a bracketed group)")
                for alternative in _alternatives(group[0]):
                    self.elements(alternative)  # read now: an unknown slot is an error at load
                out.append(_Element("group", group[0], optional=group[1]))
            else:
                if _BEYOND_PHRASES_RE.search(part):  # regex syntax beyond (a|b) and ?: check it compiles
                    try:
                        re.compile(_literal_regex(part))
                    except re.error as e:
                        raise FamilyError(f"bad word {part!r} in {pattern!r} ({e})") from None
                out.append(_Element("word", part))
        return out

    def check_slots(self) -> None:
        """Read every slot the patterns use, and the slots those use: an unknown slot or a slot that
        refers to itself is an error when the pack loads."""
        done: set[str] = set()

        def visit(name: str) -> None:
            if name in done:
                return
            self._enter(name)
            for alternative in self.slots[name]:
                for e in self._slots_in(self.elements(alternative)):
                    visit(e)
            self._stack.pop()
            done.add(name)

        for name in sorted(self.used):
            visit(name)

    def _slots_in(self, elements: list[_Element]) -> list[str]:
        out = []
        for e in elements:
            if e.kind == "slot":
                out.append(e.text)
            elif e.kind == "group":
                for alternative in _alternatives(e.text):
                    out += self._slots_in(self.elements(alternative))
        return out

    def alternatives(self, e: _Element) -> list[str]:
        return self.slots[e.text] if e.kind == "slot" else _alternatives(e.text)

    def zero_width(self, e: _Element) -> bool:
        """An element that matches no words: a look-around, or a slot or group made only of them."""
        if e.kind in _ZERO_WIDTH:
            return True
        if e.kind not in ("slot", "group"):
            return False
        if e not in self._zero:
            self._zero[e] = False  # while it is looked at: a slot that refers to itself is reported by prefixes()
            self._zero[e] = all(self.zero_width(x) for a in self.alternatives(e) for x in self.elements(a))
        return self._zero[e]

    def _enter(self, name: str) -> None:
        if name in self._stack:
            raise FamilyError(f"slot {{{name}}} refers to itself ({' -> '.join(self._stack + [name])})")
        self._stack.append(name)

    # -- the words a pattern can start with --------------------------------------------------------
    def prefixes(self, elements: list[_Element], k: int) -> Prefixes | None:
        """(words, complete) for each way the elements can start, up to k words; complete: the elements
        end right after these words (fewer than k of them). None: any word can come first."""
        done: set[tuple[tuple[str, ...], bool]] = set()
        open_: set[tuple[str, ...]] = {()}  # every element so far consumed, fewer than k words
        for e in elements:
            if self.zero_width(e):
                continue
            own = self.element_prefixes(e, k)
            if own is None:  # any word may follow what came before
                if () in open_:
                    return None
                done |= {(p, False) for p in open_}
                return frozenset(done)
            nxt = set()
            for p in open_:
                for q, complete in own:
                    pq = p + q
                    if complete and len(pq) < k:
                        nxt.add(pq)
                    else:
                        done.add((pq[:k], False))
            open_ = nxt
            if not open_:
                return frozenset(done)
        return frozenset(done | {(p, True) for p in open_})

    def element_prefixes(self, e: _Element, k: int) -> Prefixes | None:
        if e.kind == "gap":
            return None
        if e.kind == "builtin":
            return None
        if e.kind == "word":
            expansions = _word_expansions(e.text)
            if expansions is None:
                return None
            out = {(w[:k], len(w) <= k) for w in expansions}
        else:
            key = (e.kind + ":" + e.text, str(k))
            if key not in self._prefixes:
                if e.kind == "slot":
                    self._enter(e.text)
                found: set | None = set()
                for alternative in self.alternatives(e):
                    own = self.prefixes(self.elements(alternative), k)
                    if own is None:
                        found = None
                        break
                    found |= own
                if e.kind == "slot":
                    self._stack.pop()
                self._prefixes[key] = None if found is None else frozenset(found)
            out = self._prefixes[key]
            if out is None:
                return None
            out = set(out)
        if e.optional:
            out.add(((), True))
        return frozenset(out)

    def nullable(self, elements: list[_Element]) -> bool:
        """Whether the elements can match no words at all."""
        if len(elements) == 1:
            e = elements[0]
            if e.kind == "gap" or e.kind == "builtin":
                return e.kind == "gap" or e.optional
            if e not in self._nullable:
                own = self.element_prefixes(e, 1) if not self.zero_width(e) else frozenset({((), True)})
                self._nullable[e] = own is not None and ((), True) in own
            return self._nullable[e]
        return all(self.nullable([e]) for e in elements)

    # -- splitting a pattern over its first slot ---------------------------------------------------
    def split(self, elements: list[_Element]) -> list[list[_Element]]:
        """The pattern as one pattern per alternative of its first slot or group (recursively): each
        then has its own first words and a shorter expression."""
        out = [elements]
        for _ in range(4):
            nxt = []
            for els in out:
                i = next((j for j, e in enumerate(els) if not self.zero_width(e)), None)
                e = els[i] if i is not None else None
                if e is None or e.kind not in ("slot", "group"):
                    nxt.append(els)
                    continue
                parts = [els[:i] + self.elements(a) + els[i + 1:] for a in self.alternatives(e)]
                if e.optional:
                    parts.append(els[:i] + els[i + 1:])
                nxt.extend(parts)
            if len(nxt) > _MAX_SPLIT or nxt == out:
                break
            out = nxt
        return out

    # -- regular expressions ----------------------------------------------------------------------
    def regex(self, elements: list[_Element]) -> str:
        """The elements as one regular expression; words are joined by SEP, optional ones with theirs."""
        out: list[str] = []
        need_sep = False  # a word was emitted: the next one needs a separator before it
        for e in elements:
            if e.kind in _ZERO_WIDTH:
                out.append(self.look(e))
            elif e.kind == "gap":
                out.append(rf"(?:{SEP}{_GAP_WORD}){{0,{e.n}}}" if need_sep else rf"(?:{_GAP_WORD}{SEP}){{0,{e.n}}}")
            elif self.zero_width(e):  # a slot of look-arounds: in place, never optional
                out.append(self.body(e))
            elif need_sep and e.kind in ("slot", "group") and self.mixed(e):
                out.append(self.mixed_body(e))
            elif e.optional or self.nullable([e]):
                body = self.body(e)
                out.append(rf"(?:{SEP}{body})?" if need_sep else rf"(?:{body}{SEP})?")
            else:
                out.append(f"{SEP}{self.body(e)}" if need_sep else self.body(e))
                need_sep = True
        return "".join(out)

    def grouped(self, elements: list[_Element]) -> bool:
        """Whether the elements hold a SENDER_ or THEIR_ slot (a named group to check after a match)."""
        for e in elements:
            if e.kind == "builtin" and e.text in _GROUPED:
                return True
            if e.kind in ("slot", "group"):
                if e not in self._grouped:
                    self._grouped[e] = False
                    self._grouped[e] = any(self.grouped(self.elements(a)) for a in self.alternatives(e))
                if self._grouped[e]:
                    return True
        return False

    def unwrap(self, e: _Element) -> _Element:
        """A slot whose one alternative is one slot or group ("TAIL = "({END}|again)""): that inner element."""
        while e.kind in ("slot", "group") and not e.optional:
            alternatives = self.alternatives(e)
            els = self.elements(alternatives[0]) if len(alternatives) == 1 else []
            if len(els) != 1 or els[0].kind not in ("slot", "group"):
                break
            e = els[0]
        return e

    def mixed(self, e: _Element) -> bool:
        """A slot or group with both words and look-arounds among its alternatives ("({END}|again|on)")."""
        e = self.unwrap(e)
        return any(all(self.zero_width(x) for x in self.elements(a)) for a in self.alternatives(e))

    def mixed_body(self, e: _Element) -> str:
        """Such a slot after a word: a word alternative takes a separator, a look-around takes none (so the
        look-around does not make the whole slot optional)."""
        optional = e.optional
        e = self.unwrap(e)
        alternatives, optional = [], optional or e.optional
        for a in self.alternatives(e):
            els = self.elements(a)
            if all(self.zero_width(x) for x in els):
                alternatives.append(self.regex(els))
            else:
                optional = optional or self.nullable(els)
                alternatives.append(SEP + self.regex(els))
        body = "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if optional else body

    @staticmethod
    def look(e: _Element) -> str:
        if e.kind == "start":
            return _START
        if e.kind == "end":
            return _END
        if e.kind == "question":
            return _QUESTION
        if e.kind == "not":
            words = "|".join(_literal_regex(w) for w in e.text.split("|"))
            return rf"(?!{SEP}(?:{words}){_WORD_END})"
        return "".join(rf"(?<!\b{re.escape(w)} )" for w in e.text.split("|"))  # not_after

    def body(self, e: _Element) -> str:
        """The regex of one word, slot, group or builtin element (no separators around it)."""
        if e.kind == "word":
            return f"(?:{_literal_regex(e.text)})"
        if e.kind == "builtin":
            if e.text in _GROUPED:
                side, what = _GROUPED[e.text]
                self.groups += 1
                return f"(?P<_{side}{self.groups}>{_BUILTIN_TEXT[what]})"
            return f"(?:{_BUILTIN_TEXT[e.text]})"
        if e.kind == "slot":
            self._enter(e.text)
        alternatives = [self.regex(self.elements(a)) for a in self.alternatives(e)]
        if e.kind == "slot":
            self._stack.pop()
        return "(?:" + "|".join(alternatives) + ")"


class _Pattern:
    """One pattern (a part of one, after splitting): its expression, written and compiled on first use."""

    __slots__ = ("family", "source", "elements", "compiler", "grouped", "_rx")

    def __init__(self, family: int, source: str, elements: list[_Element], compiler: _Compiler):
        self.family, self.source, self.elements, self.compiler = family, source, elements, compiler
        self.grouped = compiler.grouped(elements)  # it names the sender or the prospect: _keep checks which
        self._rx: re.Pattern | None = None

    @property
    def text(self) -> str:
        return rf"(?<![\w'’])(?:{self.compiler.regex(self.elements)}){_WORD_END}"

    @property
    def compiled(self) -> bool:
        """Whether its expression was compiled yet (patterns compile when a draft first needs them)."""
        return self._rx is not None

    @property
    def rx(self) -> re.Pattern:
        if self._rx is None:
            self._rx = self.compile(self.text, self.source)
        return self._rx

    @staticmethod
    def compile(text: str, source: str) -> re.Pattern:
        try:
            return re.compile(text, _FLAGS)
        except re.error as e:
            raise FamilyError(f"pattern {source!r} does not compile ({e})") from None


@dataclass(frozen=True)
class Family:
    name: str
    label: str


class FamilyMatcher:
    """A family table, compiled: the same find / match_at as PhraseMatcher, plus label_of."""

    def __init__(self, table: dict):
        if not isinstance(table, dict):
            raise FamilyError("a family table must be a table")
        unknown = set(table) - {"slots", "families", "patterns"}
        if unknown:
            raise FamilyError(f"unknown key {sorted(unknown)[0]!r} in a family table "
                              "(it has slots, families, and/or patterns)")
        slots = table.get("slots", {})
        if not isinstance(slots, dict):
            raise FamilyError("slots must be a table: NAME = [patterns]")
        clean: dict[str, list[str]] = {}
        for name, value in slots.items():
            if not _SLOT_NAME_RE.match(name):
                raise FamilyError(f"slot name {name!r} must be upper case (A-Z, 0-9, _)")
            if name in RESERVED:
                raise FamilyError(f"slot name {name!r} is built in: choose another")
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
                raise FamilyError(f"slot {name} must be a pattern or a list of patterns")
            clean[name] = value
        raw = list(table.get("families", []))
        if "patterns" in table:
            raw.append({"name": "", "patterns": table["patterns"]})
        if not raw:
            raise FamilyError("a family table needs families (or patterns)")

        compiler = _Compiler(clean)
        self.families: list[Family] = []
        self.counts_prospect: set[str] = set()  # "company" / "people": patterns that are only a THEIR_ slot
        self._pending: list[tuple[int, str, list[_Element]]] = []  # read and checked, not yet filed
        singles: set[str] | None = set()
        for fam in raw:
            if not isinstance(fam, dict) or not isinstance(fam.get("name"), str):
                raise FamilyError("each [[...families]] needs a name")
            extra = set(fam) - {"name", "label", "patterns"}
            if extra:
                raise FamilyError(f"family {fam['name']!r}: unknown key {sorted(extra)[0]!r} "
                                  "(it has name, label, patterns)")
            patterns = fam.get("patterns")
            if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) for p in patterns):
                raise FamilyError(f"family {fam['name']!r} needs patterns: a list of strings")
            index = len(self.families)
            self.families.append(Family(fam["name"], str(fam.get("label") or fam["name"])))
            for pattern in patterns:
                if pattern.strip() in ("{THEIR_COMPANY}", "{THEIR_PEOPLE}"):
                    self.counts_prospect.add("company" if "COMPANY" in pattern else "people")
                    continue
                try:
                    self._pending.append((index, pattern, self._check(compiler, pattern)))
                except FamilyError as e:
                    raise FamilyError(f"family {fam['name']!r}: {e}") from None
                if singles is not None:
                    words = _single_words(pattern)
                    singles = None if words is None else singles | words
        compiler.check_slots()
        unused = set(clean) - compiler.used
        if unused:
            raise FamilyError(f"slot {{{sorted(unused)[0]}}} is defined but no pattern uses it")
        self._compiler = compiler
        self._indexed = False
        # A list of plain single words (the ratio's pronouns) is also a set, as PhraseMatcher's is.
        self.words = frozenset(singles) if singles is not None and self._pending else None
        # PhraseMatcher's attributes that other code may read: no trie, no leftover regex.
        self.trie: dict = {}
        self.regex = None
        self._any_rx: re.Pattern | None = None
        self._labels: dict[str, str | None] = {}

    @staticmethod
    def _check(compiler: _Compiler, pattern: str) -> list[_Element]:
        """Read one pattern (an unknown slot, a bad word are errors here, when the pack loads)."""
        elements = compiler.elements(pattern)
        if all(compiler.zero_width(e) for e in elements):
            raise FamilyError(f"pattern {pattern!r} matches no words")
        if compiler.nullable(elements):
            raise FamilyError(f"pattern {pattern!r} can match nothing at all")
        return elements

    def _index(self) -> None:
        """File every pattern under the words it can start with: on first use, not at load (the app loads
        the pack at startup; a draft is checked later)."""
        if self._indexed:
            return
        compiler = self._compiler
        self._patterns: list[_Pattern] = []
        self.by_word: dict[str, list[_Pattern]] = {}  # patterns that start with this one word
        self.by_pair: dict[str, dict[str, list[_Pattern]]] = {}  # ... with these two words: first -> second -> patterns
        self.by_second: dict[str, dict[str, list[_Pattern]]] = {}  # the same, second -> first, when the first is common
        self._anyword: list[_Pattern] = []  # patterns that may start with any word: a name, a gap
        for family, pattern, elements in self._pending:
            self._add(compiler, family, pattern, elements)
        for w0, seconds in self.by_pair.items():  # a pattern filed under its first word needs no second
            singles = set(self.by_word.get(w0, ()))
            for w1, bucket in seconds.items():
                seconds[w1] = [p for p in bucket if p not in singles]
        self.first = frozenset(self.by_word) | frozenset(self.by_pair)  # words that start a pattern
        self.triggers = self.first | frozenset(self.by_second)  # ... or are the second word of one
        # word -> (patterns it starts, {next word: patterns}, {previous word: patterns}): one lookup a word.
        self._table = {w: (self.by_word.get(w), self.by_pair.get(w), self.by_second.get(w)) for w in self.triggers}
        self._any_follow = _follow_words(compiler, self._anyword)
        self._indexed = True

    @property
    def patterns(self) -> list[_Pattern]:
        self._index()
        return self._patterns

    @property
    def anyword(self) -> list[_Pattern]:
        self._index()
        return self._anyword

    def _add(self, compiler: _Compiler, family: int, pattern: str, elements: list[_Element]) -> None:
        for part in compiler.split(elements):
            if all(compiler.zero_width(e) for e in part) or compiler.nullable(part):
                continue
            p = _Pattern(family, pattern, part, compiler)
            self._patterns.append(p)
            prefixes = compiler.prefixes(part, _KEY_WORDS)
            if prefixes is None:
                self._anyword.append(p)
                continue
            for words, _ in prefixes:
                if len(words) == _KEY_WORDS and words[0] in _COMMON and words[1] not in _COMMON:
                    bucket = self.by_second.setdefault(words[1], {}).setdefault(words[0], [])
                elif len(words) == _KEY_WORDS:
                    bucket = self.by_pair.setdefault(words[0], {}).setdefault(words[1], [])
                else:
                    bucket = self.by_word.setdefault(words[0], [])
                if p not in bucket:
                    bucket.append(p)

    def compile_all(self) -> int:
        """Compile every pattern now (tests, or a warm-up off the UI thread); returns how many."""
        self._index()
        for p in self.patterns:
            p.rx  # noqa: B018 - compiles
        if self.anyword:
            self._anyword_rx  # noqa: B018 - compiles
        return len(self.patterns)

    # -- matching -------------------------------------------------------------------------------
    def _candidates(self, words: list, i: int, hi: int) -> list[_Pattern]:
        """The patterns that can start at word i."""
        w = words[i]
        found = self.by_word.get(w) or []
        if i + 1 < hi:
            nxt = words[i + 1]
            seconds = self.by_pair.get(w)
            if seconds and nxt in seconds:
                found = found + seconds[nxt]
            firsts = self.by_second.get(nxt)
            if firsts and w in firsts:
                found = found + firsts[w]
        return found

    def _longest(self, candidates, text: str, start: int, end: int, analysis) -> re.Match | None:
        best = None
        for p in candidates:
            m = p.rx.match(text, start, end)
            if m and m.end() > start and (best is None or m.end() > best.end()) and \
                    (not p.grouped or self._keep(m, analysis)):
                best = m
        return best

    def _keep(self, m: re.Match, analysis) -> bool:
        """A match whose SENDER_ slot names the prospect, or whose THEIR_ slot doesn't, is dropped."""
        names = prospect_names(analysis)
        for key, value in m.groupdict().items():
            if value is None:
                continue
            first = WORD_RE.findall(value.lower().replace("’", "'"))[:1]
            theirs = bool(first) and (first[0] in names or first[0].removesuffix("'s") in names)
            if key.startswith("_s") and theirs:
                return False
            if key.startswith("_t") and not theirs:
                return False
        return True

    def find(self, text: str, spans: list, words: list, lo: int, hi: int, region: tuple[int, int],
             analysis=None) -> list[Span]:
        """Every match in words[lo:hi] (spans and lower-case words of the draft), left to right, not overlapping."""
        if not self._indexed:
            self._index()
        found: list[Span] = []
        table = self._table
        end = region[1]
        free = -1
        last = hi - 1
        for i in compress(range(lo, hi), map(table.__contains__, words[lo:hi])):  # the words that may start one
            single, seconds, back = table[words[i]]
            if back is not None and i > lo:  # patterns found by their second word start one word earlier
                candidates = back.get(words[i - 1])
                if candidates and spans[i - 1][0] >= free:
                    m = self._longest(candidates, text, spans[i - 1][0], end, analysis)
                    if m:
                        found.append((spans[i - 1][0], m.end()))
                        free = m.end()
            if seconds is not None and i < last:
                more = seconds.get(words[i + 1])
                if more:
                    single = single + more if single else more
            if single and spans[i][0] >= free:
                m = self._longest(single, text, spans[i][0], end, analysis)
                if m:
                    found.append((spans[i][0], m.end()))
                    free = m.end()
        if self.anyword:
            for p in self.anyword:
                found += [m.span() for m in p.rx.finditer(text, *region) if m.end() > m.start()
                          and self._keep(m, analysis)]
            found = _no_overlaps(sorted(found))
        if self.counts_prospect and analysis is not None:
            found += [s for s in prospect_mentions(analysis, self.counts_prospect) if region[0] <= s[0] < end]
            found.sort()
        return found

    def match_at(self, text: str, spans: list, words: list, i: int, hi: int, region: tuple[int, int],
                 analysis=None) -> Span | None:
        """The longest match starting exactly at word i (the start of region), or None."""
        if not self._indexed:
            self._index()
        best = self._longest(self._candidates(words, i, hi), text, region[0], region[1], analysis) if i < hi else None
        # The patterns that start with a name: only when a word that can follow the name comes soon after.
        follow = self._any_follow
        if self.anyword and (follow is None or not follow.isdisjoint(words[i + 1:min(hi, i + 6)])):
            m = self._anyword_rx.match(text, *region)
            if m and m.end() > m.start() and (best is None or m.end() > best.end()) and self._keep(m, analysis):
                best = m
        return best.span() if best else None

    @property
    def _anyword_rx(self) -> re.Pattern:
        """The patterns that may start with any word, as one expression (tried at a region's start)."""
        if self._any_rx is None:
            texts = [p.text for p in self.anyword]
            self._any_rx = _Pattern.compile("|".join(texts), "the patterns that start with a name")
        return self._any_rx

    def label_of(self, phrase: str) -> str | None:
        """The label of the family that spells this matched phrase (kept: the same phrase comes back at
        every keystroke while the rep types)."""
        phrase = phrase.strip()
        if phrase not in self._labels:
            if len(self._labels) > 512:
                self._labels.clear()
            self._labels[phrase] = self._label_of(phrase)
        return self._labels[phrase]

    def _label_of(self, phrase: str) -> str | None:
        self._index()
        words = [normalize_word(w) for w in NUMBER_OR_WORD_RE.findall(phrase)]
        if not words:
            return None
        candidates = self._candidates(words, 0, len(words)) + self.anyword
        for p in candidates:
            if p.rx.fullmatch(phrase):
                return self.families[p.family].label
        for p in candidates:  # a phrase cut at a region's end: the family that starts it
            if p.rx.match(phrase):
                return self.families[p.family].label
        return None


def _follow_words(compiler: _Compiler, patterns: list[_Pattern]) -> frozenset[str] | None:
    """For patterns that open with a name ({SENDER_NAME} here from...): the words that can come right
    after it. None when some pattern opens otherwise (a gap) or what follows can't be listed."""
    out: set[str] = set()
    for p in patterns:
        els = [e for e in p.elements if not compiler.zero_width(e)]
        if not els or els[0].kind != "builtin" or els[0].optional:
            return None
        after = compiler.prefixes(els[1:], 1)
        if after is None or ((), True) in after:
            return None
        out |= {words[0] for words, _ in after}
    return frozenset(out)


def _no_overlaps(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in spans:
        if out and s[0] < out[-1][1]:
            if s[0] == out[-1][0] and s[1] > out[-1][1]:
                out[-1] = s
            continue
        out.append(s)
    return out


def _single_words(pattern: str) -> set[str] | None:
    """The words a pattern spells when it is one plain word per alternative ("you", "(you|your)")."""
    expansions = _word_expansions(pattern.strip())
    if expansions is None or any(len(w) != 1 for w in expansions):
        return None
    return {w[0] for w in expansions}


# -- the prospect's side ------------------------------------------------------------------------------
def prospect_names(analysis) -> frozenset[str]:
    """Lower-case first words that name the prospect: its company's distinctive word and the greeted people."""
    if analysis is None:
        return frozenset()
    return getattr(analysis, "prospect_names", frozenset())


def prospect_mentions(analysis, which: set[str]) -> list[Span]:
    mentions = getattr(analysis, "prospect_mentions", None)
    if not mentions:
        return []
    return [span for kind, span in mentions if kind in which]


# -- the hooks rulepack.py calls ----------------------------------------------------------------------
def compile_matcher(value) -> PhraseMatcher | FamilyMatcher:
    """A matcher option: a list of phrases (PhraseMatcher) or a table of families (FamilyMatcher)."""
    if isinstance(value, dict):
        return FamilyMatcher(value)
    return PhraseMatcher(value)


class FamilyMessage(str):
    """A check's message that may say {family}: filled with the labels of the families that matched.

    The existence check hands its message the matched phrases ({match}); the family of each is told
    again from the phrase itself (only when a check fails, so it costs nothing while a draft is clean)."""

    matcher: FamilyMatcher

    def __new__(cls, text: str, matcher: FamilyMatcher):
        self = super().__new__(cls, text)
        self.matcher = matcher
        return self

    def format_map(self, mapping):  # noqa: D102 - str's
        phrases = str(mapping["match"]).split("”, “") if "match" in mapping else []
        labels = list(dict.fromkeys(filter(None, (self.matcher.label_of(p) for p in phrases))))
        values = type(mapping)(mapping) if isinstance(mapping, dict) else dict(mapping)
        values["family"] = "; ".join(labels) if labels else "a phrase of this rule"
        return str.format_map(str(self), values)

    def __reduce__(self):
        return (str, (str(self),))


def message_for(message: str, matchers: dict) -> str:
    """The check's message, able to name the family of what matched when its tokens are families."""
    tokens = matchers.get("tokens")
    if isinstance(tokens, FamilyMatcher) and "{family}" in message:
        return FamilyMessage(message, tokens)
    return message
