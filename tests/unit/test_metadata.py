"""Page metadata against real pages (../shared/corpus/dev) and hand-made edge cases."""
from __future__ import annotations

import dataclasses
import functools
import json
import random
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from app.research.metadata import PageMeta, extract_metadata, parse_html
from tests.conftest import skip_or_fail

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev"
MISSING = "corpus-missing"


def norm(text: str | None) -> str | None:
    return " ".join(text.split()) if text is not None else None


# --- the real pages -----------------------------------------------------------------------------


def _expected_all() -> dict[str, dict]:
    if not CORPUS.is_dir():
        return {}
    return {
        p.name: json.loads((p / "expected-metadata.json").read_text(encoding="utf-8"))
        for p in sorted(CORPUS.iterdir())
        if (p / "source.html").is_file() and (p / "expected-metadata.json").is_file()
    }


EXPECTED = _expected_all()


def _pages(key: str | None = None) -> list[str]:
    """Pages whose expected value for key is present and non-null (all pages when key is None)."""
    if not EXPECTED:
        return [MISSING]
    return [name for name, exp in EXPECTED.items() if key is None or exp.get(key) is not None]


@functools.cache
def _extracted(name: str) -> PageMeta:
    if name == MISSING or not CORPUS.is_dir():
        skip_or_fail(f"the development corpus is not at {CORPUS} (it lives in ../shared next to the repo)")
    return extract_metadata((CORPUS / name / "source.html").read_bytes())


@pytest.mark.parametrize("name", _pages("title"))
def test_corpus_title(name):
    assert norm(_extracted(name).title) == norm(EXPECTED[name]["title"])


@pytest.mark.parametrize("name", _pages("siteName"))
def test_corpus_site_name(name):
    assert _extracted(name).site_name == EXPECTED[name]["siteName"]


@pytest.mark.parametrize("name", _pages("publishedTime"))
def test_corpus_published_date(name):
    published = _extracted(name).published
    assert published is not None
    assert published[:10] == EXPECTED[name]["publishedTime"][:10]


@pytest.mark.parametrize("name", _pages("excerpt"))
def test_corpus_description(name):
    got = norm(_extracted(name).description)
    expected = norm(EXPECTED[name]["excerpt"])
    assert got is not None
    if expected.endswith(("…", "...")):
        # Readability keeps a site's own truncated summary; accept it whole or as the start of ours.
        assert got.startswith(expected.rstrip(".…").rstrip())
    else:
        assert got == expected


@pytest.mark.parametrize("name", _pages("lang"))
def test_corpus_lang(name):
    assert _extracted(name).lang == EXPECTED[name]["lang"]


@pytest.mark.parametrize("name", _pages())
def test_corpus_pages_are_not_js_only(name):
    assert _extracted(name).js_only is False


def test_corpus_organization_from_jsonld():
    if "gitlab-blog" not in EXPECTED:
        skip_or_fail(f"the development corpus is not at {CORPUS}")
    meta = _extracted("gitlab-blog")
    assert meta.organization["name"] == "GitLab"
    assert meta.organization["legalName"] == "GitLab Inc."
    assert meta.organization["address"] == "268 Bush Street #350, San Francisco, CA 94104, USA"
    assert "https://www.linkedin.com/company/gitlab-com" in meta.organization["sameAs"]
    assert meta.articles[0]["headline"] == "3 surprising findings from our 2024 Global DevSecOps Survey"
    assert meta.articles[0]["datePublished"] == "2024-06-25"


# --- hand-made pages ----------------------------------------------------------------------------


def page(head: str = "", body: str = "", html_attrs: str = "") -> str:
    return f"<!DOCTYPE html><html{html_attrs}><head>{head}</head><body>{body}</body></html>"


def ld(obj) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj) if not isinstance(obj, str) else obj}</script>'


PARAGRAPH = (
    "Acme Pumps designs and builds industrial pumps for water utilities across the Midwest, "
    "and has done so since 1952."
)


