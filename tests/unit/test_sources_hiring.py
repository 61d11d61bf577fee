"""Hiring signals: the job board a careers page uses, each board's API on 127.0.0.1 in its documented
shape, the facts a rep reads, the errors a rep reads, and JobPosting JSON-LD on the company's own pages.

The job-board APIs ask to be called at most once a second; a fake clock stands in for time, so the
spacing is kept (and checked) without any test waiting.
"""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from app.research import rank
from app.research.errors import FetchError
from app.research.extract import analyze_page
from app.research.fetcher import Fetched, Fetcher
from app.research.htmltree import parse_tree
from app.research.sources import api, source
from app.research.sources.base import Board, SourceContext
from app.research.sources.boards import board_from_url, detect
from app.research.sources.hiring import jobposting_facts
from app.research.worker import ParseWorker
from tests.fixtures.fake_clock import FakeClock
from tests.fixtures.http_server import LocalServer
from tests.fixtures.job_boards import TOKENS, JobBoards

CAREERS = "https://tallgrassmills.example/careers"


@pytest.fixture(autouse=True)
def _fresh_spacing():
    api.reset()  # one test's requests must not make the next one's wait
    yield
    api.reset()


@pytest.fixture
def boards(monkeypatch):
    with LocalServer() as server:
        served = JobBoards(server)
        for key, value in served.env().items():
            monkeypatch.setenv(key, value)
        yield served


def run(name: str, *tokens: str, company: str = "Tallgrass Mills", clock: FakeClock | None = None):
    ctx = SourceContext(source(name), Fetcher(crawl_delay=0.0, deadline=5.0), company,
                        boards=[Board(name, t, CAREERS) for t in tokens], clock=clock or FakeClock())
    return source(name).load().fetch(ctx)


def texts(facts) -> list[str]:
    return [f.text for f in facts]


# -- which board a careers page uses ----------------------------------------------------------------------
CAREERS_HTML = """<!doctype html><html lang="en"><head><title>Careers | Tallgrass Mills</title>
<script src="https://boards.greenhouse.io/embed/job_board/js?for=tallgrass"></script>
<link rel="preconnect" href="https://jobs.lever.co">
</head><body>
<nav><a href="/">Home</a> <a href="/about">About</a>
<a href="https://www.linkedin.com/company/tallgrass">LinkedIn</a></nav>
<main><h1>Work with us</h1>
<p>See every opening on <a href="https://boards.greenhouse.io/tallgrass">our job board</a>, or
<a href="https://boards.greenhouse.io/tallgrass/jobs/4011?gh_src=site">our newest role</a>.</p>
<div id="grnhse_app"></div>
<iframe src="https://boards.greenhouse.io/embed/job_board?for=tallgrassfarms&amp;b=https%3A%2F%2Ftallgrassmills.example"
        title="Farm jobs"></iframe>
<p>Trading desk: <a href="https://jobs.lever.co/tallgrass-trading/5ac21346?lever-source=site">Grain Merchandiser</a>.
Plants: <a href="https://jobs.ashbyhq.com/TallgrassPlants">Ashby</a>,
quality: <a href="https://apply.workable.com/tallgrass/j/TALL001/">QA Lead</a>,
mills: <a href="//jobs.smartrecruiters.com/TallgrassMills/744000012345-flour-mill-shift-supervisor">Supervisor</a>,
bakery: <a href="https://tallgrass.recruitee.com/o/bakery-sales-representative">Sales</a>.</p>
<p>Not boards: <a href="https://jobs.lever.co/">Lever</a>, <a href="https://boards.greenhouse.io/embed/job_board">a bare
embed</a>, <a href="https://apply.workable.com/j/TALL001">a short link</a>,
<a href="https://career.recruitee.com/docs">Recruitee's docs</a>,
<a href="https://www.smartrecruiters.com/">SmartRecruiters</a>,
<a href="https://jobs.ashbyhq.com/%3Cscript%3E">junk</a>, <a href="mailto:jobs@tallgrassmills.example">email us</a>.</p>
</main></body></html>"""


