"""The news sources and the API policy they share, against 127.0.0.1 servers answering in the
documented shapes:
- GDELT DOC 2.0, https://blog.gdeltproject.org/gdelt-doc-2-0-api-debuts/ (ArtList JSON:
  {"articles": [{url, title, seendate "YYYYMMDDTHHMMSSZ", domain, language, sourcecountry}]}; bad
  queries answered HTTP 200 with a sentence; one request every 5 seconds);
- NewsAPI /v2/everything, https://newsapi.org/docs/endpoints/everything, and its errors,
  https://newsapi.org/docs/errors ({"status": "error", "code": "apiKeyInvalid" | "rateLimited" ...,
  "message": ...});
- GNews /api/v4/search, https://docs.gnews.io/endpoints/search-endpoint, and its errors,
  https://docs.gnews.io/error-handling ({"errors": [...]}, 403 = daily quota reached).
Time is a FakeClock: nothing here really waits, and the spacing asked for is checked exactly.
"""
import json

import pytest

from app.research.errors import FetchError
from app.research.fetcher import Fetcher
from app.research.sources import SOURCES, source
from app.research.sources.base import SourceContext
from tests.fixtures.fake_clock import FakeClock
from tests.fixtures.http_server import LocalServer
from tests.fixtures.sources import fetch_source

JSON = {"Content-Type": "application/json"}
KEY = "0123456789abcdef0123456789abcdef"


def fetcher():
    return Fetcher(crawl_delay=0.0, deadline=5.0, read_timeout=2.0)


@pytest.fixture
def server():
    with LocalServer() as s:
        yield s


@pytest.fixture
def clock():
    return FakeClock(start=1000.0)


def gdelt_answer(*articles) -> bytes:
    return json.dumps({"articles": [
        {"url": url, "url_mobile": "", "title": title, "seendate": seen, "socialimage": "", "domain": domain,
         "language": "English", "sourcecountry": "United States"} for url, title, seen, domain in articles]}).encode()


def test_every_source_is_a_module_with_fetch_and_an_env_override(monkeypatch):
    for src in SOURCES:
        assert callable(src.load().fetch), src.name
        assert src.env == f"EARNED_{src.name.upper()}_URL"
        assert src.docs.startswith("https://") and src.sends and src.label
    gdelt = source("gdelt")
    assert gdelt.base_url({"gdelt": "http://127.0.0.1:9/settings"}) == "http://127.0.0.1:9/settings"
    monkeypatch.setenv("EARNED_GDELT_URL", "http://127.0.0.1:9/env")
    assert gdelt.base_url({"gdelt": "http://127.0.0.1:9/settings"}) == "http://127.0.0.1:9/env"
    assert "google-news" not in {s.name for s in SOURCES}


def test_gdelt_never_sees_two_requests_less_than_5_s_apart_retries_included(server, clock):
    seen = []
    answers = iter([(429, {"Retry-After": "1", **JSON}, b""),
                    (200, JSON, gdelt_answer(("https://news.example/a", "Acme Freight opens Denver hub",
                                              "20261110T101500Z", "news.example"))),
                    (503, {"Content-Type": "text/plain"}, b"busy"),
                    (200, JSON, gdelt_answer())])

    def gdelt(req):
        seen.append(clock.now())  # the clock only moves when the client waits: this is when it sent
        return next(answers)

    server.routes["/gdelt"] = gdelt
    first = fetch_source("gdelt", fetcher(), "Acme Freight", server.base + "/gdelt", clock=clock)
    second = fetch_source("gdelt", fetcher(), "Acme Freight", server.base + "/gdelt", clock=clock)
    assert [f.headline for f in first] == ["Acme Freight opens Denver hub"] and second == []
    assert len(seen) == 4  # the 429 and the 503 were each tried once more
    assert all(b - a >= 5.0 for a, b in zip(seen, seen[1:])), seen


def test_gdelt_says_what_gdelt_said_and_reads_its_broken_json(server, clock):
    server.route("/gdelt", body="<html><body>The specified phrase is too short.</body></html>",
                 content_type="text/html")
    with pytest.raises(FetchError) as info:
        fetch_source("gdelt", fetcher(), "Acme Freight", server.base + "/gdelt", clock=clock)
    assert info.value.message == "GDELT said: The specified phrase is too short."
    # An invalid escape (\') and a raw tab inside a title: the batch is still read.
    body = ('{"articles": [{"url": "https://news.example/b", "title": "Acme Freight\\\'s new\tCEO named", '
            '"seendate": "20261112T080000Z", "domain": "news.example"}]}')
    server.route("/gdelt", body=body, content_type="application/json")
    [fact] = fetch_source("gdelt", fetcher(), "Acme Freight", server.base + "/gdelt", clock=clock)
    assert fact.text == "Acme Freight's new CEO named"
    # seendate is when GDELT saw the link, not a publication date.
    assert fact.published is None
    assert fact.source_title == "news.example (seen by GDELT on 2026-11-12; publication date unknown)"