def test_organization_with_all_fields():
    org = {
        "@context": "https://schema.org",
        "@type": "Corporation",
        "name": "Acme Pumps",
        "legalName": "Acme Pumps GmbH",
        "description": "Industrial pumps &amp; valves.",
        "foundingDate": "1952",
        "numberOfEmployees": {"@type": "QuantitativeValue", "minValue": 100, "maxValue": 500},
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "Hauptstraße 5",
            "addressLocality": "München",
            "addressRegion": "BY",
            "postalCode": "80331",
            "addressCountry": {"@type": "Country", "name": "DE"},
        },
        "sameAs": ["https://www.linkedin.com/company/acme-pumps", "https://twitter.com/acmepumps"],
    }
    meta = extract_metadata(page(ld(org)))
    assert meta.organization == {
        "name": "Acme Pumps",
        "legalName": "Acme Pumps GmbH",
        "description": "Industrial pumps & valves.",
        "foundingDate": "1952",
        "numberOfEmployees": "100-500",
        "address": "Hauptstraße 5, München, BY 80331, DE",
        "sameAs": ["https://www.linkedin.com/company/acme-pumps", "https://twitter.com/acmepumps"],
    }
    assert meta.site_name == "Acme Pumps"
    assert meta.description == "Industrial pumps & valves."


@pytest.mark.parametrize(
    "employees, expected",
    [
        ({"@type": "QuantitativeValue", "value": 250}, "250"),
        ({"@type": "QuantitativeValue", "value": "250"}, "250"),
        ({"@type": "QuantitativeValue", "minValue": 50}, "50+"),
        ({"@type": "QuantitativeValue", "maxValue": 10.0}, "up to 10"),
        (42, "42"),
        ("11-50", "11-50"),
        (None, None),
    ],
)
def test_number_of_employees_is_a_plain_string(employees, expected):
    org = {"@type": "Organization", "name": "Acme", "numberOfEmployees": employees}
    assert extract_metadata(page(ld(org))).organization["numberOfEmployees"] == expected


@pytest.mark.parametrize(
    "kind", ["LocalBusiness", "Dentist", "NewsMediaOrganization", "OnlineBusiness", "https://schema.org/Plumber"]
)
def test_organization_subtypes(kind):
    org = {"@type": kind, "name": "Smith & Sons", "address": "12 High St, Leeds", "sameAs": "https://fb.com/smith"}
    meta = extract_metadata(page(ld(org)))
    assert meta.organization["name"] == "Smith & Sons"
    assert meta.organization["address"] == "12 High St, Leeds"
    assert meta.organization["sameAs"] == ["https://fb.com/smith"]


def test_organization_prefers_the_pages_own_host():
    partner = {"@type": "Organization", "name": "Partner", "url": "https://partner.example", "foundingDate": "1990",
               "description": "A partner."}
    own = {"@type": "Organization", "name": "Acme", "url": "https://www.acme.example/"}
    meta = extract_metadata(page(ld([partner, own])), url="https://acme.example/about")
    assert meta.organization["name"] == "Acme"


def test_organization_falls_back_to_the_article_publisher():
    article = {"@type": "NewsArticle", "headline": "Acme opens a plant",
               "publisher": {"@type": "Organization", "name": "Acme Newsroom"}}
    meta = extract_metadata(page(ld(article)))
    assert meta.organization["name"] == "Acme Newsroom"
    assert meta.site_name == "Acme Newsroom"


