"""Whole research runs with the registry's sources: a careers page that embeds a job board yields
hiring facts, next to the site's own; sources that need something from the rep say so and the run goes
on. Job boards are served by tests/fixtures/job_boards.py in their documented shapes."""
import json

import pytest

from app.research.fetcher import Fetcher
from app.research.pipeline import ResearchOptions, Researcher
from tests.fixtures.http_server import LocalServer
from tests.fixtures.job_boards import JobBoards

EMBED = {
    "greenhouse": '<div id="grnhse_app"></div><script src="https://boards.greenhouse.io/embed/job_board/js?for=tallgrass">'
                  '</script>',
    "lever": '<p>See <a href="https://jobs.lever.co/tallgrass">all our openings</a>.</p>',
    "ashby": '<iframe src="https://jobs.ashbyhq.com/tallgrass/embed" title="Jobs"></iframe>',
}


def page(title: str, body: str) -> bytes:
    return (f"<!doctype html><html lang='en'><head><title>{title}</title></head><body><main>{body}</main>"
            "</body></html>").encode()


@pytest.fixture
def boards(monkeypatch, no_gdelt_spacing):
    with LocalServer() as server:
        served = JobBoards(server)
        for key, value in served.env().items():
            monkeypatch.setenv(key, value)
        yield served


@pytest.mark.parametrize("ats", sorted(EMBED))
def test_a_careers_page_that_embeds_a_job_board_yields_hiring_facts(boards, ats):
    with LocalServer() as site:
        site.route("/", body=page("Tallgrass Mills", "<p>Tallgrass Mills has milled grain in Omaha since 1921.</p>"
                                  "<a href='/careers'>Careers</a>"))
        site.route("/careers", body=page("Careers at Tallgrass Mills", "<h1>Work with us</h1><p>Our mills in Omaha "
                                         "and Lincoln run around the clock, and so do our teams.</p>" + EMBED[ats]))
        sources = {"site": True, "feeds": False, "gdelt": False, "sec": False}
        opts = ResearchOptions(name="Tallgrass Mills", url=site.base + "/", sources=sources, crawl_delay=0.0)
        result = Researcher(opts, fetcher=Fetcher(crawl_delay=0.0, deadline=5)).run()
    hiring = [f for f in result.facts if f.kind == "hiring"]
    assert hiring and hiring[0].text.startswith("Tallgrass Mills lists ") and "open role" in hiring[0].text
    assert all(f.source_url.startswith("https://") for f in hiring)  # the board's public page, not the API
    assert boards.hits(ats, "tallgrass") == 1
    assert any(f.kind == "site" for f in result.facts) and result.errors == []


def test_a_board_on_a_site_that_never_names_the_prospect_is_kept_apart(boards):
    with LocalServer() as site:
        site.route("/", body=page("Prairie Feed Co", "<p>Prairie Feed Co has sold feed in Lincoln since 1950.</p>"
                                  "<a href='/careers'>Careers</a>"))
        site.route("/careers", body=page("Careers at Prairie Feed Co", "<p>Our Lincoln store is hiring.</p>"
                                         + EMBED["greenhouse"]))
        sources = {"site": True, "feeds": False, "gdelt": False, "sec": False}
        opts = ResearchOptions(name="Tallgrass Mills", url=site.base + "/", sources=sources, crawl_delay=0.0)
        result = Researcher(opts, fetcher=Fetcher(crawl_delay=0.0, deadline=5)).run()
    hiring = [f for f in result.facts if f.kind == "hiring"]
    assert hiring and all(f.off_site for f in hiring)  # shown apart, like the site's own facts
    assert any(e.kind == "wrong-site" for e in result.errors)


