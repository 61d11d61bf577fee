"""The speller on real words, with the shipped Hunspell dictionary: what it flags, skips and suggests."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.compose import spelling
from app.compose.spelling import Speller

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller.load()


def flagged(speller: Speller, text: str) -> list[str]:
    return [w for _, _, w in speller.misspelled(text)]


def test_flags_misspellings_with_their_offsets(speller):
    text = "We recieve teh deck tomorrow."
    assert speller.misspelled(text) == [(3, 10, "recieve"), (11, 14, "teh")]


def test_right_text_is_not_flagged(speller):
    text = ("Congrats on the Reno cross-dock opening [^1]. I'd love to show you how our scheduling tool "
            "cut check-in times by a third for a similar warehouse; would a 15-minute call next week work?")
    assert speller.misspelled(text) == []


COMMON = {"teh": "the", "recieve": "receive", "seperate": "separate", "definately": "definitely",
          "occured": "occurred", "acheive": "achieve", "buisness": "business", "wich": "which",
          "untill": "until", "tommorow": "tomorrow", "dont": "don't", "youre": "you're"}


@pytest.mark.parametrize("wrong, right", COMMON.items())
def test_common_misspellings_are_flagged_and_the_right_word_comes_first_or_second(speller, wrong, right):
    assert flagged(speller, f"I think {wrong} is it.") == [wrong]
    assert right in speller.suggestions(wrong)[:2]


def test_suggestions_keep_case_and_curly_apostrophes(speller):
    assert speller.suggestions("Recieve")[0] == "Receive"
    assert speller.suggestions("dont’")  # does not raise on the curly form
    assert speller.suggestions("youre", limit=1) == ["you're"]
    assert len(speller.suggestions("recieve", limit=3)) <= 3


@pytest.mark.parametrize("text", [
    "See [^12] and [^abc-1] for the source.",
    "Read https://example.com/recieve-teh-deck?x=seperate now.",
    "Go to www.exmaple.com/teh or acme-corp.com or linkedin.com/in/anaruiz today.",
    "Write to jon.teh@acme-example.com about it.",
    "We hit 3rd place in Q4 with B2B 2x growth, 10am, 24/7, COVID-19 and snake_case.",
    "Our CRM and ROI and EBITDA and SLAS and SDRS matter.",
    "Their iPhone and HubSpot and eBay and McKinsey and LinkedIn accounts.",
    "We don't think it's the company's fault; it’s the partners' and the company’s.",
    "@priyar mentioned #recieve on Twitter.",
    "A naïve café owner sent a résumé.",
    "Привет and Ελλάδα and 東京 are names here.",
])
def test_skips(speller, text):
    assert speller.misspelled(text) == []


def test_long_all_caps_words_are_checked(speller):
    assert flagged(speller, "This is IMPORTANT and RECIEVED.") == ["RECIEVED"]


def test_capitalised_words_inside_a_sentence_are_names_but_not_at_its_start(speller):
    assert speller.misspelled("We met the Kestrelio team in Yardwise today.") == []
    assert flagged(speller, "Recieve it. Seperate them! Teh end? ok") == ["Recieve", "Seperate", "Teh"]
    # ... and a citation marker between the full stop and the word does not hide the start.
    assert flagged(speller, "It opened.[^3] Recieve it.") == ["Recieve"]


def test_a_signature_line_is_names(speller):
    text = "Thanks for your time.\n\nBest,\nPriya Raman\nHead of Partnerships, Yardwise"
    assert speller.misspelled(text) == []


def test_possessive_flags_the_stem_only(speller):
    text = "The recieve's and recieve’s."
    assert speller.misspelled(text) == [(4, 11, "recieve"), (18, 25, "recieve")]


def test_hyphenated_words_flag_only_the_wrong_part(speller):
    assert speller.misspelled("A well-knwon co-founder sent an e-mail.") == [(7, 12, "knwon")]


def test_offsets_are_python_code_points_after_emoji_and_accents(speller):
    text = "🎉🎉 Café naïve recieve"
    (start, end, word), = speller.misspelled(text)
    assert word == "recieve" and text[start:end] == "recieve"
    assert start == 14  # 2 emoji, a space, "Café", a space, "naïve", a space


def test_words_with_apostrophes_the_dictionary_knows(speller):
    for word in ("don't", "don’t", "it's", "company's", "company’s", "partners'", "won't"):
        assert speller.is_known(word), word
    assert not speller.is_known("recieve's")


def test_b2b_words_missing_from_the_dictionary_are_shipped(speller):
    assert speller.misspelled("The rollout and onboarding roadmap is ok; upsell via the dropdown.") == []


def test_add_words_accepts_names_from_then_on(speller):
    s = Speller.load()
    assert flagged(s, "Dockly helps. Loadstar too.") == ["Dockly", "Loadstar"]
    s.add_words(["Dockly", "Loadstar Freight, Inc."])
    assert s.misspelled("Dockly helps. Loadstar too. Dockly's team.") == []
    assert {"Dockly", "Loadstar", "Freight", "Inc"} <= s.user_words
    # As in Hunspell: a capitalised word stays a name; a lower-case one is accepted capitalised too.
    assert flagged(s, "we use dockly.") == ["dockly"]
    s.add_words(["zorblat"])
    assert s.misspelled("Zorblat zorblat.") == []
    s.remove_words(["zorblat"])
    assert flagged(s, "Zorblat zorblat.") == ["Zorblat", "zorblat"]


def test_added_words_are_offered_as_suggestions():
    s = Speller.load()
    s.add_words(["Kestrelio"])
    assert "Kestrelio" in s.suggestions("Kestrelo")


class CountingDictionary:
    """The real Hunspell engine, counting the calls that reach it."""

    def __init__(self, inner):
        self.inner = inner
        self.spell_calls = 0

    def spell(self, word):
        self.spell_calls += 1
        return self.inner.spell(word)

    def suggest(self, word):
        return self.inner.suggest(word)

    def add(self, word):
        return self.inner.add(word)

    def remove(self, word):
        return self.inner.remove(word)


def test_checking_again_asks_the_engine_nothing():
    engine = CountingDictionary(spelling.load_hunspell())
    s = Speller(engine)
    text = "We recieve the deck and seperate the notes for the Reno team [^2] tomorrow."
    first = s.misspelled(text)
    assert engine.spell_calls > 0
    engine.spell_calls = 0
    assert s.misspelled(text + " Thanks") == first
    assert engine.spell_calls == 1  # only the new word


def test_outreach_corpus_has_few_false_flags(speller):
    """Every flag in this corpus is a false one (bar a typo or two); benchmarks/spelling.py measured 1.8
    per 1,000 words. The bar: at most 3."""
    lines = (ROOT / "tests" / "data" / "outreach_dev.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    words = sum(len(t.split()) for t in texts)
    flags = [w for t in texts for _, _, w in speller.misspelled(t)]
    assert words > 5000
    assert len(flags) / words * 1000 <= 3, flags


def test_importing_loads_no_dictionary():
    code = ("import sys, app.compose.spelling as s; "
            "print('hunspell' in sys.modules, s.loaded_default_speller() is None)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_default_speller_is_loaded_once_when_asked(monkeypatch):
    monkeypatch.setattr(spelling, "_default", None)
    assert spelling.loaded_default_speller() is None
    got = []
    threads = [threading.Thread(target=lambda: got.append(spelling.default_speller())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 4 and all(s is got[0] for s in got)
    assert spelling.loaded_default_speller() is got[0]
    assert got[0].misspelled("teh") == [(0, 3, "teh")]


def test_a_missing_dictionary_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="en_US"):
        Speller.load(directory=tmp_path)
