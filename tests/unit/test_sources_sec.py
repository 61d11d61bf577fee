"""SEC EDGAR source: the contact it must send, the company it finds, the facts it writes, the cache of
the SEC's list of companies, its errors and its pace, against a real HTTP server on 127.0.0.1."""
from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta, timezone

import pytest

from app.research import rank
from app.research.errors import FetchError
from app.research.fetcher import Fetcher
from app.research.sources import api, sec, source
from app.research.sources.base import SourceContext
from tests.fixtures.fake_clock import FakeClock
from tests.fixtures.sec_server import TICKERS_PATH, Company, Filing, SecServer, tickers_json

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
CONTACT = "Pat Rep pat@example.com"
ACME_JSON = "/submissions/CIK0001234567.json"


def acme(**changes) -> Company:
    filings = [
        Filing("0001234567-26-000060", "2026-11-20", "4", "xslF345X05/form4.xml"),
        Filing("0001234567-26-000055", "2026-11-10", "8-K/A", "acme-8ka.htm", items="2.02"),
        Filing("0001234567-26-000050", "2026-11-03", "8-K", "acme-20261103.htm", "2026-11-03", "2.02,9.01"),
        Filing("0001234567-26-000045", "2026-10-30", "10-Q", "acme-20260930.htm", "2026-09-30"),
        Filing("0001234567-26-000040", "2026-09-15", "8-K", "acme-20260915.htm", "2026-09-12", "5.02"),
        Filing("0001234567-26-000035", "2026-09-01", "10-K", "acme-20260630.htm", "2026-06-30"),
        Filing("0001234567-26-000030", "2026-08-01", "8-K", "acme-20260801.htm", "2026-07-30", "1.01,2.03,9.01"),
        Filing("0001234567-26-000025", "2026-06-10", "8-K", "acme-20260610.htm", "2026-06-08", "5.07"),
        Filing("0001234567-26-000020", "2026-03-02", "8-K", "acme-20260302.htm", "2026-03-02", "7.01,9.01"),
        Filing("0001234567-26-000010", "2026-01-20", "8-K", "acme-20260120.htm", "2026-01-20", "8.01"),
        Filing("0001234567-25-000090", "2025-10-01", "8-K", "acme-20251001.htm", "2025-10-01", "2.02"),
        Filing("0001234567-25-000080", "2025-09-02", "10-K", "acme-20250630.htm", "2025-06-30"),
    ]
    base = dict(cik=1234567, ticker="ACME", title="ACME CORP", exchange="NYSE", website="https://www.acme.com",
                filings=filings)
    return Company(**{**base, **changes})


OTHERS = [Company(320193, "AAPL", "Apple Inc.", exchange="Nasdaq"),
          Company(1652044, "GOOGL", "Alphabet Inc.", exchange="Nasdaq"),
          Company(1652044, "GOOG", "Alphabet Inc.", exchange="Nasdaq"),
          Company(1326801, "META", "Meta Platforms, Inc.", exchange="Nasdaq")]


@pytest.fixture(autouse=True)
def clean(tmp_path, monkeypatch):
    api.reset()  # no spacing or failures carried over from another test
    monkeypatch.setenv("EARNED_CACHE_DIR", str(tmp_path / "cache"))
    yield
    api.reset()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(start=1000.0)


@pytest.fixture
def server(monkeypatch, clock):
    with SecServer([acme(), *OTHERS], clock) as srv:
        monkeypatch.setenv("EARNED_SEC_URL", srv.base)
        yield srv


def context(company="Acme Corp", contact=CONTACT, clock=None, website=None, progress=None) -> SourceContext:
    return SourceContext(source("sec"), Fetcher(), company, website, contact=contact, clock=clock or FakeClock(start=1000.0),
                         progress=progress or (lambda text: None))


def run(clock, now=NOW, **kwargs):
    said: list[str] = []
    found = sec.fetch_at(context(clock=clock, progress=said.append, **kwargs), now)
    return found, said


