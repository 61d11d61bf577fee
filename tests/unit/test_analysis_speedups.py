"""The draft analysis's faster regular expressions find exactly what the plain ones they replaced found.

Each fast form was written for speed (opening with a character class, or a literal line break, lets the
regex engine skip ahead); the plain form below is the reference. They are compared on the 486 messages of
the development set and on edge cases written for the differences that could creep in."""
import json
import re
from pathlib import Path


from app.compose.analysis import Analysis
from app.core.tokens import DRAFT_TOKEN_RE

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "outreach_dev.jsonl"

PLAIN_TOKEN_RE = re.compile(r"(?<!\[\^)(?:\d[\d,.]*\d|\w+(?:['’\-]\w+)*)")
PLAIN_SENTENCE_END_RE = re.compile(r"[.!?]+[\"'”’)]*(?=\s|\Z)|\n[ \t]*\n|\n(?=[ \t]*(?:[-*•]|\d+[.)])[ \t])")
PLAIN_FORWARD_RE = re.compile(
    r"^[ \t]*(?:-{2,}[ \t]*(?:forwarded message|original message)[ \t]*-{2,}|-{3,}[ \t]*$|_{8,}[ \t]*$"
    r"|begin forwarded message:|on [^\n]{3,120}\bwrote:[ \t]*$|on [^\n]{3,120}\n[^\n]{0,80}\bwrote:[ \t]*$"
    r"|from:[ \t]+[^\n]*@[^\n]*$|from:[ \t]+[^\n]+\n[ \t]*(?:sent|date):|>)", re.IGNORECASE | re.MULTILINE)
PLAIN_ABBREVIATION_RE = re.compile(
    r"(?:\b(?:mr|mrs|ms|dr|prof|inc|ltd|co|corp|vs|etc|st|jr|sr|no|approx)|\b\w\.\w)\.\Z", re.IGNORECASE)

EDGES = [
    "[^12] a[^3] 1,200.5 3rd 12abc x-y-z it's don’t [^ab] _x__ 1. 2, 1.2.3 9-5 4’s",
    "Zoë and Tomás shipped 1,200 forklifts! Really?! Yes.) Next... done.”\n\n- one\n* two\n3) three\n10. ten",
    "Subject: Hi\r\n\r\nHi Dana,\r\n\r\nA line.\r\n\r\n-- \r\nJordan",
    "Hi Sam,\n\nShort note.\n\n---------- Forwarded message ---------\nFrom: Jordan <j@x.example>\n\nOld text.",
    "> quoted first\nthen mine",
    "Mine first.\nOn Tue, Oct 20, 2026 at 9:14 AM Jordan Lee <jordan@dockly.example>\nwrote:\n> old",
    "Mine.\n___________\nFrom: Jordan Lee\nSent: Tuesday\n",
    "---\nall forwarded",
    "",
    "१२३ ٣٤ １２ numbers in other scripts, [^x1][^x2] markers back to back",
]


def _texts() -> list[str]:
    with DEV_SET.open(encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f] + EDGES


def _plain_new_span(text: str, start: int) -> tuple[int, int]:
    m = PLAIN_FORWARD_RE.search(text, start)
    end = m.start() if m else len(text)
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end)


def test_the_development_set_is_there():
    assert len(_texts()) > 400


def test_the_fast_token_regex_finds_what_the_plain_one_finds():
    for text in _texts():
        assert [m.span() for m in DRAFT_TOKEN_RE.finditer(text)] == [m.span() for m in PLAIN_TOKEN_RE.finditer(text)], \
            text[:200]


def test_the_new_text_ends_where_the_plain_forward_search_said():
    for text in _texts():
        a = Analysis(text, "follow-up", [], None, None, None)
        assert a.new_span == _plain_new_span(text, a.parsed.body_start), text[:200]


def _trimmed(text: str, span: tuple[int, int]) -> tuple[int, int]:
    a, b = span
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def test_sentences_are_the_trimmed_pieces_that_hold_a_word():
    """The sentence splitter (its fast regex and loop) against the plain reading: split at each end
    (abbreviations kept whole), trim spaces, drop pieces without a word."""
    for text in _texts():
        a = Analysis(text, "first-touch", [], None, None, None)
        starts = [m.start() for m in PLAIN_TOKEN_RE.finditer(text)]
        plain = []
        for start, end in a.content_pieces:
            pos = start
            for m in PLAIN_SENTENCE_END_RE.finditer(text, start, end):
                if m.group()[0] == "." and PLAIN_ABBREVIATION_RE.search(text, max(start, m.start() - 8), m.end()):
                    continue
                plain.append((pos, m.end()))
                pos = m.end()
            plain.append((pos, end))
        plain = [_trimmed(text, s) for s in plain if any(s[0] <= w < s[1] for w in starts)]
        assert a.sentences == plain, text[:200]
