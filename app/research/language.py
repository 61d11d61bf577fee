"""Which language a piece of page text is in: a primary tag ("en", "de", "ja"), or None when unsure.

Small and offline on purpose (no model to download, nothing to load at startup): the script of
the letters settles most non-Latin languages; Latin-script text is told apart by its most common
function words and a few letters only some languages use. A page's declared language (<html
lang>) is the fallback when the text is too short to tell, never an override: templates declare
"en" on pages written in other languages.
"""
from __future__ import annotations

import re
from collections import Counter

from app.core import tokens

# Function words common in each language and rare in the others' running text.
_WORDS = {
    "en": "the and of to is are for with our we you that this from have has be your will was were it its an or by "
          "in on at as all since can not they their us about which who been into over more than only a",
    "de": "der die das und ist mit für von den dem nicht auf sich ein eine einen zu wir unsere uns sie auch im bei "
          "oder werden sind wird über nach",
    "fr": "le la les et des du un une est pour dans nous vous sur avec qui que au aux par sont notre nos pas ce "
          "votre vos leur été",
    "es": "el la los las y de del que en es por para con una un su sus nuestro nuestra nuestros se al más como "
          "son somos está",
    "it": "il lo la gli le e di del della che è per con una un non sono nel nella al dei alla nostro nostra siamo "
          "anche",
    "pt": "o a os as e de do da dos das que em no na um uma para com por não é são nosso nossa mais também ao pela "
          "pelo foi",
    "nl": "de het een en van is in op met voor niet zijn wij onze ook aan bij te dat die naar worden u uw",
    "sv": "och att det som är en ett på för med av till inte vi vår våra har den de om från kan",
    "da": "og at det som er en et på for med af til ikke vi vores har den de om fra kan",
    "nb": "og at det som er en et på for med av til ikke vi vår våre har den de om fra kan",
    "fi": "ja on ei se että oli ovat myös kanssa joka tai mutta kun niin olla meidän sekä tämä",
    "pl": "i w z na się nie do to że jest od o jak po dla oraz jesteśmy nasza nasze przez",
    "cs": "a v se na je že s z do o k to jako pro jsou jsme naše také které který",
    "tr": "ve bir bu için ile da de olan olarak çok daha en gibi biz bizim",
    "ro": "și în de la cu pe este sunt care pentru din al ale o un nu mai noastre",
    "hu": "a az és hogy nem egy is van meg már de mint csak vagy szerint cégünk",
}
_PROFILES = {lang: frozenset(words.split()) for lang, words in _WORDS.items()}
_OWNERS: dict[str, list[str]] = {}
for _lang, _profile in _PROFILES.items():
    for _word in _profile:
        _OWNERS.setdefault(_word, []).append(_lang)
# Letters that point to a language (a bonus of one function word each, at most three).
_LETTERS = {
    "de": "äöüß", "fr": "éèêëçàùœ", "es": "ñ¿¡áíóú", "pt": "ãõçâêô", "pl": "ąęłśżźćń", "cs": "řěůšč",
    "tr": "ığş", "ro": "șțăâî", "hu": "őű", "sv": "åä", "da": "æøå", "nb": "æøå", "it": "àèìòù",
}
# Scripts that name their language (or the usual one) outright, by Unicode block.
_SCRIPTS = [
    ((0xAC00, 0xD7AF), "ko"), ((0x1100, 0x11FF), "ko"), ((0x3040, 0x30FF), "ja"), ((0x4E00, 0x9FFF), "zh"),
    ((0x3400, 0x4DBF), "zh"), ((0x0E00, 0x0E7F), "th"), ((0x0590, 0x05FF), "he"), ((0x0370, 0x03FF), "el"),
    ((0x0600, 0x06FF), "ar"), ((0x0900, 0x097F), "hi"), ((0x0980, 0x09FF), "bn"), ((0x0B80, 0x0BFF), "ta"),
    ((0x10A0, 0x10FF), "ka"), ((0x0530, 0x058F), "hy"), ((0x0400, 0x04FF), "ru"),
]


def primary(tag: str | None) -> str | None:
    """The primary subtag of a declared language ("en-US" -> "en"), or None."""
    if not tag:
        return None
    head = re.split(r"[-_\s]", tag.strip().lower(), maxsplit=1)[0]
    if head == "no":
        return "nb"
    return head if head.isalpha() and 2 <= len(head) <= 3 else None


def _script(text: str) -> str | None:
    """The language a non-Latin script points to, when most letters are in it."""
    counts: Counter = Counter()
    letters = 0
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        code = ord(ch)
        if code < 0x0370:
            continue
        for (low, high), lang in _SCRIPTS:
            if low <= code <= high:
                counts[lang] += 1
                break
    if not counts or sum(counts.values()) < 0.3 * letters:
        return None
    lang = counts.most_common(1)[0][0]
    if lang == "zh" and counts["ja"]:
        return "ja"  # Japanese mixes kanji with kana
    if lang == "ru":
        return _cyrillic(text)
    if lang == "ar" and re.search("[پچژگ]", text):
        return "fa"
    return lang


def _cyrillic(text: str) -> str:
    lowered = text.lower()
    if re.search("[іїєґ]", lowered):
        return "uk"
    if re.search("[ђћџј]", lowered):
        return "sr"
    if "ъ" in lowered and not re.search("[ыэ]", lowered):
        return "bg"
    return "ru"


def _latin(text: str) -> tuple[str | None, float, float]:
    """(best language, its score, the runner-up's score): function words, each worth less the more
    languages share it, and a little for letters only some languages use."""
    words = [w.lower() for w in tokens.LETTERS_RE.findall(text)]
    scores: Counter = Counter()
    for word in words:
        langs = _OWNERS.get(word)
        if langs:
            for lang in langs:
                scores[lang] += 1 / len(langs)
    lowered = text.lower()
    for lang, letters in _LETTERS.items():
        scores[lang] += 0.5 * min(3, sum(lowered.count(ch) for ch in letters))
    ranked = scores.most_common(2)
    if not ranked:
        return None, 0.0, 0.0
    return ranked[0][0], ranked[0][1], ranked[1][1] if len(ranked) > 1 else 0.0


_CYRILLIC = frozenset({"ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "mn", "tg"})
_HAN = frozenset({"zh", "ja"})
# Languages whose function words overlap so much that a short text can't tell them apart.
_TWINS = (frozenset({"da", "nb", "sv"}), frozenset({"es", "pt", "it"}), frozenset({"cs", "sk"}))
_NON_LATIN = _CYRILLIC | _HAN | {"ko", "ar", "fa", "he", "el", "th", "hi", "bn", "ta", "ka", "hy"}


def detect(text: str, hint: str | None = None) -> str | None:
    """The language of text: its script, or its function words when they are clear; else the
    declared hint when it is a Latin-script language; else None."""
    hint = primary(hint)
    script = _script(text)
    if script:
        # The script can't tell Russian from Bulgarian, or kanji-only Japanese from Chinese: a
        # declared language of the same script can.
        if (script in _CYRILLIC and hint in _CYRILLIC) or (script in _HAN and hint in _HAN):
            return hint
        return script
    lang, best, second = _latin(text)
    n = len(tokens.LETTERS_RE.findall(text))
    # Clear: enough evidence for the text's length, well ahead of the runner-up.
    if lang and best >= max(1.5, n / 12) and best >= 1.5 * second + 0.5:
        if hint and hint != lang and any(hint in t and lang in t for t in _TWINS) and best - second <= 1.5:
            return hint
        return lang
    if hint and hint not in _NON_LATIN:
        return hint
    return None