def test_articles_from_jsonld_graph_and_blog_listing():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Blog", "blogPost": [
                {"@type": "BlogPosting", "headline": "Q3 results", "datePublished": "2024-10-01T09:00:00Z"},
                {"@type": "BlogPosting", "name": "New CFO", "datePublished": "2024-09-12",
                 "description": "Jane Roe joins."},
            ]},
            {"@type": "ItemList", "itemListElement": [
                {"@type": "ListItem", "position": 1, "item": {"@type": "Report", "headline": "Annual report"}},
            ]},
            {"@type": "NewsArticle", "headline": "Q3 results", "datePublished": "2024-10-01T09:00:00Z"},
        ],
    }
    meta = extract_metadata(page(ld(graph)))
    assert meta.articles == (
        {"headline": "Q3 results", "datePublished": "2024-10-01T09:00:00Z", "description": None},
        {"headline": "New CFO", "datePublished": "2024-09-12", "description": "Jane Roe joins."},
        {"headline": "Annual report", "datePublished": None, "description": None},
    )
    assert meta.published == "2024-10-01T09:00:00Z"


def test_malformed_jsonld_in_a_page():
    scripts = (
        '<script type="application/ld+json">/*<![CDATA[*/{"@type": "Organization", "name": "Acme",}/*]]>*/</script>'
        '<script type="application/ld+json">{"@type": broken</script>'
        '<script type="application/ld+json; charset=utf-8">'
        '{"@type": "BlogPosting", "headline": "Hello", "author": [{"@type": "Person", "name": "Ann Lee"},'
        ' {"@type": "Person", "name": "Bo Chan"}], "datePublished": "2023-05-04"}'
        '{"@type": "WebSite", "name": "Acme Blog"}</script>'
    )
    meta = extract_metadata(page(scripts))
    assert meta.organization["name"] == "Acme"
    assert meta.title == "Hello"
    assert meta.byline == "Ann Lee, Bo Chan"
    assert meta.published == "2023-05-04"
    assert meta.site_name == "Acme"  # the organization outranks the WebSite entity


def test_priorities_between_sources():
    head = (
        "<title>Page title | Acme</title>"
        '<meta property="og:title" content="  OG   title ">'
        '<meta name="twitter:title" content="Twitter title">'
        '<meta name="description" content="Meta description.">'
        '<meta property="og:description" content="OG description.">'
        '<meta property="og:site_name" content="Acme Site">'
        '<meta name="application-name" content="Acme App">'
        '<meta property="article:published_time" content="2024-01-02T03:04:05+01:00">'
        '<meta name="date" content="2020-01-01">'
        '<meta name="author" content="Dana Writer">'
        + ld({"@type": "Article", "headline": "LD headline", "datePublished": "2023-01-01",
              "author": {"@type": "Person", "name": "LD Author"}})
    )
    meta = extract_metadata(page(head, "<article><time datetime='2019-01-01'>x</time></article>", ' lang="de-DE"'))
    assert meta == PageMeta(
        title="OG title", site_name="Acme Site", description="Meta description.",
        published="2024-01-02T03:04:05+01:00", lang="de-DE", byline="Dana Writer",
        organization=None, articles=({"headline": "LD headline", "datePublished": "2023-01-01", "description": None},),
        js_only=False,
    )


def test_fallbacks_when_only_the_body_speaks():
    body = (
        '<header><p>Free shipping on all orders over fifty dollars, every day of the week, to every state.</p></header>'
        '<nav><p>Home · Products · Industrial pumps and valves for municipal water · About us · Careers</p></nav>'
        '<div class="cookie-banner"><p>We use cookies to improve your experience on our website. '
        'By continuing you agree to our use of cookies.</p></div>'
        "<main><h1>Acme Pumps</h1><p>Short intro.</p>"
        f"<p>{PARAGRAPH}</p>"
        "<article><time datetime='2022-06-30T10:00'>June 30</time></article></main>"
        "<footer><p>Copyright 2024 Acme Pumps Inc. All rights reserved. "
        "Registered in Delaware, number 12345.</p></footer>"
    )
    head = "<title>\n  Acme Pumps —\n Industrial pumps\n</title>"
    meta = extract_metadata(page(head, body))
    assert meta.title == "Acme Pumps — Industrial pumps"
    assert meta.description == PARAGRAPH
    assert meta.published == "2022-06-30T10:00"