def test_job_posting_json_ld_on_the_careers_page_is_a_hiring_fact(no_gdelt_spacing):
    posting = {"@context": "https://schema.org", "@type": "JobPosting", "title": "Mill Operator",
               "datePosted": "2026-11-12", "hiringOrganization": {"@type": "Organization", "name": "Tallgrass Mills"},
               "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Omaha",
                                                             "addressRegion": "NE"}}}
    with LocalServer() as site:
        site.route("/", body=page("Tallgrass Mills", "<p>Tallgrass Mills has milled grain in Omaha since 1921.</p>"
                                  "<a href='/careers'>Careers</a>"))
        site.route("/careers", body=page("Careers at Tallgrass Mills",
                                         f"<script type='application/ld+json'>{json.dumps(posting)}</script>"
                                         "<h2>Mill Operator</h2><p>Join the night shift.</p>"))
        opts = ResearchOptions(name="Tallgrass Mills", url=site.base + "/",
                               sources={"feeds": False, "gdelt": False, "sec": False}, crawl_delay=0.0)
        result = Researcher(opts, fetcher=Fetcher(crawl_delay=0.0, deadline=5)).run()
    [fact] = [f for f in result.facts if f.kind == "hiring"]
    assert "Mill Operator" in fact.text and fact.source_url == site.base + "/careers"
    # schema.org's datePosted is the role's date.
    assert "2026-11-12" in fact.text and fact.published == "2026-11-12"


def test_openings_each_on_its_own_page_are_one_listing_not_a_fact_per_page(no_gdelt_spacing):
    def posting(title, day):
        return {"@context": "https://schema.org", "@type": "JobPosting", "title": title, "datePosted": day,
                "hiringOrganization": {"@type": "Organization", "name": "Tallgrass Mills"},
                "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Omaha"}}}

    roles = [("Mill Operator", "2026-11-12"), ("Grain Buyer", "2026-11-10")]
    with LocalServer() as site:
        site.route("/", body=page("Tallgrass Mills", "<p>Tallgrass Mills has milled grain in Omaha since 1921.</p>"
                                  "<a href='/careers/mill-operator'>Mill Operator</a>"
                                  "<a href='/careers/grain-buyer'>Grain Buyer</a>"))
        for (title, day), path in zip(roles, ("/careers/mill-operator", "/careers/grain-buyer")):
            site.route(path, body=page(f"{title} at Tallgrass Mills",
                                       f"<script type='application/ld+json'>{json.dumps(posting(title, day))}</script>"
                                       f"<h2>{title}</h2><p>Join our team in Omaha.</p>"))
        opts = ResearchOptions(name="Tallgrass Mills", url=site.base + "/",
                               sources={"feeds": False, "gdelt": False, "sec": False}, crawl_delay=0.0)
        result = Researcher(opts, fetcher=Fetcher(crawl_delay=0.0, deadline=5)).run()
    hiring = [f.text for f in result.facts if f.kind == "hiring"]
    assert hiring and hiring[0].startswith("Tallgrass Mills lists 2 open roles"), hiring
    assert not any("lists one open role" in text for text in hiring), hiring


def _careers_run(careers_body: str):
    """A run over a two-page site whose careers page is careers_body; job boards as tests/fixtures/job_boards.py."""
    with LocalServer() as site:
        site.route("/", body=page("Tallgrass Mills", "<p>Tallgrass Mills has milled grain in Omaha since 1921.</p>"
                                  "<a href='/careers'>Careers</a>"))
        site.route("/careers", body=page("Careers at Tallgrass Mills", "<h1>Work with us</h1><p>Our mills in Omaha "
                                         "and Lincoln run around the clock, and so do our teams.</p>" + careers_body))
        opts = ResearchOptions(name="Tallgrass Mills", url=site.base + "/", crawl_delay=0.0,
                               sources={"site": True, "feeds": False, "gdelt": False, "sec": False})
        return Researcher(opts, fetcher=Fetcher(crawl_delay=0.0, deadline=5)).run()