def test_boards_are_found_in_links_iframes_and_scripts_each_once_in_page_order():
    found = detect(parse_tree(CAREERS_HTML), CAREERS)
    assert [(b.ats, b.token) for b in found] == [
        ("greenhouse", "tallgrass"),  # the script embed in <head>; the two links repeat it
        ("greenhouse", "tallgrassfarms"),  # the iframe embed
        ("lever", "tallgrass-trading"),
        ("ashby", "TallgrassPlants"),
        ("workable", "tallgrass"),
        ("smartrecruiters", "TallgrassMills"),
        ("recruitee", "tallgrass"),
    ]
    assert {b.found_on for b in found} == {CAREERS}


@pytest.mark.parametrize("url, board", [
    ("https://job-boards.greenhouse.io/tallgrass", ("greenhouse", "tallgrass")),
    ("https://boards.greenhouse.io/embed/job_app?for=tallgrass&token=4011", ("greenhouse", "tallgrass")),
    ("https://boards-api.greenhouse.io/v1/boards/tallgrass/jobs", ("greenhouse", "tallgrass")),
    ("https://careers.smartrecruiters.com/TallgrassMills", ("smartrecruiters", "TallgrassMills")),
    ("https://jobs.smartrecruiters.com/oneclick-ui/company/TallgrassMills/publication/1",
     ("smartrecruiters", "TallgrassMills")),
    ("https://boards.greenhouse.io/embed/job_board/js", None),
    ("https://jobs.lever.co/search", None),
    ("https://a.b.recruitee.com/", None),
    ("https://boards.greenhouse.io.evil.example/tallgrass", None),
    ("ftp://jobs.lever.co/tallgrass", None),
])
def test_one_address_names_a_board_or_none(url, board):
    found = board_from_url(url)
    assert ((found.ats, found.token) if found else None) == board


@pytest.mark.parametrize("url, board", [
    # Lever's and Greenhouse's EU instances: only their EU APIs know these boards.
    ("https://jobs.eu.lever.co/tallgrass/5ac21346", ("lever", "tallgrass", "eu")),
    ("https://api.eu.lever.co/v0/postings/tallgrass?mode=json", ("lever", "tallgrass", "eu")),
    ("https://job-boards.eu.greenhouse.io/tallgrass", ("greenhouse", "tallgrass", "eu")),
    ("https://job-boards.eu.greenhouse.io/embed/job_board?for=tallgrass", ("greenhouse", "tallgrass", "eu")),
    ("https://boards-api.eu.greenhouse.io/v1/boards/tallgrass/jobs", ("greenhouse", "tallgrass", "eu")),
    # The boards' APIs, as a page's own script asks them.
    ("https://api.lever.co/v0/postings/tallgrass?mode=json", ("lever", "tallgrass", "")),
    ("https://api.ashbyhq.com/posting-api/job-board/tallgrass?includeCompensation=true", ("ashby", "tallgrass", "")),
    ("https://api.smartrecruiters.com/v1/companies/TallgrassMills/postings", ("smartrecruiters", "TallgrassMills", "")),
    ("https://apply.workable.com/api/v1/widget/accounts/tallgrass", ("workable", "tallgrass", "")),
    ("https://apply.workable.com/api/v3/accounts/tallgrass/jobs", ("workable", "tallgrass", "")),
    ("https://www.workable.com/api/accounts/tallgrass", ("workable", "tallgrass", "")),
    # Workable's old-style boards, but not its own sites.
    ("https://tallgrass.workable.com/", ("workable", "tallgrass", "")),
    ("https://help.workable.com/hc/en-us", None),
    ("https://resources.workable.com/job-descriptions", None),
    ("https://api.lever.co/v1/postings", None),
    ("https://api.ashbyhq.com/posting-api/job-board/", None),
    ("https://jobs.eu.lever.co/", None),
])
def test_eu_instances_and_board_apis_name_a_board(url, board):
    found = board_from_url(url)
    assert ((found.ats, found.token, found.region) if found else None) == board


