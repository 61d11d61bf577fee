import pytest

from app.core.errors import InputError
from app.core.text import normalize_url, sanitize, strip_citations
from app.core.validate import note_input, prospect_input


def test_strip_citations_removes_markers_and_tidies_spacing():
    text = "Congrats on the Austin plant opening [^12]. Your hiring [^3] [^4] is impressive."
    assert strip_citations(text) == "Congrats on the Austin plant opening. Your hiring is impressive."


@pytest.mark.parametrize("typed, expected", [
    ("acme.io", "https://acme.io"),
    ("http://acme.io/about", "http://acme.io/about"),
    ("  https://ACME.io ", "https://ACME.io"),
    ("", ""),
])
def test_normalize_url_accepts_what_reps_type(typed, expected):
    assert normalize_url(typed) == expected


@pytest.mark.parametrize("bad", ["ftp://acme.io", "javascript:alert(1)", "not a url", "acme", "http://"])
def test_normalize_url_rejects_non_web_addresses_with_a_message(bad):
    with pytest.raises(InputError, match="Website"):
        normalize_url(bad)


def test_sanitize_strips_nul_and_replaces_unpaired_surrogates():
    clean, changes = sanitize("Acme\x00 Corp \udcff!")
    assert clean == "Acme Corp \ufffd!"
    assert len(changes) == 2


def test_empty_company_is_refused_with_what_to_do():
    with pytest.raises(InputError, match="Company name is empty"):
        prospect_input("   ")


def test_five_megabyte_note_is_refused_not_truncated():
    with pytest.raises(InputError, match="too long"):
        note_input("x" * 5_000_000)


def test_note_with_junk_characters_is_cleaned_and_reported():
    data = note_input("Hiring 12\x00 supervisors\x07", "harborpine.example/careers")
    assert data.text == "Hiring 12 supervisors"
    assert data.source_url == "https://harborpine.example/careers"
    assert data.notices and "control character" in data.notices[0]
