"""What research shows a rep: facts about this company, ranked, dated, tagged with their language,
and a plain word when the site is not the company's. (The rubric: ../shared/RESEARCH_QUALITY.md.)"""
import json
from pathlib import Path

import pytest

from app.research import names, rank
from app.research.blocks import page_blocks, precision_blocks
from app.research.extract import analyze_page
from app.research.fetcher import Fetched, Fetcher
from app.research.htmltree import parse_tree
from app.research.pipeline import ResearchOptions, Researcher
from tests.conftest import skip_or_fail
from tests.fixtures.http_server import LocalServer

ACME = names.company(["Acme Roofing Ltd"])
SHOW = rank.SHOW_AT


def page(url: str, html: str, category: str = "home", company: str | None = "Acme Roofing Ltd"):
    return analyze_page(Fetched(url, url, 200, "text/html", None, html.encode("utf-8")), url, category, None, 5,
                        company)


# -- ranking: about this company, or not --------------------------------------------------------------
@pytest.mark.parametrize("sentence", [
    "Acme Roofing has repaired flat and pitched roofs across Kent since 1988.",
    "We replace slate, tile and felt roofs for schools and churches in Maidstone.",
    "Established in 1988, the company now employs 24 roofers in three depots.",
    "Acme Roofing won the 2019 Kent Business Award for apprenticeships.",
    # A founder founding it is the company's story, not a bio; a place after a comma is not a person.
    "Widely known as a pioneer of green roofs, Jo Park founded Acme Roofing in Kent in 1988.",
    "Acme Roofing in Maidstone, Kent is a member of the National Federation of Roofing Contractors.",
])
def test_concrete_sentences_about_the_company_are_shown(sentence):
    assert rank.score(sentence, ACME).score >= SHOW


@pytest.mark.parametrize("sentence, reason", [
    # A reseller quoting its vendor: the subject is someone else.
    ("Zebra Technologies has introduced a new range of thermal printers for warehouses.", "third-party subject"),
    ("With over 30 years of experience in the trade, Phil provides expert advice on slate roofs.",
     "third-party subject"),
    # A staff member's bio.
    ("She graduated from Leeds University in 2004 and joined the team in 2010.", "dangling opener"),
    ("Jane Roe is a chartered surveyor and enjoys sailing with her grandchildren.", "staff bio"),
    # A testimonial, quoted or not.
    ("“Acme fixed our roof in a day and cleaned up after themselves.”", "testimonial or quoted words"),
    ("My husband and I were extremely pleased with the new roof.", "testimonial or quoted words"),
    # Contact lines, definitions, advice, calls to action.
    ("Unit 4, Dock Road, Maidstone, Kent ME14 5AB, telephone 01622 123456", "address or phone line"),
    ("A flat roof is a roof which is almost level, unlike a pitched roof.", "definition or general statement"),
    ("If you notice damp patches on a ceiling, call a roofer before winter.", "advice to the reader"),
    ("Call us today for a free, no-obligation roof survey anywhere in Kent.", "call to action"),
    ("Photos by Jo Smith Photography, used with permission of the owners.", "credit"),
    ("Plumbing, plumber, plumbers, plumbing supplies, Leeds plumber, emergency plumber", "keyword list"),
    ("$metaDescription Acme Roofing Ltd default description for this page goes here.", "placeholder"),
    # A bio after an opening clause: a first name doing what people do, though the company is named.
    ("Prior to Acme Roofing, Ken spent three years at Cisco in the Media Solutions Group.", "about a person"),
    ("From first survey to final tile, Molly is personally invested in each Acme Roofing client.",
     "about a person"),
    # The offer every trade makes, directions and opening hours: not facts about the company.
    ("We offer a no obligation quotation service that is absolutely free of charge.", "a sales offer (free quote)"),
    ("Our office is ten to 15 minutes walk from Maidstone East railway station.", "address or phone line"),
    ("We offer flexible weekend and late hours for homeowners who work during the week.",
     "address or phone line"),
])
def test_what_is_not_about_the_company_is_ruled_out_with_its_reason(sentence, reason):
    scored = rank.score(sentence, ACME)
    assert scored.score < SHOW and reason in scored.reasons, scored