# -- the contact the SEC requires ---------------------------------------------------------------------
@pytest.mark.parametrize("contact", ["", "   ", "Pat Rep", "Pat Rep (Acme Sales)"])
def test_without_an_email_it_asks_for_one_and_sends_nothing(server, clock, contact):
    with pytest.raises(FetchError) as e:
        sec.fetch_at(context(contact=contact, clock=clock), NOW)
    assert e.value.kind == "needs-setting"
    assert "name and email" in e.value.message and "Settings > Research" in e.value.message
    assert "the SEC requires" in e.value.message  # why, not just what
    assert server.log == []


def test_every_request_declares_the_rep_and_never_puts_the_contact_in_a_url(server, clock):
    run(clock)
    assert [ua for _, ua, _ in server.requests] == [f"Earned {CONTACT}", f"Earned {CONTACT}"]
    assert all("pat" not in path and "example" not in path for path, _, _ in server.requests)


def test_the_user_agent_is_one_plain_header_line():
    assert sec.user_agent("Zoë  Rep\r\nX-Evil: 1 zoe@example.com") == "Earned Zoe Rep X-Evil: 1 zoe@example.com"
    assert sec.user_agent("Łukasz <l@example.pl>") == "Earned ukasz <l@example.pl>"


# -- facts from a public company's filings ---------------------------------------------------------------
def test_a_public_company_gives_its_profile_recent_8ks_and_latest_reports(server, clock):
    found, said = run(clock)
    texts = [f.text for f in found]
    assert texts == [
        "Acme Corp is a US public company (NYSE: ACME) based in Springfield, Illinois, industry: Services-Prepackaged "
        "Software, incorporated in Delaware, fiscal year ending June 30, SEC filer category: large accelerated filer.",
        "Acme Corp filed an amended 8-K on 2026-11-10: 2.02 results.",
        "Acme Corp filed an 8-K on 2026-11-03: 2.02 results.",
        "Acme Corp filed an 8-K on 2026-09-15: 5.02 executive change.",
        "Acme Corp filed an 8-K on 2026-08-01: 1.01 material agreement, 2.03 new debt.",
        "Acme Corp filed an 8-K on 2026-06-10: 5.07 shareholder vote.",
        "Acme Corp filed its annual report (10-K) for the year ended 2026-06-30 on 2026-09-01.",
        "Acme Corp filed its quarterly report (10-Q) for the quarter ended 2026-09-30 on 2026-10-30.",
    ]
    archive = "https://www.sec.gov/Archives/edgar/data/1234567"
    assert [f.source_url for f in found] == [
        "https://www.sec.gov/edgar/browse/?CIK=1234567",
        f"{archive}/000123456726000055/acme-8ka.htm",
        f"{archive}/000123456726000050/acme-20261103.htm",
        f"{archive}/000123456726000040/acme-20260915.htm",
        f"{archive}/000123456726000030/acme-20260801.htm",
        f"{archive}/000123456726000025/acme-20260610.htm",
        f"{archive}/000123456726000035/acme-20260630.htm",
        f"{archive}/000123456726000045/acme-20260930.htm",
    ]
    assert [f.published for f in found] == [None, "2026-11-10", "2026-11-03", "2026-09-15", "2026-08-01",
                                            "2026-06-10", "2026-09-01", "2026-10-30"]
    assert {f.kind for f in found} == {"filing"} and {f.lang for f in found} == {"en"}
    assert found[1].source_title == "SEC EDGAR: Acme Corp, 8-K/A filed 2026-11-10"
    assert found[2].source_title == "SEC EDGAR: Acme Corp, 8-K filed 2026-11-03"
    # Fresh news first, on the pipeline's scale; every one worth showing.
    assert [f.score for f in found] == [7.0, 10.0, 10.0, 8.0, 6.0, 6.0, 6.0, 6.0]
    assert all(f.score >= rank.SHOW_AT for f in found)
    assert any("CIK 1234567" in line for line in said)