def test_description_skips_hidden_and_cookie_paragraphs():
    body = (
        f'<div id="onetrust-consent-sdk"><p>{PARAGRAPH.replace("Acme", "Consent")}</p></div>'
        f'<div style="display: none"><p>{PARAGRAPH.replace("Acme", "Hidden")}</p></div>'
        f'<p>This website uses cookies to give you the best experience, read our privacy policy to learn more.</p>'
        f"<div><p>{PARAGRAPH}<br>Second line.</p></div>"
    )
    assert extract_metadata(page("", body)).description == PARAGRAPH + " Second line."


@pytest.mark.parametrize(
    "title, headings, expected",
    [
        ("How we ship pumps to Ohio - Acme Blog", "", "How we ship pumps to Ohio"),
        ("Acme Pumps | Home", "", "Acme Pumps | Home"),  # too short once trimmed: keep it whole
        ("Blog: How we ship pumps to Ohio fast", "", "How we ship pumps to Ohio fast"),
        ("Blog: How we ship pumps", "<h1>Blog: How we ship pumps</h1>", "Blog: How we ship pumps"),
        ("Pumps", "<h1>Acme Industrial Pumps</h1>", "Pumps"),  # Readability keeps <= 4 words whole
        ("Firma «Łódź» — pompy przemysłowe dla wodociągów i przemysłu", "",
         "pompy przemysłowe dla wodociągów i przemysłu"),
        ("draft-ietf-httpbis-semantics-19 - HTTP Semantics", "", "draft-ietf-httpbis-semantics-19 - HTTP Semantics"),
    ],
)
def test_document_title_cleanup(title, headings, expected):
    assert extract_metadata(page(f"<title>{title}</title>", headings)).title == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T10:11:12Z", "2024-03-05T10:11:12Z"),
        ("2020-11-11 12:00:00.000-0600", "2020-11-11T12:00:00-06:00"),
        ("2015/03/17", "2015-03-17"),
        ("20150317", "2015-03-17"),
        ("Tue, 17 Mar 2015 16:27:40 GMT", "2015-03-17T16:27:40+00:00"),
        ("comment_date", None),
        ("3000-01-01", None),
        ("2024-02-30", None),
        ("", None),
    ],
)
def test_published_dates_are_iso_or_none(value, expected):
    meta = extract_metadata(page(f'<meta name="pubdate" content="{value}">'))
    assert meta.published == expected


def test_published_from_marked_time_element():
    body = ("<div><time datetime='comment_date'>x</time>"
            "<span class='posted'><time class='entry-date published' datetime='2021-04-01T08:00:00+02:00'>"
            "1 Apr</time></span></div>")
    assert extract_metadata(page("", body)).published == "2021-04-01T08:00:00+02:00"


def test_time_in_a_listing_of_articles_is_not_the_page_date():
    body = "".join(f"<article><h2>Post {i}</h2><time datetime='2024-01-0{i}'>x</time></article>" for i in range(1, 4))
    assert extract_metadata(page("", body)).published is None


def test_byline_from_rel_author_and_not_from_a_url():
    head = '<meta property="article:author" content="https://facebook.com/someone">'
    body = '<p>By <a rel="author" href="/team/ann">Ann  Lee</a></p>'
    assert extract_metadata(page(head, body)).byline == "Ann Lee"


@pytest.mark.parametrize(
    "body",
    [
        '<noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div>'
        '<script src="/static/js/main.4f3a.js"></script>',
        '<div id="__next"></div><script id="__NEXT_DATA__" type="application/json">{"props":{}}</script>'
        '<script src="/_next/static/chunks/main.js"></script>',
        "<app-root></app-root><script src='runtime.js'></script><script src='main.js'></script>",
        "<noscript><p>Please turn on JavaScript in your browser to view this site.</p></noscript>"
        "<div class='loader'>Loading…</div><script>boot()</script>",
    ],
)
def test_js_only_pages(body):
    meta = extract_metadata(page("<title>Acme</title>", body))
    assert meta.js_only is True
    assert meta.title == "Acme"