def test_company_matching_is_on_words_and_legal_endings_and_drops_removed_items(server, clock):
    server.route("/newsapi", body=json.dumps({"status": "ok", "totalResults": 4, "articles": [
        {"source": {"id": None, "name": "Daily"}, "title": "General election: polls open",
         "description": "General turnout is high", "url": "https://news.example/1", "publishedAt": "2026-11-10T08:00:00Z"},
        {"source": {"id": None, "name": "[Removed]"}, "title": "[Removed]", "description": "[Removed]",
         "url": "https://removed.com", "publishedAt": "1970-01-01T00:00:00Z"},
        {"source": {"id": None, "name": "Motor Trend"}, "title": "General Motors &amp; Ford expand EV plants",
         "description": "", "url": "https://news.example/2", "publishedAt": "2026-11-11T08:00:00Z"},
        {"source": {"id": None, "name": "Wire"}, "title": "GM supplier news",
         "description": "General Motors, Inc. signs a deal.", "url": "https://news.example/3",
         "publishedAt": "2026-11-12T08:00:00Z"}]}), content_type="application/json")
    facts = fetch_source("newsapi", fetcher(), "General Motors Company", server.base + "/newsapi", KEY, clock=clock)
    assert [f.text for f in facts] == ["General Motors & Ford expand EV plants",
                                      "GM supplier news: General Motors, Inc. signs a deal."]
    assert [f.published for f in facts] == ["2026-11-11", "2026-11-12"]


@pytest.mark.parametrize("name,status,body,expected", [
    ("newsapi", 401, {"status": "error", "code": "apiKeyInvalid",
                      "message": "Your API key is invalid or incorrect. Check your key, or go to "
                                 "https://newsapi.org to create a free API key."},
     "NewsAPI.org answered HTTP 401: Your API key is invalid or incorrect. Check your key, or go to "
     "https://newsapi.org to create a free API key."),
    ("newsapi", 426, {"status": "error", "code": "parameterInvalid",
                      "message": "You are trying to request results too far in the past. Your plan permits you "
                                 "to request articles as far back as 2026-10-23."},
     "NewsAPI.org answered HTTP 426: You are trying to request results too far in the past. Your plan permits "
     "you to request articles as far back as 2026-10-23."),
    ("gnews", 403, {"errors": ["You have reached your request limit for today, the next reset will be tomorrow "
                               "at midnight UTC."]},
     "GNews.io answered HTTP 403: You have reached your request limit for today, the next reset will be "
     "tomorrow at midnight UTC.: your GNews daily quota is used up; it resets at midnight UTC"),
    ("gnews", 400, {"errors": {"q": "The query has a syntax error."}},
     "GNews.io answered HTTP 400: q: The query has a syntax error."),
])
def test_api_errors_say_what_the_api_said(server, clock, name, status, body, expected):
    server.route("/" + name, status=status, body=json.dumps(body), content_type="application/json")
    with pytest.raises(FetchError) as info:
        fetch_source(name, fetcher(), "Acme Freight", server.base + "/" + name, KEY, clock=clock)
    assert info.value.message == expected and info.value.kind == "http-status"
    assert KEY not in info.value.message + info.value.url


@pytest.mark.parametrize("name,body", [
    ("newsapi", {"status": "error", "code": "rateLimited",
                 "message": "You have been rate limited. Back off for a while before trying the request again."}),
    ("gnews", {"errors": ["Too many requests, please slow down."]}),
])
def test_a_429_from_a_quota_api_is_not_retried(server, clock, name, body):
    server.route("/" + name, status=429, body=json.dumps(body), content_type="application/json",
                 headers={"Retry-After": "3600"})
    with pytest.raises(FetchError) as info:
        fetch_source(name, fetcher(), "Acme Freight", server.base + "/" + name, KEY, clock=clock)
    assert len(server.log) == 1  # one request: a retry would only burn the daily quota
    assert info.value.kind == "rate-limited"
    assert "has asked too often" in info.value.message and "It asked Earned to wait 60 minutes." in info.value.message
    assert clock.sleeps == []


def test_gdelt_gives_up_on_a_429_that_asks_for_too_long(server, clock):
    server.route("/gdelt", status=429, body="", content_type="text/plain", headers={"Retry-After": "600"})
    with pytest.raises(FetchError) as info:
        fetch_source("gdelt", fetcher(), "Acme Freight", server.base + "/gdelt", clock=clock)
    assert len(server.log) == 1 and info.value.kind == "rate-limited"
    assert info.value.message == ("GDELT news search says Earned has asked too often. It asked Earned to wait "
                                  "10 minutes. Try again later.")


def test_a_source_that_keeps_failing_rests_then_is_tried_again(server, clock):
    server.route("/newsapi", status=500, body="oops", content_type="text/plain")
    src = source("newsapi")
    ctx = SourceContext(src, fetcher(), "Acme Freight", key=KEY, settings={"newsapi": server.base + "/newsapi"},
                        clock=clock)
    for _ in range(src.rate.breaker_after):
        with pytest.raises(FetchError) as info:
            src.load().fetch(ctx)
        assert info.value.message == "NewsAPI.org answered HTTP 500: oops"
    requests_so_far = len(server.log)
    assert requests_so_far == src.rate.breaker_after * (1 + src.rate.retries)
    with pytest.raises(FetchError) as info:
        src.load().fetch(ctx)
    assert len(server.log) == requests_so_far  # resting: not asked at all
    assert info.value.kind == "rate-limited" and info.value.message == (
        "NewsAPI.org failed 3 times in a row; Earned leaves it alone for 10 minutes and tries it again after that.")
    clock.sleep(src.rate.breaker_pause, ctx.cancel)
    server.route("/newsapi", body=json.dumps({"status": "ok", "articles": []}), content_type="application/json")
    assert src.load().fetch(ctx) == []
    assert len(server.log) == requests_so_far + 1