def test_fetch_counts_recent_from_today(server):
    today = date.today()
    company = acme(filings=[Filing("0001234567-26-000001", (today - timedelta(days=10)).isoformat(), "8-K",
                                   "a.htm", items="8.01")])
    server.serve([company])
    found = sec.fetch(context())
    assert found[1].text == f"Acme Corp filed an 8-K on {(today - timedelta(days=10)).isoformat()}: 8.01 other events."
    assert found[1].score == 10.0


def test_an_8k_of_exhibits_only_says_so_and_an_unsafe_document_name_links_the_index(server, clock):
    server.serve([acme(filings=[
        Filing("0001234567-26-000070", "2026-11-25", "8-K", "../../evil.htm", items="9.01"),
        Filing("0001234567-26-000071", "2026-11-24", "8-K", "x.htm", items=""),
        Filing("not-an-accession", "2026-11-23", "8-K", "y.htm", items="8.01"),
        Filing("0001234567-26-000073", "yesterday", "8-K", "z.htm", items="8.01"),
    ])])
    found, _ = run(clock)
    assert [(f.text, f.source_url) for f in found[1:]] == [
        ("Acme Corp filed an 8-K on 2026-11-25: 9.01 exhibits.",
         "https://www.sec.gov/Archives/edgar/data/1234567/000123456726000070/0001234567-26-000070-index.htm"),
        ("Acme Corp filed an 8-K on 2026-11-24.",
         "https://www.sec.gov/Archives/edgar/data/1234567/000123456726000071/x.htm"),
    ]


def test_the_profile_adds_a_rename_the_address_category_and_description(server, clock):
    server.serve([acme(
        former_names=[{"name": "ACME CORP /DE/", "from": "1999-01-01T00:00:00.000Z", "to": "2003-05-01T00:00:00.000Z"},
                      {"name": "ACME WIDGETS INC", "from": "2003-05-01T00:00:00.000Z",
                       "to": "2026-10-01T00:00:00.000Z"},
                      {"name": "ACME GRAIN HOLDINGS", "from": "1990-01-01T00:00:00.000Z", "to": "not a date"}],
        description="Acme makes grain-handling equipment for mills and co-ops", city="LONDON",
        place=("X0", "United Kingdom"), category="Non-accelerated filer<br>Smaller reporting company",
        filings=[])])
    found, _ = run(clock)
    assert [(f.text, f.published, f.score) for f in found] == [
        ("Acme Corp is a US public company (NYSE: ACME) based in London, United Kingdom, industry: "
         "Services-Prepackaged Software, incorporated in Delaware, fiscal year ending June 30, SEC filer category: "
         "non-accelerated filer, smaller reporting company.", None, 7.0),
        ("Acme Corp describes itself to the SEC: Acme makes grain-handling equipment for mills and co-ops.", None, 7.0),
        # The latest rename, dated; a name that only lost its "/DE/" is not one.
        ("Acme Corp was named ACME WIDGETS INC until 2026-10-01.", "2026-10-01", 8.0),
    ]
    assert {f.source_url for f in found} == {"https://www.sec.gov/edgar/browse/?CIK=1234567"}


@pytest.mark.parametrize("code, words", [("2.02", "2.02 results"), ("5.02", "5.02 executive change"),
                                         ("1.01", "1.01 material agreement"), ("2.01", "2.01 acquisition or disposal"),
                                         ("7.01", "7.01 Reg FD disclosure"), ("4.01", "4.01 auditor change"),
                                         ("3.01", "3.01 delisting notice"), ("6.01", "item 6.01")])
def test_8k_items_are_their_number_and_a_few_words(code, words):
    assert sec._item(code) == words


# -- finding the company ------------------------------------------------------------------------------
def test_an_unknown_company_gives_nothing_quietly(server, clock):
    found, said = run(clock, company="Toledo Cars")
    assert found == []
    assert said[-1] == "not a US public company (no SEC filer by that name)"
    assert server.hits(TICKERS_PATH) == 1 and len(server.requests) == 1  # nothing asked about the company