def test_generic_event_words_are_not_events():
    # "customer", "team", "new" and "first" used to count as events.
    scored = rank.score("Our team always puts new customers first in everything we do.", ACME)
    assert scored.score < SHOW and "event" not in scored.reasons


def test_text_in_another_language_is_scored_only_by_what_holds_in_any_language():
    firm = names.company(["Müller & Söhne"])
    named = rank.score("Müller & Söhne eröffnete 2026 ein Büro in Zürich mit 40 Mitarbeitern.", firm, "de")
    unnamed = rank.score("Wir bieten seit vielen Jahren Dachreparaturen in ganz Bayern an.", firm, "de")
    assert named.score >= SHOW and "in de: scored by name, numbers and dates only" in named.reasons
    assert unnamed.score < SHOW  # no English vocabulary pretends to read it


# -- the site's own description ----------------------------------------------------------------------------
def test_a_good_description_is_kept_without_its_call_to_action():
    text, why = rank.description_fact("Looking for a roofer? Acme Roofing repairs and replaces roofs across Kent "
                                      "and East Sussex. Call us today on 01622 123456.", ACME)
    assert (text, why) == ("Acme Roofing repairs and replaces roofs across Kent and East Sussex.", "good")


@pytest.mark.parametrize("description, why", [
    ("Acme Roofing Ltd", "only the company's name"),
    ("Roofing, roofers, roof repair, roofing Kent, roofers Maidstone, roof repairs Kent", "a keyword list"),
    ("Roofers Kent | Roof Repair Maidstone | Flat Roofs | Slate Roofs | Acme Roofing", "a keyword list"),
    ("Quality roofing you can trust.", "under 8 words"),
    ("Hardwood flooring and stairs by Acme, serving New York for 25 years. We offer services such as floor "
     "sanding, staining and repair, plus installation of", "good"),
])
def test_a_description_is_filtered_when_it_is_only_a_name_a_keyword_list_or_short(description, why):
    text, reason = rank.description_fact(description, ACME)
    assert reason == why
    assert (text is None) == (why != "good")
    if text:  # a description the site itself cut off loses its unfinished tail
        assert text == "Hardwood flooring and stairs by Acme, serving New York for 25 years."


# -- extraction: old pages, dated items, languages --------------------------------------------------------
TABLE_PAGE = """<html><head><title>Acme Roofing Ltd</title></head><body>
<table width="760"><tr><td><a href="/">Home</a> | <a href="/about.htm">About</a> | <a href="/c.htm">Contact</a></td></tr>
<tr><td width="160"><img src="logo.gif"></td><td><font face="Arial" size="2">
<b>Welcome</b><br><br>
Acme Roofing Ltd has repaired and replaced roofs across Kent<br>since 1988 and employs 24 roofers.<br><br>
Call 01622 123456 for a free quote.</font></td></tr>
<tr><td colspan="2"><font size="1">Copyright 2014 Acme Roofing Ltd</font></td></tr></table></body></html>"""


def test_a_table_layout_page_gets_the_recall_pass_and_ranking_decides():
    # Precision mode alone finds (next to) nothing on such a page: that is what the fallback is for.
    assert sum(len(b.text) for b in precision_blocks(parse_tree(TABLE_PAGE), "http://acme.example/")) < 100
    result = page("http://acme.example/", TABLE_PAGE)
    assert result.extraction == "recall"
    assert [s.text for s in result.snippets] == [
        "Acme Roofing Ltd has repaired and replaced roofs across Kent since 1988 and employs 24 roofers."]


