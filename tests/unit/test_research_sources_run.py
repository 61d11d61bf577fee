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