@pytest.mark.parametrize("typed, cik", [("Acme", 1234567), ("ACME CORP", 1234567), ("Acme, Inc.", 1234567),
                                        ("alphabet", 1652044), ("GOOG", 1652044), ("Meta", 1326801),
                                        ("META", 1326801), ("Apple Inc", 320193)])
def test_names_match_without_legal_endings_or_as_the_ticker(typed, cik):
    filers = sec.parse_tickers(tickers_json([acme(), *OTHERS]), "u")
    assert [f.cik for f in sec.match(typed, filers)] == [cik]


def test_a_company_found_by_its_ticker_is_named_as_the_sec_names_it(server, clock):
    found, _ = run(clock, company="META")
    assert found[0].text.startswith("Meta Platforms, Inc. is a US public company (Nasdaq: META) based in ")
    assert server.hits("/submissions/CIK0001326801.json") == 1


def test_a_ticker_that_is_a_word_needs_capitals_or_the_name():
    filers = [sec.Filer(1, "RING", "iShares MSCI Global Gold Miners ETF"), sec.Filer(2, "BOX", "BOX INC")]
    assert sec.match("Ring", filers) == []
    assert [f.cik for f in sec.match("RING", filers)] == [1]
    assert [f.cik for f in sec.match("Box", filers)] == [2]  # its own name


def test_the_exact_name_wins_over_one_without_holdings():
    filers = [sec.Filer(1, "AH", "Acme Holdings Inc"), sec.Filer(2, "AC", "ACME INC")]
    assert [f.cik for f in sec.match("Acme Holdings", filers)] == [1]
    assert [f.cik for f in sec.match("Acme", filers)] == [2]
    assert sec.key("JPMORGAN CHASE & CO") == sec.key("JPMorgan Chase") == "jpmorgan chase"
    assert sec.key("AMAZON COM INC") == sec.key("Amazon.com") == "amazon"
    assert sec.key("Koninklijke Philips N.V.") == sec.key("KONINKLIJKE PHILIPS NV /DE/")


def test_same_named_filers_are_told_apart_by_the_website_or_left_alone(server, clock):
    twin = acme(cik=7654321, ticker="ACMW", title="Acme Corp", website="acmewidgets.com", filings=[])
    server.serve([twin, acme()])
    found, said = run(clock)
    assert found == [] and "2 SEC filers are named Acme Corp" in said[-1]
    assert len(server.requests) == 1  # no guessing, no filings read

    found, said = run(clock, website="https://acme.com/about")
    assert found[0].source_url.endswith("CIK=1234567")
    assert server.hits("/submissions/CIK0007654321.json") == 1 and server.hits(ACME_JSON) == 1

    found, said = run(clock, website="https://acmewidgets.com")
    assert found[0].source_url.endswith("CIK=7654321")
    assert server.hits(ACME_JSON) == 1  # stopped at the first that matched


def test_a_filer_whose_website_is_another_company_s_is_not_the_prospect(server, clock):
    found, said = run(clock, website="https://acme.co.uk")
    assert found == []
    assert said[-1] == "the SEC filer named ACME CORP has the website acme.com, not acme.co.uk: another company"


# -- the cached list of companies ---------------------------------------------------------------------
def test_the_list_of_companies_is_cached_for_a_week(server, clock):
    run(clock)
    run(clock, now=NOW + timedelta(days=6, hours=23))
    assert server.hits(TICKERS_PATH) == 1 and server.hits(ACME_JSON) == 2
    assert sec.cache_file().is_file()
    assert not [p for p in sec.cache_file().parent.iterdir() if p.name.endswith(".tmp")]

    found, _ = run(clock, now=NOW + timedelta(days=8))
    assert server.hits(TICKERS_PATH) == 2 and found