NEWS_PAGE = """<html lang="en"><head><title>News - Acme Roofing Ltd</title></head><body><main>
<h1>Latest news</h1>
<h2>Acme Roofing opens a depot in Ashford</h2><p class="date">March 3, 2024</p>
<p>Acme Roofing opened its third depot in Ashford, Kent, adding 8 roofers to the team.</p>
<h2>Acme wins a schools contract</h2><p class="date">14 November 2023</p>
<p>Acme Roofing signed a two-year contract to maintain the roofs of 12 Kent County Council schools.</p>
<h2>Apprentices qualify</h2><p class="date">2022-06-30</p>
<p>Acme Roofing celebrated as 5 of its apprentices qualified as roofers in June 2022 after three years.</p>
</main></body></html>"""


def test_each_dated_item_on_a_news_page_gets_its_own_date():
    result = page("http://acme.example/news", NEWS_PAGE, "news")
    dates = {s.text.split()[2]: s.published for s in result.snippets}
    assert dates == {"opened": "2024-03-03", "signed": "2023-11-14", "celebrated": "2022-06-30"}


GERMAN_PAGE = """<html><head><title>Müller & Söhne Dachbau</title>
<meta name="description" content="Müller & Söhne ist ein Dachdeckerbetrieb in München, gegründet 1952."></head>
<body><main><p>Müller & Söhne hat im Jahr 2024 einen zweiten Standort in Augsburg eröffnet und beschäftigt nun 40
Mitarbeiter.</p><p>Wir sind für Sie da, wenn es um Ihr Dach geht, und beraten Sie gerne persönlich.</p></main>
</body></html>"""


def research(server: LocalServer, name: str | None, **kw):
    options = ResearchOptions(name=name, url=server.base + "/", crawl_delay=0.0,
                              sources={"site": True, "feeds": False, "gdelt": False, "newsapi": False,
                                       "gnews": False, "sec": False}, **kw)
    return Researcher(options, fetcher=Fetcher(crawl_delay=0.0, deadline=5)).run()


def test_each_fact_carries_the_language_it_is_written_in():
    with LocalServer() as server:
        server.route("/", body=GERMAN_PAGE)  # no lang attribute: the text says German
        result = research(server, "Müller & Söhne")
    facts = {f.text: f for f in result.facts}
    assert facts["Müller & Söhne ist ein Dachdeckerbetrieb in München, gegründet 1952."].lang == "de"
    assert any(t.startswith("Müller & Söhne hat im Jahr 2024") and f.lang == "de" for t, f in facts.items())
    assert all(f.lang == "de" for f in result.facts)
    assert json.loads(json.dumps(result.to_json()))["facts"][0]["lang"] == "de"


# -- the order facts are shown in, and a site that isn't the company's ------------------------------------
HOME = """<html lang="en"><head><title>Acme Roofing Ltd | Kent roofers</title>
<meta name="description" content="Acme Roofing Ltd repairs and replaces flat and pitched roofs across Kent.">
</head><body><main>
<p>We are a family business and we put customers first.</p>
<p>Acme Roofing won the 2019 Kent Business Award for its apprenticeship scheme.</p>
<p>In 2021 we opened a second depot in Ashford and now employ 24 roofers.</p>
</main></body></html>"""


def test_the_site_description_comes_first_then_facts_by_usefulness():
    with LocalServer() as server:
        server.route("/", body=HOME)
        result = research(server, "Acme Roofing Ltd")
    texts = [f.text for f in result.facts if f.kind == "site"]
    assert texts[0] == "Acme Roofing Ltd repairs and replaces flat and pitched roofs across Kent."
    assert "We are a family business and we put customers first." not in texts  # nothing concrete
    assert len(texts) == 3
    scores = [f.score for f in result.facts if f.kind == "site"]
    assert scores == sorted(scores, reverse=True)
    assert not any(e.kind == "invalid-url" for e in result.errors)
    assert all(f.off_site is False and f.lang == "en" for f in result.facts)