def test_a_server_rendered_page_with_a_noscript_notice_is_not_js_only():
    body = ("<noscript>Please enable JavaScript for the best experience.</noscript><div id='root'>"
            + f"<p>{PARAGRAPH}</p>" * 4 + "</div><script src='app.js'></script>")
    assert extract_metadata(page("", body)).js_only is False


def test_a_thin_page_without_scripts_is_not_js_only():
    assert extract_metadata(page("<title>Coming soon</title>", "<h1>Coming soon</h1>")).js_only is False


def test_a_short_server_rendered_page_with_scripts_is_not_js_only():
    body = "<main><h1>mod.rs</h1><pre><code>1 pub mod pidfd; // the whole file, shown in full</code></pre></main>"
    assert extract_metadata(page("<script src='main.js'></script>", body)).js_only is False


def test_a_script_rendered_page_with_an_unfamiliar_root_is_js_only():
    body = "<div id='mount-point'><span>Loading…</span></div><script src='/bundle.js'></script>"
    assert extract_metadata(page("", body)).js_only is True


def test_a_page_with_no_metadata_at_all():
    meta = extract_metadata("<html><body><div>Hello</div></body></html>")
    assert meta == PageMeta(None, None, None, None, None, None, None, (), False)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00" * 64,
        b"\xff\xfe",
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        bytes(random.Random(7).randrange(256) for _ in range(20_000)),
        "index.html",
        "https://acme.example/",
        "",
        "<",
        "<?xml version='1.0' encoding='utf-8'?><html><head><title>XHTML page</title></head></html>",
    ],
    ids=["empty", "nuls", "bom-only", "png", "random", "filename", "url", "empty-str", "lt", "xhtml"],
)
def test_garbage_does_not_crash(data):
    meta = extract_metadata(data)
    assert isinstance(meta, PageMeta)
    assert meta.organization is None and meta.articles == ()


def test_xhtml_with_xml_declaration_still_reads():
    data = (b"<?xml version='1.0' encoding='utf-8'?>\n<html xmlns='http://www.w3.org/1999/xhtml' lang='en'>"
            b"<head><title>XHTML page</title></head><body/></html>")
    meta = extract_metadata(data)
    assert (meta.title, meta.lang) == ("XHTML page", "en")


# --- encodings ----------------------------------------------------------------------------------

WESTERN = "Café Müller, „Qualität“ seit 1920. Größe und Preis ab 12 €"


def western_page(head: str = "") -> str:
    return page(f"{head}<title>{WESTERN}</title><meta name='description' content='{WESTERN}'>",
                f"<p>{WESTERN}</p>", " lang='de'")


def test_windows_1252_without_declaration_uses_the_http_charset():
    data = western_page().encode("windows-1252")
    meta = extract_metadata(data, encoding="windows-1252")
    assert meta.title == WESTERN
    assert meta.description == WESTERN


def test_windows_1252_without_any_charset_still_decodes():
    meta = extract_metadata(western_page().encode("windows-1252"))
    assert meta.description == WESTERN


def test_utf8_with_only_meta_charset():
    data = western_page('<meta charset="utf-8">').encode("utf-8")
    meta = extract_metadata(data)
    assert meta.title == WESTERN
    assert meta.description == WESTERN


def test_utf8_page_mislabelled_latin1_by_the_server():
    data = western_page('<meta charset="utf-8">').encode("utf-8")
    assert extract_metadata(data, encoding="ISO-8859-1").title == WESTERN


def test_utf8_bom_wins():
    data = b"\xef\xbb\xbf" + western_page().encode("utf-8")
    assert extract_metadata(data, encoding="windows-1252").title == WESTERN