def test_a_corrupt_cache_is_fetched_again(server, clock):
    sec.cache_file().parent.mkdir(parents=True)
    for broken in ('{"url": "x", "fetched_at": ', "[]", json.dumps({"url": sec.tickers_url(context()),
                                                                       "fetched_at": NOW.timestamp(),
                                                                       "filers": [["x", 1]]})):
        sec.cache_file().write_text(broken)
        found, _ = run(clock)
        assert found[0].text.startswith("Acme Corp is a US public company")
    assert server.hits(TICKERS_PATH) == 3
    run(clock)
    assert server.hits(TICKERS_PATH) == 3  # the refetched list was cached again


def test_a_stale_list_is_kept_when_the_sec_cannot_give_a_new_one(server, clock):
    run(clock)
    server.answer(TICKERS_PATH, 500, "<html>Internal error</html>")
    found, said = run(clock, now=NOW + timedelta(days=8))
    assert found[0].text.startswith("Acme Corp is a US public company")
    assert server.hits(TICKERS_PATH) == 3  # the first list, then the failed refetch and its one retry
    assert any("using the copy from 2026-12-01" in line for line in said)
    # Still the old list on file: the next run tries the SEC again.
    server.serve([acme(), *OTHERS])
    run(clock, now=NOW + timedelta(days=8))
    assert server.hits(TICKERS_PATH) == 4


def test_a_cache_from_another_address_is_not_used(server, clock, monkeypatch):
    run(clock)
    with SecServer([acme()], clock) as other:
        monkeypatch.setenv("EARNED_SEC_URL", other.base)
        run(clock)
        assert other.hits(TICKERS_PATH) == 1


def test_without_an_override_the_list_comes_from_www_and_filings_from_data(monkeypatch):
    monkeypatch.delenv("EARNED_SEC_URL", raising=False)
    ctx = context()
    assert sec.tickers_url(ctx) == "https://www.sec.gov/files/company_tickers.json"
    assert sec.submissions_url(ctx, 320193) == "https://data.sec.gov/submissions/CIK0000320193.json"


# -- failures, each one plain line --------------------------------------------------------------------
def _fails(clock, **kwargs) -> FetchError:
    with pytest.raises(FetchError) as e:
        run(clock, **kwargs)
    assert "\n" not in e.value.message
    return e.value


# The SEC's page for undeclared tools; the second carries the rate-limit page's title, as the SEC sends it.
UNDECLARED = [
    "<html><h1>Your Request Originates from an Undeclared Automated Tool</h1>",
    "<html><head><title>SEC.gov | Request Rate Threshold Exceeded</title></head><body><p>To allow for equitable "
    "access to all users, SEC reserves the right to limit requests originating from undeclared automated tools. "
    "Your request has been identified as part of a network of automated tools outside of the acceptable policy and "
    "will be managed until action is taken to declare your traffic.</p><p>Please declare your traffic by updating "
    "your user agent to include company specific information.</p></body></html>",
]
# What the SEC answers an address that asked more than 10 times a second: a 403 with this page.
THROTTLED = (
    "<html><head><title>SEC.gov | Request Rate Threshold Exceeded</title></head><body><div id=\"content\">"
    "<h1>U.S. Securities and Exchange Commission</h1><h2>You\u2019ve Exceeded the SEC\u2019s Traffic Limit</h2>"
    "<p>Your request rate has exceeded the SEC\u2019s maximum allowable requests per second. Your access to SEC.gov "
    "will be limited for 10 minutes.</p><p>Current guidelines limit each user to a total of no more than 10 requests "
    "per second, regardless of the number of machines used to submit requests.</p></div></body></html>")


@pytest.mark.parametrize("page", UNDECLARED)
def test_a_403_says_the_sec_wants_a_declared_user_agent(server, clock, page):
    server.answer(TICKERS_PATH, 403, page)
    error = _fails(clock)
    assert error.kind == "http-status" and error.status == 403
    assert error.message.startswith("SEC EDGAR filings (US public companies) answered HTTP 403: the SEC refused")
    assert "User-Agent" in error.message and "Settings > Research" in error.message and "<" not in error.message