INLINE_CAREERS = """<!doctype html><html><head><title>Careers | Tallgrass Mills</title>
<script>window.dataLayer = window.dataLayer || [];</script></head><body><main><h1>Open roles</h1><ul id="jobs"></ul>
<script>
  fetch("https://api.lever.co/v0/postings/tallgrass?mode=json").then(r => r.json()).then(show);
</script>
<script>var config = {"ashby": "https:\\/\\/api.ashbyhq.com\\/posting-api\\/job-board\\/TallgrassPlants"};</script>
<script type="text/template">https://jobs.lever.co/tallgrass</script>
</main></body></html>"""


def test_boards_a_page_reads_from_its_own_scripts_are_found():
    found = detect(parse_tree(INLINE_CAREERS), CAREERS)
    assert [(b.ats, b.token) for b in found] == [("lever", "tallgrass"), ("ashby", "TallgrassPlants")]


def test_a_huge_inline_script_is_read_only_in_part():
    script = "var x = 1;" * 30_000 + 'fetch("https://api.lever.co/v0/postings/late")'
    page = f"<html><body><script>{script}</script></body></html>"
    assert detect(parse_tree(page), CAREERS) == []


def test_a_lever_eu_board_is_read_from_lever_s_eu_api_and_cites_the_eu_board(boards):
    ctx = SourceContext(source("lever"), Fetcher(crawl_delay=0.0, deadline=5.0), "Tallgrass Mills", clock=FakeClock(),
                        boards=[Board("lever", "tallgrass", CAREERS, "eu")])
    facts = source("lever").load().fetch(ctx)
    assert facts[0].text == ("Tallgrass Mills lists 3 open roles, 2 in Commercial in Kearney (Lever, newest posted "
                             "2026-11-15).")
    assert facts[0].source_url == "https://jobs.eu.lever.co/tallgrass"
    assert facts[1].source_url == "https://jobs.eu.lever.co/tallgrass/5ac21346-8e0c-4494-8e7a-3eb92ff77902"
    assert boards.hits("lever", "tallgrass", "eu") == 1 and boards.hits("lever", "tallgrass") == 0


def test_a_greenhouse_eu_board_is_read_from_greenhouse_s_eu_api(boards):
    ctx = SourceContext(source("greenhouse"), Fetcher(crawl_delay=0.0, deadline=5.0), "Tallgrass Mills",
                        clock=FakeClock(), boards=[Board("greenhouse", "tallgrass", CAREERS, "eu")])
    facts = source("greenhouse").load().fetch(ctx)
    assert facts[0].text.startswith("Tallgrass Mills lists 5 open roles, 3 in Engineering in Omaha")
    assert facts[0].source_url == "https://job-boards.eu.greenhouse.io/tallgrass"
    assert boards.hits("greenhouse", "tallgrass", "eu") == 1 and boards.hits("greenhouse", "tallgrass") == 0


def test_the_eu_address_can_be_set_in_settings_and_defaults_to_the_eu_api(monkeypatch):
    monkeypatch.delenv("EARNED_LEVER_EU_URL", raising=False)
    lever = source("lever")
    assert lever.base_url({}, "eu") == "https://api.eu.lever.co"
    assert lever.base_url({"lever_eu": "http://127.0.0.1:9/eu/"}, "eu") == "http://127.0.0.1:9/eu"
    assert source("ashby").base_url({}, "eu") == source("ashby").base_url({})  # no EU instance: the one API


# -- each board's API in its documented shape --------------------------------------------------------------
def test_greenhouse_summary_and_notable_roles(boards):
    facts = run("greenhouse", "tallgrass")
    assert texts(facts) == [
        "Tallgrass Mills lists 5 open roles, 3 in Engineering in Omaha (Greenhouse, updated 2026-11-18).",
        "Tallgrass Mills is hiring a Head of Sales in Lincoln (Greenhouse, updated 2026-11-10).",
        "Tallgrass Mills is hiring a Senior Data Engineer in Omaha (Greenhouse, posted 2026-11-18).",
        "Tallgrass Mills has 2 openings for Backend Engineer in Omaha (Greenhouse, updated 2026-11-02).",
        "Tallgrass Mills is hiring a Mill Operator in Grand Island (Greenhouse, updated 2026-09-01).",
    ]
    summary, head = facts[0], facts[1]
    # Cited: the board's public page and each role's own page, never the API on 127.0.0.1.
    assert summary.source_url == "https://boards.greenhouse.io/tallgrass"
    assert head.source_url == "https://boards.greenhouse.io/tallgrass/jobs/4015"
    assert all(f.kind == "hiring" and f.lang == "en" and not f.off_site for f in facts)
    assert summary.published == "2026-11-18" and summary.source_title == "Jobs at Tallgrass Mills (Greenhouse)"