def test_a_board_the_careers_page_reads_from_its_own_script_yields_hiring_facts(boards):
    result = _careers_run('<ul id="jobs"></ul><script>fetch("https://api.lever.co/v0/postings/tallgrass?mode=json")'
                          '.then(r => r.json()).then(showJobs);</script>')
    hiring = [f for f in result.facts if f.kind == "hiring"]
    assert hiring[0].text.startswith("Tallgrass Mills lists 3 open roles") and "(Lever, " in hiring[0].text
    assert hiring[0].source_url == "https://jobs.lever.co/tallgrass" and boards.hits("lever", "tallgrass") == 1
    assert result.errors == []


@pytest.mark.parametrize("token, kind, words", [
    ("nosuch", "http-status", "Greenhouse has no public job board named “nosuch”; the link to it on "),
    ("busy", "rate-limited", "Greenhouse job boards says Earned has asked too often: Too many requests."),
])
def test_a_failing_embedded_board_is_one_plain_problem_and_the_site_s_facts_stay(boards, token, kind, words):
    from app.research.sources import api

    api.reset()  # (a 429 rests the source for the whole process: no other test may inherit that)
    try:
        result = _careers_run(f'<script src="https://boards.greenhouse.io/embed/job_board/js?for={token}"></script>')
    finally:
        api.reset()
    [error] = result.errors
    assert (error.source, error.kind) == ("greenhouse", kind)
    assert error.message.startswith(words) and "\n" not in error.message and "Traceback" not in error.message
    assert "/v1/boards" not in error.message  # the board's page, never its API's address
    assert [f for f in result.facts if f.kind == "site"] and not [f for f in result.facts if f.kind == "hiring"]
    assert boards.hits("greenhouse", token) == 1


@pytest.mark.parametrize("token, expected", [
    ("tallgrass", "Tallgrass Mills lists 5 open roles"),  # the board's count, every role...
    ("nosuch", "Tallgrass Mills lists one open role: Mill Operator"),  # ...else the page's own posting
])
def test_a_careers_page_with_a_board_and_job_postings_gives_one_count(boards, token, expected):
    posting = {"@context": "https://schema.org", "@type": "JobPosting", "title": "Mill Operator",
               "datePosted": "2026-11-12", "hiringOrganization": {"@type": "Organization", "name": "Tallgrass Mills"}}
    result = _careers_run(f"<script type='application/ld+json'>{json.dumps(posting)}</script>"
                          f'<script src="https://boards.greenhouse.io/embed/job_board/js?for={token}"></script>')
    counts = [f.text for f in result.facts if f.kind == "hiring" and " lists " in f.text]
    assert len(counts) == 1 and counts[0].startswith(expected), counts


def test_sec_without_a_contact_is_skipped_with_what_to_do_and_the_rest_goes_on(no_gdelt_spacing):
    with LocalServer() as site:
        site.route("/", body=page("Tallgrass Mills", "<p>Tallgrass Mills has milled grain in Omaha since 1921.</p>"))
        opts = ResearchOptions(name="Tallgrass Mills", url=site.base + "/",
                               sources={"feeds": False, "gdelt": False}, crawl_delay=0.0)
        result = Researcher(opts, fetcher=Fetcher(crawl_delay=0.0, deadline=5)).run()
    [error] = result.errors
    assert (error.source, error.kind) == ("sec", "needs-setting")
    assert "Settings > Research" in error.message
    assert [f.text for f in result.facts if f.kind == "site"]


ARTICLE = """<!doctype html><html lang="en"><head><title>Tallgrass Mills buys Lincoln grain terminal | Grain Daily</title>
<meta property="og:title" content="Tallgrass Mills buys Lincoln grain terminal"></head><body>
<nav><a href="/">Grain Daily</a> <a href="/markets">Markets</a></nav>
<article><h1>Tallgrass Mills buys Lincoln grain terminal</h1><p class="byline">By Dana Ruiz, November 12, 2026</p>
<p>Tallgrass Mills has bought the Lincoln grain terminal from Prairie Co-op for $18 million, adding 4 million bushels
of storage ahead of the spring harvest.</p>
<p>The deal closed on Tuesday, according to a filing with the county. Prairie Co-op will keep its Omaha elevators.</p>
<p>Analysts expect more consolidation in the region as smaller co-ops struggle with costs.</p></article>
<footer>Subscribe to Grain Daily for more.</footer></body></html>"""