def test_a_site_that_never_names_the_company_is_said_plainly_and_its_facts_kept_apart():
    with LocalServer() as server:
        server.route("/", body=HOME)
        result = research(server, "Contoso Freight")
    [notice] = [e for e in result.errors if "Contoso Freight" in e.message]
    assert notice.source == "site" and "does not mention Contoso Freight" in notice.message
    assert result.facts and all(f.off_site for f in result.facts)
    # The facts are still there, for the rep to judge.
    assert any("Kent Business Award" in f.text for f in result.facts)


DEAD_CATALOGUE = """<html><head><title>Acme Roofing Ltd</title></head><body><main>
<p>Acme Roofing Ltd repairs and replaces flat and pitched roofs across Kent for schools and churches.</p>
<ul>{products}</ul><p><a href="/the-workshop.html">Our workshop</a></p></main></body></html>"""
WORKSHOP = """<html><head><title>Our workshop</title></head><body><main>
<p>Acme Roofing opened its lead-working workshop in Maidstone in 1996 and now employs 24 roofers.</p>
</main></body></html>"""


def test_a_section_of_dead_links_does_not_use_up_the_pages_tried():
    # Twenty product links that all 404 (an old catalogue) and one working page of no category after them.
    products = "".join(f'<li><a href="/products/slate-{i}.html">Slate {i}</a></li>' for i in range(20))
    with LocalServer() as server:
        server.route("/", body=DEAD_CATALOGUE.format(products=products))
        server.route("/the-workshop.html", body=WORKSHOP)
        result = research(server, "Acme Roofing Ltd", max_pages=3)
    assert any(p["url"].endswith("/the-workshop.html") for p in result.pages)
    assert any("workshop in Maidstone in 1996" in f.text for f in result.facts)
    dead = [e for e in result.errors if "/products/" in e.url]
    assert len(dead) == 3  # then the rest of the dead section is skipped


# -- the real business pages (../shared/corpus/business) -------------------------------------------------
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "business"
LABELS = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "research_labels.jsonl"


def test_every_real_home_page_yields_a_sentence_old_table_layouts_included():
    if not CORPUS.is_dir():
        skip_or_fail(f"the business corpus is missing at {CORPUS}")
    silent = []
    for home in sorted(CORPUS.glob("*/index.html")):
        blocks, _ = page_blocks(parse_tree(home.read_bytes()), "http://127.0.0.1/")
        if not any(len(b.text.split()) >= 6 for b in blocks):
            silent.append(home.parent.name)
    assert silent == []


def test_the_labels_are_well_formed():
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) > 300
    for row in rows:
        assert set(row) == {"site", "text", "label", "why"} and row["label"] in ("CITABLE", "weak", "NOT")
        assert row["text"] and len(row["why"]) >= 5


# -- facts written from a page's structure (structure.py) -------------------------------------------------
def thin(head: str, body: str) -> str:
    """A page that says what it does only in its title, headings or menus."""
    return f"<html lang='en'><head><title>{head}</title></head><body>{body}<p>Welcome!</p></body></html>"


def test_a_title_beside_the_company_name_gives_a_fact():
    got = page("http://127.0.0.1/", thin("Acme Homes | Custom Home Builder in Wisconsin", ""), company="Acme Homes")
    assert got.structure == ("Acme Homes: Custom Home Builder in Wisconsin.",)
    # A title that is only a page's name, or only the company's, gives none.
    for title in ("Contact Us | Acme Homes", "Acme Homes", "About Us - Acme Homes", "Acme Homes | Home"):
        assert page("http://127.0.0.1/", thin(title, ""), company="Acme Homes").structure == ()