def test_a_greenhouse_board_too_big_with_its_descriptions_is_read_without_them(boards):
    # The API answer's limit, small here: "huge" sends 2.5 MB of descriptions with content=true.
    fetcher = Fetcher(crawl_delay=0.0, deadline=5.0, feed_max_bytes=1024 * 1024)
    ctx = SourceContext(source("greenhouse"), fetcher, "Tallgrass Mills", boards=[Board("greenhouse", "huge", CAREERS)],
                        clock=FakeClock())
    facts = source("greenhouse").load().fetch(ctx)
    # The same facts as the board read whole (teams from the departments; posted dates from the jobs).
    assert texts(facts) == texts(run("greenhouse", "tallgrass"))
    assert texts(facts)[0] == ("Tallgrass Mills lists 5 open roles, 3 in Engineering in Omaha (Greenhouse, updated "
                               "2026-11-18).")
    asked = [path for _, path, _ in boards.server.log if "/boards/huge/" in path]
    assert asked == ["/greenhouse/v1/boards/huge/jobs?content=true", "/greenhouse/v1/boards/huge/jobs",
                     "/greenhouse/v1/boards/huge/departments"]


def test_fresh_hiring_ranks_like_fresh_news_and_old_roles_still_show(boards):
    facts = run("greenhouse", "tallgrass")
    age = {f.text.split(" (")[0]: (date.today() - date.fromisoformat(f.published)).days for f in facts}
    for fact in facts:
        days = age[fact.text.split(" (")[0]]
        fresh = 10.0 if days <= 30 else 8.0 if days <= 90 else 6.0 if days <= 365 else rank.SHOW_AT
        expected = fresh if fact is facts[0] else max(rank.SHOW_AT, fresh - 1.0)  # the summary first
        assert fact.score == expected
    assert min(f.score for f in facts) >= rank.SHOW_AT


def test_lever(boards):
    assert texts(run("lever", "tallgrass")) == [
        "Tallgrass Mills lists 3 open roles, 2 in Commercial in Kearney (Lever, newest posted 2026-11-15).",
        "Tallgrass Mills is hiring a Grain Merchandiser in Kearney (Lever, posted 2026-11-15).",
        "Tallgrass Mills is hiring a Commodity Analyst in Kearney (Lever, posted 2026-11-05).",
        "Tallgrass Mills is hiring a Field Agronomist, remote (Lever).",  # a date that isn't one is left out
    ]
    # A hostedUrl that is not a web page is never cited: the board is.
    assert run("lever", "tallgrass")[-1].source_url == "https://jobs.lever.co/tallgrass"


def test_ashby_counts_only_listed_roles(boards):
    assert texts(run("ashby", "tallgrass")) == [
        "Tallgrass Mills lists 2 open roles, both in Engineering in Grand Island (Ashby, newest posted 2026-11-12).",
        "Tallgrass Mills is hiring a Plant Controls Engineer in Grand Island (Ashby, posted 2026-11-12).",
        "Tallgrass Mills is hiring a Maintenance Technician in Grand Island (Ashby, posted 2026-10-01).",
    ]


def test_workable(boards):
    facts = run("workable", "tallgrass")
    assert texts(facts) == [
        "Tallgrass Mills lists 3 open roles, 2 in Quality in Omaha (Workable, newest posted 2026-11-19).",
        "Tallgrass Mills is hiring a Customer Success Manager, remote (Workable, posted 2026-11-19).",
        "Tallgrass Mills is hiring a Quality Assurance Lead in Omaha (Workable, posted 2026-11-16).",
        "Tallgrass Mills is hiring a Lab Technician in Omaha (Workable, posted 2026-08-03).",
    ]
    assert facts[0].source_url == "https://apply.workable.com/tallgrass/"


def test_workable_names_the_company_when_the_rep_gave_no_name(boards):
    assert run("workable", "tallgrass", company="")[0].text.startswith("Tallgrass Mills lists 3 open roles")