def test_unknown_http_charset_is_ignored():
    data = western_page('<meta charset="utf-8">').encode("utf-8")
    assert extract_metadata(data, encoding="no-such-charset").title == WESTERN


@pytest.mark.parametrize(
    "codec, text",
    [
        ("windows-1251", "Компания «Ромашка», производитель насосов с 1952 года"),
        ("shift_jis", "株式会社アクメ ポンプの製造販売"),
        ("iso-8859-2", "Zakład Pomp Łódź, żółć gęślą jaźń"),
        ("euc-kr", "주식회사 에이크미 펌프 제조"),
    ],
)
def test_declared_legacy_encodings(codec, text):
    html = page(f'<meta http-equiv="Content-Type" content="text/html; charset={codec}"><title>{text}</title>')
    assert extract_metadata(html.encode(codec)).title == text


def test_str_input_and_passed_soup_agree():
    html = western_page()
    soup = parse_html(html)
    before = str(soup)
    assert extract_metadata(None, soup=soup) == extract_metadata(html)
    assert str(soup) == before  # the caller's soup is not changed


def test_page_meta_is_frozen():
    meta = extract_metadata(western_page())
    with pytest.raises(dataclasses.FrozenInstanceError):
        meta.title = "x"  # type: ignore[misc]
    assert isinstance(parse_html(b"<p>x</p>"), BeautifulSoup)


def test_yoast_style_graph_with_id_references():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Article", "@id": "https://acme.example/news/plant/#article",
             "headline": "Acme opens a second plant in Ohio",
             "author": {"@id": "https://acme.example/#/schema/person/1"},
             "publisher": {"@id": "https://acme.example/#organization"},
             "datePublished": "2024-05-06T07:08:09+00:00"},
            {"@type": "WebSite", "@id": "https://acme.example/#website", "name": "Acme News",
             "publisher": {"@id": "https://acme.example/#organization"}},
            {"@type": "Organization", "@id": "https://acme.example/#organization", "name": "Acme Pumps",
             "sameAs": ["https://www.linkedin.com/company/acme"]},
            {"@type": "Person", "@id": "https://acme.example/#/schema/person/1", "name": "Jo Park"},
        ],
    }
    meta = extract_metadata(page(ld(graph)))
    assert (meta.title, meta.site_name, meta.byline) == ("Acme opens a second plant in Ohio", "Acme Pumps", "Jo Park")
    assert meta.published == "2024-05-06T07:08:09+00:00"
    assert meta.organization["sameAs"] == ["https://www.linkedin.com/company/acme"]


def test_a_listing_of_articles_does_not_lend_the_page_a_date_or_title():
    posts = [{"@type": "BlogPosting", "headline": f"Post {i}", "datePublished": f"2024-0{i}-01",
              "url": f"https://acme.example/blog/post-{i}/"} for i in range(1, 4)]
    listing = extract_metadata(page("<title>Acme blog</title>" + ld(posts)), url="https://acme.example/blog/")
    assert (listing.title, listing.published) == ("Acme blog", None)
    assert [a["headline"] for a in listing.articles] == ["Post 1", "Post 2", "Post 3"]
    post = extract_metadata(page("<title>Acme blog</title>" + ld(posts)), url="https://www.acme.example/blog/post-2")
    assert (post.title, post.published) == ("Post 2", "2024-02-01")


def test_a_paragraph_about_actual_cookies_is_a_description():
    bakery = ("We bake cookies, sourdough and layer cakes every morning in our Portland shop, "
              "and we have done so since 1985.")
    body = ("<div class='notice'><p>Diese Website verwendet Cookies, um Ihnen das beste Erlebnis zu bieten. "
            "Mehr dazu in unserer Datenschutzerklärung.</p></div>" + f"<p>{bakery}</p>")
    assert extract_metadata(page("", body)).description == bakery