def test_a_429_ends_the_source_without_retrying(server, clock):
    server.answer(ACME_JSON, 429, "<html>Request Rate Threshold Exceeded</html>", headers={"Retry-After": "600"})
    error = _fails(clock)
    assert error.kind == "rate-limited"
    assert "10 requests a second" in error.message and "10 minutes" in error.message
    assert server.hits(ACME_JSON) == 1


def test_the_sec_rate_limit_page_rests_the_source_for_ten_minutes(server, clock):
    server.answer(TICKERS_PATH, 403, THROTTLED)
    error = _fails(clock)
    assert (error.kind, error.status) == ("rate-limited", 403)
    # (The SEC's words; api.py says when Earned asks again.)
    assert ("the SEC allows 10 requests a second and limits an address that asks faster for about 10 minutes (other "
            "programs or people on your network count too)") in error.message
    assert "UTC" in error.message and "User-Agent" not in error.message
    # The next run asks nothing: the SEC would only refuse it again, and longer.
    again = _fails(clock)
    assert again.kind == "rate-limited" and server.hits(TICKERS_PATH) == 1
    clock.sleep(sec.THROTTLE_SECONDS + 1, threading.Event())
    server.serve([acme(), *OTHERS])
    found, _ = run(clock)
    assert found[0].text.startswith("Acme Corp is a US public company")


def test_a_404_says_where_else_to_look(server, clock):
    server.answer(ACME_JSON, 404, "<html>Not Found</html>")
    error = _fails(clock)
    assert error.message == ("SEC EDGAR filings (US public companies) answered HTTP 404: the SEC has no such file. "
                             "Look the company up on https://www.sec.gov/edgar/search/ instead, or try again tomorrow.")


def test_a_500_is_tried_once_more_then_reported(server, clock):
    server.answer(ACME_JSON, 500, "<html>Internal error</html>")
    error = _fails(clock)
    assert error.kind == "http-status"
    assert error.message == ("SEC EDGAR filings (US public companies) answered HTTP 500: the SEC's site is having "
                             "trouble; try again in a few minutes.")
    assert server.hits(ACME_JSON) == 2


@pytest.mark.parametrize("path, body, words", [
    (TICKERS_PATH, "{not json", "The SEC's list of companies is not valid JSON"),
    (TICKERS_PATH, "[1, 2, 3]", "The SEC's list of companies is not in the shape the SEC documents"),
    (TICKERS_PATH, '{"0": {"cik": "x"}}', "The SEC's list of companies is not in the shape the SEC documents"),
    (ACME_JSON, "<html>maintenance</html>", "The SEC's list of filings is not valid JSON"),
    (ACME_JSON, '{"name": "Acme", "filings": {"recent": {"accessionNumber": ["a"], "filingDate": [], '
                '"form": ["8-K"], "primaryDocument": ["a.htm"]}}}', "not in the shape the SEC documents"),
    (ACME_JSON, '{"name": "Acme", "filings": []}', "not in the shape the SEC documents"),
])
def test_broken_answers_are_plain_parse_failures(server, clock, path, body, words):
    server.answer(path, 200, body, "application/json")
    error = _fails(clock)
    assert error.kind == "parse-failed" and words in error.message
    assert error.url.startswith(server.base) and error.url.endswith(path)


# -- the SEC's pace -----------------------------------------------------------------------------------
def test_no_more_than_ten_requests_a_second(server, clock):
    for _ in range(12):
        run(clock)
    times = [t for _, _, t in server.requests]
    assert len(times) == 13  # the list once, then the filings each time
    assert all(b - a >= 0.1 - 1e-9 for a, b in zip(times, times[1:]))
    assert max(sum(1 for t in times if start <= t < start + 1.0) for start in times) == 10
    assert clock.sleeps  # the client waited its turn rather than the SEC refusing it