def test_a_labelled_list_of_service_lines_gives_a_fact_navigation_left_out():
    menu = """<ul><li><a href="/">Home</a></li><li><a href="/s">Services</a><ul>
      <li><a href="/a">Roof Repair</a></li><li><a href="/b">Gutter Installation</a></li>
      <li><a href="/c">Skylights</a></li><li><a href="/d">FAQ</a></li><li><a href="/e">Contact Us</a></li></ul></li>
      <li><a href="/about">About</a></li><li><a href="/blog">Blog</a></li></ul>"""
    got = page("http://127.0.0.1/", thin("Acme Roofing Ltd", menu))
    assert got.structure == ("Acme Roofing Ltd offers Roof Repair, Gutter Installation and Skylights.",)
    # The same under an "Our Services" heading, as subheadings of its section.
    section = """<section><h2>Our Services</h2><h3>Flat Roofs</h3><p>x</p><h3>Lead Work</h3><h3>Chimney Repairs</h3>
      </section><h2>Latest news</h2><h3>We moved</h3>"""
    got = page("http://127.0.0.1/", thin("Acme Roofing Ltd", section))
    assert got.structure == ("Acme Roofing Ltd offers Flat Roofs, Lead Work and Chimney Repairs.",)


def test_a_list_of_navigation_words_or_an_unlabelled_list_gives_nothing():
    nav = """<ul><li><a href="/">Home</a></li><li><a href="/s">Services</a><ul><li><a href="/a">Gallery</a></li>
      <li><a href="/b">Testimonials</a></li><li><a href="/c">Resources</a></li><li><a href="/d">Portfolio</a></li>
      </ul></li></ul>
      <ul><li>Roof Repair</li><li>Gutter Installation</li><li>Skylights</li></ul>"""
    assert page("http://127.0.0.1/", thin("Acme Roofing Ltd", nav)).structure == ()


def test_a_locations_list_gives_a_fact():
    body = "<h2>Our Locations</h2><ul><li>Austin</li><li>Dallas</li><li>Houston</li><li>Contact Us</li></ul>"
    got = page("http://127.0.0.1/", thin("Acme Dental", body), company="Acme Dental")
    assert got.structure == ("Acme Dental has locations in Austin, Dallas and Houston.",)


@pytest.mark.parametrize("title", [
    "Roofers Leeds | Roof Repair Leeds | Acme Roofing Ltd | Cheap Roofers",  # the same words again and again
    "Acme Roofing Ltd | Roofing, Roofers, Roof, Gutters, Fascias, Soffits, Leeds",  # a run of terms
    "Acme Roofing Ltd | Call us today for a free quote",  # a call to action
    "Acme Roofing Ltd | The best roofing company you can trust",  # claims to the reader
])
def test_a_keyword_stuffed_or_pitching_title_is_rejected(title):
    assert page("http://127.0.0.1/", thin(title, "")).structure == ()


def test_structure_facts_come_only_when_sentences_are_few_and_rank_after_them():
    with LocalServer() as server:
        server.route("/", body=thin("Acme Homes | Custom Home Builder in Wisconsin",
                                    "<p>Acme Homes has built over 300 homes in Madison since 1988.</p>"))
        result = research(server, "Acme Homes")
    texts = [f.text for f in result.facts if f.kind == "site"]
    assert texts == ["Acme Homes has built over 300 homes in Madison since 1988.",
                     "Acme Homes: Custom Home Builder in Wisconsin."]
    derived = result.facts[1]
    assert derived.lang == "en" and derived.score < rank.SHOW_AT <= result.facts[0].score
    with LocalServer() as server:  # a page whose sentences give three facts needs none
        server.route("/", body=thin("Acme Homes | Custom Home Builder in Wisconsin", "".join(
            f"<p>Acme Homes {s}</p>" for s in ("has built over 300 homes in Madison since 1988.",
                                                "won the 2019 Wisconsin Builder of the Year award.",
                                                "opened a second office in Green Bay in 2021."))))
        result = research(server, "Acme Homes")
    assert not any(f.text.startswith("Acme Homes:") for f in result.facts)