def test_smartrecruiters_cites_the_careers_page_and_each_role_s_page_not_the_api(boards):
    facts = run("smartrecruiters", "TallgrassMills")
    assert texts(facts) == [
        "Tallgrass Mills lists 3 open roles, all in Production in Salina (SmartRecruiters, newest posted 2026-11-17).",
        "Tallgrass Mills is hiring a Flour Mill Shift Supervisor in Salina (SmartRecruiters, posted 2026-11-17).",
        "Tallgrass Mills has 2 openings for Packaging Line Operator in Salina (SmartRecruiters, posted 2026-11-11).",
    ]
    assert [f.source_url for f in facts] == ["https://careers.smartrecruiters.com/TallgrassMills",
                                             "https://jobs.smartrecruiters.com/TallgrassMills/744000012345",
                                             "https://jobs.smartrecruiters.com/TallgrassMills/744000012347"]  # newest


def test_smartrecruiters_board_bigger_than_a_page_gives_its_count_without_a_partial_breakdown(boards):
    assert run("smartrecruiters", "BigMills")[0].text == (
        "Tallgrass Mills lists 240 open roles (SmartRecruiters, newest posted 2026-11-17).")


def test_recruitee_leaves_out_drafts(boards):
    assert texts(run("recruitee", "tallgrass")) == [
        "Tallgrass Mills lists 2 open roles, both in Sales (Recruitee, newest posted 2026-11-19).",
        "Tallgrass Mills is hiring an SDR, remote (Recruitee, posted 2026-11-19).",
        "Tallgrass Mills is hiring a Bakery Sales Representative in Des Moines (Recruitee, posted 2026-11-03).",
    ]


@pytest.mark.parametrize("name", list(TOKENS))
def test_an_empty_or_unlisted_board_gives_no_facts_and_no_error(boards, name):
    assert run(name, "quiet") == []


@pytest.mark.parametrize("name", list(TOKENS))
def test_a_source_without_a_board_on_the_site_asks_nothing(boards, name):
    assert run(name) == []
    assert boards.server.log == []


def test_the_same_board_linked_from_two_pages_is_read_once(boards):
    ctx = SourceContext(source("greenhouse"), Fetcher(crawl_delay=0.0), "Tallgrass Mills", clock=FakeClock(),
                        boards=[Board("greenhouse", "tallgrass", CAREERS), Board("lever", "tallgrass"),
                                Board("greenhouse", "Tallgrass", "https://tallgrassmills.example/")])
    assert len(source("greenhouse").load().fetch(ctx)) == 5
    assert boards.hits("greenhouse", "tallgrass") == 1 and boards.hits("greenhouse", "Tallgrass") == 0


def test_boards_are_asked_a_second_apart_on_the_fake_clock(boards):
    clock = FakeClock()
    facts = run("greenhouse", "tallgrass", "quiet", "tallgrass-farms", clock=clock)
    assert len(facts) == 5  # the missing third board is reported, the first one's facts kept
    assert clock.sleeps == [1.0, 1.0]  # the documented spacing, without waiting for it


def test_a_failing_board_is_reported_while_another_board_s_facts_are_kept(boards):
    problems: list[FetchError] = []
    ctx = SourceContext(source("greenhouse"), Fetcher(crawl_delay=0.0, deadline=5.0), "Tallgrass Mills",
                        clock=FakeClock(), boards=[Board("greenhouse", "broken", CAREERS),
                                                   Board("greenhouse", "tallgrass", CAREERS)],
                        problem=problems.append)
    facts = source("greenhouse").load().fetch(ctx)
    assert len(facts) == 5
    [problem] = problems
    assert problem.kind == "http-status" and problem.message == (
        "Greenhouse job boards answered HTTP 500: Internal error. Try again later, or open "
        "https://boards.greenhouse.io/broken to see its roles.")


