"""The extractor on the real dev pages: facts come from each page's content, never its chrome."""
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from app.research.extract import analyze_page, decode_html
from app.research.fetcher import Fetched
from tests.conftest import skip_or_fail

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev"
PAGES = sorted(p.name for p in CORPUS.iterdir()) if CORPUS.is_dir() else []
PAGES = [p for p in PAGES if (CORPUS / p / "source.html").exists()]


def chrome_text(html: bytes) -> str:
    """Text that only navigation, headers, footers and sidebars carry."""
    soup = BeautifulSoup(html, "lxml")
    parts = [el.get_text(" ", strip=True) for el in soup.find_all(["nav", "footer", "aside"])]
    for el in soup.find_all(attrs={"class": True}):
        classes = " ".join(el.get("class") or []).lower()
        if any(w in classes for w in ("footer", "sidebar", "navbar", "menu", "cookie")):
            parts.append(el.get_text(" ", strip=True))
    return " ".join(" ".join(parts).split())


@pytest.mark.parametrize("name", PAGES or ["missing"])
def test_facts_come_from_content(name):
    if not PAGES:
        skip_or_fail(f"the dev corpus is missing at {CORPUS}")
    body = (CORPUS / name / "source.html").read_bytes()
    url = f"https://{name}.example/article"
    page = analyze_page(Fetched(url, url, 200, "text/html", None, body), url, "news", [])
    assert page.snippets, f"no citable sentence found on {name}"
    chrome = chrome_text(body)
    html, _ = decode_html(body, None)
    visible = "".join(BeautifulSoup(html, "lxml").get_text("").split())
    for s in page.snippets:
        assert s.text not in chrome, f"{name}: '{s.text}' comes from navigation/footer"
        assert "\ufffd" not in s.text and "Ã" not in s.text, f"{name}: mojibake in '{s.text}'"
        # The sentence is really on the page (white space aside).
        assert "".join(s.text.split()[:6]) in visible, f"{name}: '{s.text}' is not on the page"


def test_windows_1252_page_without_charset_has_no_mojibake():
    body = ("<html><head><title>Caf\xe9 Nord</title></head><body><article><p>Caf\xe9 Nord opened its third "
            "bakery in M\xfcnster in March 2026 and now employs 45 people \u2013 na\xefvely, it says.</p>"
            "</article></body></html>").encode("cp1252")
    url = "http://cafe.example/"
    page = analyze_page(Fetched(url, url, 200, "text/html", None, body), url, "home", [])
    assert page.meta.title == "Café Nord"
    assert any("Münster" in s.text and "–" in s.text for s in page.snippets), page.snippets


def test_a_plain_small_business_page_still_gives_a_fact():
    body = ("<html><head><title>Rosa's Bakery</title><meta name='description' content=\"Rosa's Bakery bakes "
            "sourdough and pastries in Tacoma.\"></head><body><main><h1>Welcome</h1><p>Fresh bread daily.</p>"
            "<p>We bake sourdough with local flour for our neighbours.</p></main></body></html>").encode()
    url = "http://rosas.example/"
    page = analyze_page(Fetched(url, url, 200, "text/html", None, body), url, "home", [])
    assert page.snippets and "sourdough" in page.snippets[0].text


def test_utf8_served_as_iso_8859_1_has_no_mojibake():
    body = ("<html><head><meta charset='iso-8859-1'><title>Müller & Söhne</title></head><body><article><p>Müller "
            "& Söhne opened a 40-person office in Zürich in 2026 — their third in Switzerland.</p></article>"
            "</body></html>").encode("utf-8")
    url = "http://mueller.example/"
    page = analyze_page(Fetched(url, url, 200, "text/html", "iso-8859-1", body), url, "home", [])
    assert page.meta.title == "Müller & Söhne"
    assert any("Zürich" in s.text and "—" in s.text for s in page.snippets)
