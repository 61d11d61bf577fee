"""Words: every regular expression that splits text into words, in one place, each named for what it keeps.

Why one module: two copies of "a word" drift apart (a phrase list split one way never matches a draft
split another), and a difference that matters should be a name a reader can see, not a hidden copy.
The variants below differ on purpose; the comment on each says how and who needs it. Use .findall or
.finditer on them; none holds state.
"""
from __future__ import annotations

import re

# -- drafts (app/compose) ------------------------------------------------------------------------------
# A draft's word: a number with its separators ("1,200", "3.5" are one token), or a word with inner
# apostrophes and hyphens ("don't", "follow-up"). What the checklist counts and phrase lists match; a
# phrase list is split with it so its words line up with the draft's.
NUMBER_OR_WORD_RE = re.compile(r"\d[\d,.]*\d|\w+(?:['’\-]\w+)*")
# NUMBER_OR_WORD_RE on a draft, minus what opens a citation marker's id ([^1] is not a word; of [^12] the
# "2" still is, as in the plain form). Written to open with a character class, which lets the regex engine
# skip to the next word: it finds exactly what (?<!\[\^)(?:NUMBER_OR_WORD_RE) finds, faster
# (tests/unit/test_analysis_speedups.py holds it to that).
DRAFT_TOKEN_RE = re.compile(r"\w(?<!\[\^\w)(?:(?<=\d)[\d,.]*\d|\w*(?:['’\-]\w+)*)")
# Words to stem and compare (relevance, repeats): numbers as above, but a hyphenated word in its parts
# ("cross-dock" shares "dock" with "dock") and a digit apart from letters ("3rd" -> "3", "rd").
STEM_WORD_RE = re.compile(r"\d[\d,.]*\d|\d|\w+(?:['’]\w+)*")
# English words in ASCII letters, inner ' and - kept: the units and words that accuracy compares
# between a sentence and a fact ("sq ft", "cross-dock", "Pine's").
ASCII_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*")
# ASCII_WORD_RE that starts with a capital: the words of a name in a draft ("Cascadia", "Harbor-Pine").
# Opens with its character class (no lookbehind first), so the regex engine skips ahead to capitals.
CAPITALISED_WORD_RE = re.compile(r"[A-Z][A-Za-z'’]*(?:-[A-Za-z]+)*")

# -- names and words in any script ---------------------------------------------------------------------
# A word as a name writes it: a letter or digit first, then letters, digits, ' ’ and - ("3M", "O'Neil",
# "Harbor-Pine"). Company names, the first word of a matched slot, a sentence's longer words.
WORD_RE = re.compile(r"[^\W_][\w'’-]*")
# WORD_RE that starts with a letter: a person's name in a greeting ("Hi Dana, Sam").
NAME_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
# WORD_RE that also keeps inner "&" and ".": "AT&T", "U.S.", "Inc." stay one word (sentence splitting,
# a company's name as a draft may write it).
DOTTED_WORD_RE = re.compile(r"[^\W_][\w'’&.-]*")
# DOTTED_WORD_RE that starts with a letter: the names and labels beside a signature's contact details.
DOTTED_NAME_WORD_RE = re.compile(r"[^\W\d_][\w'’&.-]*")
# Runs of letters, nothing else: a text's function words, to tell its language.
LETTERS_RE = re.compile(r"[^\W\d_]+")
# Runs of letters and digits, punctuation dropped: names and texts compared word by word ("Katz, Marshall
# & Banks" -> katz marshall banks).
ALNUM_RE = re.compile(r"[^\W_]+")
# Runs of ASCII letters and digits: the words a domain name can spell (a company's name -> acme-robotics.com).
ASCII_ALNUM_RE = re.compile(r"[A-Za-z0-9]+")

# The speller's one pass over a text (app.compose.spelling): left to right, what to skip whole (citation
# markers, URLs, addresses, handles, dotted names), the words, and sentence ends.
_URL_TAIL = r"""\S*?(?=[.,;:!?)\]'"’”]*(?:\s|$))"""  # the rest of a URL, less trailing punctuation
SPELLING_SCAN_RE = re.compile(
    rf"""
    (?P<cite>\[\^[^\]\s]{{1,32}}\])                                  # citation marker [^12]
  | (?P<skip>
        (?:[a-z][a-z0-9+.-]*://|www\.){_URL_TAIL}                      # URL
      | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                                   # e-mail address
      | [@\#]\w+                                                       # @handle, #hashtag
      | \w[\w-]*(?:\.\w[\w-]*)+(?:/{_URL_TAIL})?                       # acme.com/x, e.g, 3.5
    )
  | (?P<word>\w+(?:['’]\w+)*(?:-\w+(?:['’]\w+)*)*)
  | (?P<stop>[.!?\n\r\u2029\u2028])
    """,
    re.VERBOSE | re.IGNORECASE,
)
# What add_words is given ("Acme Logistics, Inc.", "Wi-Fi"), split into words, hyphenated ones whole.
HYPHENATED_WORD_RE = re.compile(r"\w+(?:['’-]\w+)*")