def test_when_every_board_fails_the_first_is_the_source_s_error_and_the_rest_are_reported(boards):
    problems: list[FetchError] = []
    said: list[str] = []
    ctx = SourceContext(source("lever"), Fetcher(crawl_delay=0.0, deadline=5.0), "Tallgrass Mills",
                        clock=FakeClock(), boards=[Board("lever", "nosuch"), Board("lever", "garbled")],
                        problem=problems.append)
    with pytest.raises(FetchError) as caught:
        source("lever").load().fetch(ctx)
    assert caught.value.message == ("Lever has no public job board named “nosuch”; the link to it may be out of "
                                    "date.")
    assert [p.kind for p in problems] == ["parse-failed"]
    # Without a place for problems (an older caller), the rep still reads it as progress.
    ctx = SourceContext(source("lever"), Fetcher(crawl_delay=0.0, deadline=5.0), "Tallgrass Mills",
                        clock=FakeClock(), boards=[Board("lever", "tallgrass"), Board("lever", "garbled")],
                        progress=said.append)
    assert len(source("lever").load().fetch(ctx)) == 4
    assert said[-1].startswith("Lever answered for the “garbled” board with something that is not JSON")


# -- what a rep reads when a board fails -------------------------------------------------------------------
ERRORS = {
    "nosuch": ("http-status", "{label} has no public job board named “nosuch”; the link to it on "
                              "https://tallgrassmills.example/careers may be out of date. Open that page to find the "
                              "current one."),
    # (api.py words the rest: how long Earned then leaves the source alone.)
    "busy": ("rate-limited", "{label} job boards says Earned has asked too often: Too many requests. It asked Earned "
                             "to wait 2 minutes. "),
    "broken": ("http-status", "{label} job boards answered HTTP 500: Internal error. Try again later, or open {page} "
                              "to see its roles."),
    "garbled": ("parse-failed", "{label} answered for the “garbled” board with something that is not JSON, so Earned "
                                "could not read its roles. Open {page} to see them."),
}
LABELS = {"greenhouse": "Greenhouse", "lever": "Lever", "ashby": "Ashby", "workable": "Workable",
          "smartrecruiters": "SmartRecruiters", "recruitee": "Recruitee"}
# Each board's public page, where a rep can still read its roles when its API fails.
PAGES = {"greenhouse": "https://boards.greenhouse.io/{}", "lever": "https://jobs.lever.co/{}",
         "ashby": "https://jobs.ashbyhq.com/{}", "workable": "https://apply.workable.com/{}/",
         "smartrecruiters": "https://careers.smartrecruiters.com/{}", "recruitee": "https://{}.recruitee.com/"}


@pytest.mark.parametrize("name", list(TOKENS))
@pytest.mark.parametrize("board", list(ERRORS))
def test_a_failing_board_is_one_plain_message(boards, name, board):
    kind, message = ERRORS[board]
    with pytest.raises(FetchError) as caught:
        run(name, board)
    error = caught.value
    expected = message.format(label=LABELS[name], page=PAGES[name].format(board))
    assert error.kind == kind
    assert error.message.startswith(expected) if board == "busy" else error.message == expected
    assert "Traceback" not in error.message and "127.0.0.1" not in error.message
    # A 500 is tried once more (the policy's one retry); a 429 and a 404 are not.
    assert boards.hits(name, board) == (2 if board == "broken" else 1)


@pytest.mark.parametrize("name, what", [("greenhouse", "jobs"), ("lever", "postings"), ("ashby", "jobs"),
                                        ("workable", "jobs"), ("smartrecruiters", "postings"),
                                        ("recruitee", "offers")])
def test_json_in_the_wrong_shape_is_named_not_crashed_on(boards, name, what):
    with pytest.raises(FetchError) as caught:
        run(name, "wrongshape")
    assert caught.value.kind == "parse-failed"
    assert caught.value.message == (f"{LABELS[name]} answered for the “wrongshape” board without a list of {what}, so "
                                    f"Earned could not read its roles. Open {PAGES[name].format('wrongshape')} to "
                                    "see them.")


# -- JobPosting JSON-LD on the company's own careers pages -------------------------------------------------
def _posting(title, where, posted, closes=None, org="Tallgrass Mills", url=None, date_key="datePosted"):
    posting = {"@type": "JobPosting", "title": title, date_key: posted, "employmentType": ["FULL_TIME"],
               "hiringOrganization": {"@type": "Organization", "name": org, "sameAs": "https://tallgrassmills.example"},
               "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "streetAddress": "1 Mill Rd",
                                                              "addressLocality": where, "addressRegion": "NE",
                                                              "addressCountry": "US"}}}
    if closes:
        posting["validThrough"] = closes
    if url:
        posting["url"] = url
    return posting