def test_a_news_item_becomes_a_quote_from_its_article_with_a_snapshot(no_gdelt_spacing):
    import hashlib
    from datetime import datetime

    with LocalServer() as news:
        news.route("/story", body=ARTICLE.encode())
        news.route("/gdelt", content_type="application/json", body=json.dumps({"articles": [
            {"url": news.base + "/story", "title": "Tallgrass Mills buys Lincoln grain terminal",
             "seendate": "20261112T101500Z", "domain": "graindaily.example"}]}))
        news.route("/missing-story-gdelt", content_type="application/json", body=json.dumps({"articles": [
            {"url": news.base + "/gone", "title": "Tallgrass Mills wins award", "seendate": "20261112T101500Z",
             "domain": "graindaily.example"}]}))
        opts = ResearchOptions(name="Tallgrass Mills", sources={"site": False, "feeds": False, "sec": False},
                               endpoints={"gdelt": news.base + "/gdelt"}, crawl_delay=0.0)
        result = Researcher(opts, fetcher=Fetcher(crawl_delay=0.0, deadline=5)).run()
        [fact] = [f for f in result.facts if f.kind == "news"]
        assert fact.text.startswith("Tallgrass Mills has bought the Lincoln grain terminal from Prairie Co-op for "
                                    "$18 million")
        assert fact.source_title == "Tallgrass Mills buys Lincoln grain terminal"  # the headline is the title
        assert fact.source_url == news.base + "/story"
        snap = fact.snapshot
        assert snap.quote == fact.text and snap.url == news.base + "/story"
        assert datetime.fromisoformat(snap.retrieved_at).tzinfo is not None  # when it was read, in UTC
        assert len(snap.sha256) == 64 and int(snap.sha256, 16) >= 0
        assert snap.sha256 != hashlib.sha256(fact.text.encode()).hexdigest()  # of the article read, not the quote
        # An article that can't be read leaves the headline as the fact.
        opts.endpoints = {"gdelt": news.base + "/missing-story-gdelt"}
        result = Researcher(opts, fetcher=Fetcher(crawl_delay=0.0, deadline=5)).run()
        [fact] = [f for f in result.facts if f.kind == "news"]
        assert fact.text == "Tallgrass Mills wins award" and fact.snapshot is None


def test_a_public_company_yields_filing_facts_in_a_research_run(no_gdelt_spacing, monkeypatch, tmp_path):
    from datetime import date, timedelta

    from tests.fixtures.sec_server import Company, Filing, SecServer

    monkeypatch.setenv("EARNED_CACHE_DIR", str(tmp_path / "cache"))
    filed = (date.today() - timedelta(days=10)).isoformat()
    tallgrass = Company(1234567, "TGM", "TALLGRASS MILLS INC", filings=[
        Filing("0001234567-26-000050", filed, "8-K", "tgm-8k.htm", filed, "5.02")])
    with SecServer([tallgrass]) as sec:
        opts = ResearchOptions(name="Tallgrass Mills", sources={"site": False, "feeds": False, "gdelt": False},
                               endpoints={"sec": sec.base}, contact="Pat Rep pat@example.com", crawl_delay=0.0)
        result = Researcher(opts, fetcher=Fetcher(crawl_delay=0.0, deadline=5)).run()
    filings = [f for f in result.facts if f.kind == "filing"]
    assert any(f"filed an 8-K on {filed}: 5.02 executive change." in f.text for f in filings), filings
    assert all(f.source_url.startswith("https://www.sec.gov/") for f in filings)
    assert all("pat@example.com" in agent for _, agent, _ in sec.requests) and result.errors == []