def careers_page(postings) -> bytes:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "name": "Tallgrass Mills", "url": "https://tallgrassmills.example/"},
        {"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "position": i + 1, "item": p}
                                                  for i, p in enumerate(postings)]}]}
    return (f"""<!doctype html><html lang="en"><head><title>Careers | Tallgrass Mills</title>
<script type="application/ld+json">{json.dumps(graph)}</script></head><body><main><h1>Careers at Tallgrass Mills</h1>
<p>Tallgrass Mills has milled flour in Omaha since 1921 and is growing its bakery-flour line.</p>
<iframe src="https://boards.greenhouse.io/embed/job_board?for=tallgrass"></iframe></main></body></html>""").encode()


def test_a_careers_page_with_jobposting_json_ld_gives_hiring_facts_through_analyze_page():
    soon = (date.today() + timedelta(days=30)).isoformat()
    page = careers_page([
        _posting("Miller", "Omaha", "2026-11-20", closes=soon, url="https://tallgrassmills.example/careers/miller"),
        # (schema.org's JobPosting says datePosted; some sites write datePublished.)
        _posting("Flour Chemist", "Omaha", "2026-11-12", closes="2099-12-31", date_key="datePublished"),
        _posting("Harvest Driver", "Kearney", "2026-06-01", closes="2026-07-01"),  # closed: not hiring now
        _posting("Barista", "Omaha", "2026-11-21", org="Prairie Coffee Co."),  # someone else's role
        {"@type": "JobPosting", "title": {"not": "text"}},
    ])
    result = analyze_page(Fetched(CAREERS, CAREERS, 200, "text/html", "utf-8", page), "https://tallgrassmills.example/",
                          "careers", company="Tallgrass Mills")
    assert [b.token for b in result.boards] == ["tallgrass"]
    assert result.job_postings[0] == {
        "title": "Miller", "datePosted": "2026-11-20", "validThrough": soon, "employmentType": "FULL_TIME",
        "location": "Omaha, NE", "hiringOrganization": "Tallgrass Mills",
        "url": "https://tallgrassmills.example/careers/miller"}
    assert len(result.job_postings) == 4
    facts = jobposting_facts(result.job_postings, "Tallgrass Mills", result.url)
    assert texts(facts) == [
        "Tallgrass Mills lists 2 open roles, both in Omaha, NE (careers page, newest posted 2026-11-20).",
        "Tallgrass Mills is hiring a Miller in Omaha, NE (careers page, posted 2026-11-20).",
        "Tallgrass Mills is hiring a Flour Chemist in Omaha, NE (careers page, posted 2026-11-12).",
    ]
    assert [f.source_url for f in facts] == [CAREERS, "https://tallgrassmills.example/careers/miller", CAREERS]


def test_a_page_without_postings_or_boards_has_none():
    body = (b"<html><body><p>Tallgrass Mills mills flour.</p>"
            b"<a href='https://www.linkedin.com/jobs'>Jobs</a></body></html>")
    result = analyze_page(Fetched(CAREERS, CAREERS, 200, "text/html", None, body), CAREERS, "careers")
    assert result.boards == () and result.job_postings == ()
    assert jobposting_facts(result.job_postings, "Tallgrass Mills", CAREERS) == []


def test_boards_and_postings_come_back_from_the_parse_worker_child_process():
    soon = (date.today() + timedelta(days=30)).isoformat()
    got = Fetched(CAREERS, CAREERS, 200, "text/html", "utf-8",
                  careers_page([_posting("Miller", "Omaha", "2026-11-20", closes=soon)]))
    worker = ParseWorker(preload=())
    try:
        there = worker.call("app.research.extract:analyze_page", got, "https://tallgrassmills.example/", "careers")
    finally:
        worker.close()
    assert there.boards == (Board("greenhouse", "tallgrass", CAREERS),)
    assert [p["title"] for p in there.job_postings] == ["Miller"]
