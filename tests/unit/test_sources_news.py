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
import threading
from datetime import datetime, timezone
from email.utils import format_datetime
from urllib.parse import parse_qs, urlsplit

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


# The wall clock the tests start at: 12 Nov 2026, 14:00 UTC.
WALL = datetime(2026, 11, 12, 14, 0, tzinfo=timezone.utc).timestamp()


@pytest.fixture
def clock():
    return FakeClock(start=1000.0, wall=WALL)


def asked(server, index: int = -1) -> dict:
    """The query parameters of a request the server saw, decoded."""
    return {k: v[0] for k, v in parse_qs(urlsplit(server.log[index][1]).query).items()}


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


def scripted(server, clock, answers) -> list[float]:
    """GDELT answering these (status, headers, body) in turn; returns the fake time of each request as it
    arrived (the clock only moves when the client waits: this is when it sent)."""
    seen: list[float] = []
    answers = iter(answers)

    def gdelt(req):
        seen.append(clock.now())
        return next(answers)

    server.routes["/gdelt"] = gdelt
    return seen


def test_gdelt_never_sees_two_requests_less_than_5_s_apart_retries_included(server, clock):
    seen = scripted(server, clock, [(429, {"Retry-After": "1", **JSON}, b""),
                                    (200, JSON, gdelt_answer(("https://news.example/a", "Acme Freight opens Denver hub",
                                                              "20261110T101500Z", "news.example"))),
                                    (503, {"Content-Type": "text/plain"}, b"busy"),
                                    (200, JSON, gdelt_answer())])
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
    assert info.value.message == ("GDELT said: The specified phrase is too short. Check the company's name in the "
                                  "prospect.")
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


NEWSAPI_401 = "Your key was not accepted: check the key in Settings > Research."


# Each documented error answer, in its documented shape and status: NewsAPI, https://newsapi.org/docs/errors
# ({"status": "error", "code", "message"}: 400, 401, 429, 500); GNews, https://docs.gnews.io/error-handling
# ({"errors": [...]} or {"errors": {field: ...}}: 400, 401, 403 = daily quota, 429, 500, 503).
@pytest.mark.parametrize("name,status,body,kind,expected", [
    ("newsapi", 400, {"status": "error", "code": "parameterInvalid",
                      "message": "You are trying to request results too far in the past. Your plan permits you "
                                 "to request articles as far back as 2026-10-23."}, "http-status",
     "NewsAPI.org answered HTTP 400: You are trying to request results too far in the past. Your plan permits "
     "you to request articles as far back as 2026-10-23."),
    ("newsapi", 400, {"status": "error", "code": "parametersMissing",
                      "message": "Required parameters are missing. Please set any of the following parameters "
                                 "and try again: q, qInTitle, sources, domains."}, "http-status",
     "NewsAPI.org answered HTTP 400: Required parameters are missing. Please set any of the following parameters "
     "and try again: q, qInTitle, sources, domains."),
    ("newsapi", 401, {"status": "error", "code": "apiKeyMissing",
                      "message": "Your API key is missing. Append this to the URL with the apiKey param, or use "
                                 "the x-api-key HTTP header."}, "http-status",
     "NewsAPI.org answered HTTP 401: Your API key is missing. Append this to the URL with the apiKey param, or use "
     "the x-api-key HTTP header. " + NEWSAPI_401),
    ("newsapi", 401, {"status": "error", "code": "apiKeyInvalid",
                      "message": "Your API key is invalid or incorrect. Check your key, or go to "
                                 "https://newsapi.org to create a free API key."}, "http-status",
     "NewsAPI.org answered HTTP 401: Your API key is invalid or incorrect. Check your key, or go to "
     "https://newsapi.org to create a free API key. " + NEWSAPI_401),
    ("newsapi", 401, {"status": "error", "code": "apiKeyDisabled", "message": "Your API key has been disabled."},
     "http-status", "NewsAPI.org answered HTTP 401: Your API key has been disabled. " + NEWSAPI_401),
    ("newsapi", 401, {}, "http-status", "NewsAPI.org answered HTTP 401: " + NEWSAPI_401),
    ("newsapi", 429, {"status": "error", "code": "rateLimited",
                      "message": "You have been rate limited. Back off for a while before trying the request "
                                 "again."}, "rate-limited",
     "NewsAPI.org says Earned has asked too often: You have been rate limited. Back off for a while before trying "
     "the request again. Try again after 15:00 UTC. Earned did not try again, to save your quota."),
    ("newsapi", 429, {"status": "error", "code": "apiKeyExhausted",
                      "message": "Your API key has no more requests available."}, "rate-limited",
     "NewsAPI.org says Earned has asked too often: Your API key has no more requests available. Try again after "
     "15:00 UTC. Earned did not try again, to save your quota."),
    ("newsapi", 500, {"status": "error", "code": "unexpectedError",
                      "message": "This shouldn't happen, and if it does then it's our fault, not yours. Try the "
                                 "request again shortly."}, "http-status",
     "NewsAPI.org answered HTTP 500: This shouldn't happen, and if it does then it's our fault, not yours. Try the "
     "request again shortly. Try again later."),
    ("gnews", 400, {"errors": ["The query is required."]}, "http-status",
     "GNews.io answered HTTP 400: The query is required."),
    ("gnews", 400, {"errors": {"q": "The query has a syntax error."}}, "http-status",
     "GNews.io answered HTTP 400: q: The query has a syntax error."),
    ("gnews", 401, {"errors": ["The API key is invalid."]}, "http-status",
     "GNews.io answered HTTP 401: The API key is invalid. " + NEWSAPI_401),
    ("gnews", 403, {"errors": ["You have reached your request limit for today, the next reset will be tomorrow "
                               "at midnight UTC."]}, "rate-limited",
     "GNews.io says Earned has asked too often: You have reached your request limit for today, the next reset "
     "will be tomorrow at midnight UTC. Try again after 00:00 UTC on 13 Nov. Earned did not try again, to save "
     "your quota."),
    ("gnews", 403, {}, "rate-limited",
     "GNews.io says Earned has asked too often: your GNews daily quota is used up; it resets at midnight UTC. "
     "Try again after 00:00 UTC on 13 Nov. Earned did not try again, to save your quota."),
    ("gnews", 429, {"errors": ["Too many requests, please slow down."]}, "rate-limited",
     "GNews.io says Earned has asked too often: Too many requests, please slow down. Try again after 14:01 UTC. "
     "Earned did not try again, to save your quota."),
    ("gnews", 500, {"errors": ["Internal server error."]}, "http-status",
     "GNews.io answered HTTP 500: Internal server error. Try again later."),
    ("gnews", 503, {"errors": ["We are temporarily offline for maintenance."]}, "http-status",
     "GNews.io answered HTTP 503: We are temporarily offline for maintenance. Try again later."),
])
def test_api_errors_say_what_the_api_said_and_what_to_do(server, clock, name, status, body, kind, expected):
    server.route("/" + name, status=status, body=json.dumps(body), content_type="application/json")
    with pytest.raises(FetchError) as info:
        fetch_source(name, fetcher(), "Acme Freight", server.base + "/" + name, KEY, clock=clock)
    assert info.value.message == expected and info.value.kind == kind
    assert KEY not in info.value.message + info.value.url
    assert len(server.log) == 1 and clock.sleeps == []  # a keyed quota API is never asked twice


@pytest.mark.parametrize("name", ["newsapi", "gnews", "gdelt"])
def test_the_search_is_for_the_name_without_its_legal_ending(server, clock, name):
    server.route("/" + name, body=json.dumps({"status": "ok", "articles": []}), content_type="application/json")
    fetch_source(name, fetcher(), "Acme, Inc.", server.base + "/" + name, KEY, clock=clock)
    assert asked(server)["query" if name == "gdelt" else "q"] == '"Acme"'
    assert KEY not in server.log[0][1]  # the key travels in a header, never the URL


@pytest.mark.parametrize("name,body", [
    ("newsapi", {"status": "error", "code": "rateLimited",
                 "message": "You have been rate limited. Back off for a while before trying the request again."}),
    ("gnews", {"errors": ["Too many requests, please slow down."]}),
])
def test_a_429_from_a_quota_api_is_not_retried_and_rests_the_source_for_the_batch(server, clock, name, body):
    server.route("/" + name, status=429, body=json.dumps(body), content_type="application/json",
                 headers={"Retry-After": "3600"})
    with pytest.raises(FetchError) as info:
        fetch_source(name, fetcher(), "Acme Freight", server.base + "/" + name, KEY, clock=clock)
    assert len(server.log) == 1  # one request: a retry would only burn the daily quota
    assert info.value.kind == "rate-limited"
    assert "has asked too often" in info.value.message and "It asked Earned to wait 60 minutes." in info.value.message
    assert clock.sleeps == []
    # The next prospect of the batch: not asked at all until the hour is over.
    label = source(name).label
    with pytest.raises(FetchError) as info:
        fetch_source(name, fetcher(), "Beta Corp", server.base + "/" + name, KEY, clock=clock)
    assert len(server.log) == 1 and info.value.kind == "rate-limited"
    assert info.value.message == (f"{label} asked Earned to wait until 15:00 UTC; skipped until then. Research "
                                  "again after that to hear from it; the other sources go on.")
    clock.sleep(3600, threading.Event())
    server.route("/" + name, body=json.dumps({"status": "ok", "articles": []}), content_type="application/json")
    assert fetch_source(name, fetcher(), "Beta Corp", server.base + "/" + name, KEY, clock=clock) == []
    assert len(server.log) == 2


def test_a_quota_answer_without_retry_after_rests_until_its_documented_reset(server, clock):
    """GNews's daily quota resets at 00:00 UTC (https://docs.gnews.io/error-handling); NewsAPI's 429 gets an hour."""
    server.route("/gnews", status=403, body=json.dumps({"errors": ["You have reached your request limit for today."]}),
                 content_type="application/json")
    with pytest.raises(FetchError):
        fetch_source("gnews", fetcher(), "Acme Freight", server.base + "/gnews", KEY, clock=clock)
    clock.sleep(10 * 3600 - 60, threading.Event())  # 23:59 UTC
    with pytest.raises(FetchError) as info:
        fetch_source("gnews", fetcher(), "Acme Freight", server.base + "/gnews", KEY, clock=clock)
    assert "wait until 00:00 UTC on 13 Nov; skipped until then" in info.value.message and len(server.log) == 1
    clock.sleep(60, threading.Event())
    server.route("/gnews", body=json.dumps({"totalArticles": 0, "articles": []}), content_type="application/json")
    assert fetch_source("gnews", fetcher(), "Acme Freight", server.base + "/gnews", KEY, clock=clock) == []

    server.route("/newsapi", status=429, body=json.dumps({"status": "error", "code": "apiKeyExhausted",
                 "message": "Your API key has no more requests available."}), content_type="application/json")
    with pytest.raises(FetchError):
        fetch_source("newsapi", fetcher(), "Acme Freight", server.base + "/newsapi", KEY, clock=clock)
    clock.sleep(3599, threading.Event())
    with pytest.raises(FetchError) as info:
        fetch_source("newsapi", fetcher(), "Acme Freight", server.base + "/newsapi", KEY, clock=clock)
    assert "skipped until then" in info.value.message and server.hits("/newsapi") == 1
    clock.sleep(1, threading.Event())
    server.route("/newsapi", body=json.dumps({"status": "ok", "articles": []}), content_type="application/json")
    assert fetch_source("newsapi", fetcher(), "Acme Freight", server.base + "/newsapi", KEY, clock=clock) == []


@pytest.mark.parametrize("name", ["newsapi", "gnews"])
def test_a_quota_api_does_not_retry_a_timeout(server, clock, name):
    answered = threading.Event()

    def slow(req):
        answered.wait(5)  # no answer until the client has given up: the request may still have counted
        return 200, JSON, b"{}"

    server.routes["/" + name] = slow
    try:
        with pytest.raises(FetchError) as info:
            fetch_source(name, Fetcher(crawl_delay=0.0, deadline=5.0, read_timeout=0.3), "Acme Freight",
                         server.base + "/" + name, KEY, clock=clock)
    finally:
        answered.set()
    assert info.value.kind == "timeout" and len(server.log) == 1
    assert KEY not in info.value.message


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
        assert info.value.message == "NewsAPI.org answered HTTP 500: oops. Try again later."
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


def test_retry_after_as_an_http_date_is_honoured(server, clock):
    """RFC 9110, 10.2.3: Retry-After is seconds or an HTTP date; the date is counted on the wall clock."""
    in_20_s = format_datetime(datetime.fromtimestamp(WALL + 20, timezone.utc), usegmt=True)
    seen = scripted(server, clock, [(429, {"Retry-After": in_20_s, **JSON}, b""), (200, JSON, gdelt_answer())])
    assert fetch_source("gdelt", fetcher(), "Acme Freight", server.base + "/gdelt", clock=clock) == []
    assert seen == [1000.0, 1020.0]  # 20 s, not the 5 s spacing alone

    # A date further off than GDELT's max_wait: no retry; the source rests until then, for every run.
    in_an_hour = format_datetime(datetime.fromtimestamp(clock.wall() + 3600, timezone.utc), usegmt=True)
    server.route("/gdelt", status=429, body="", content_type="text/plain", headers={"Retry-After": in_an_hour})
    with pytest.raises(FetchError) as info:
        fetch_source("gdelt", fetcher(), "Acme Freight", server.base + "/gdelt", clock=clock)
    assert "It asked Earned to wait 60 minutes." in info.value.message and len(server.log) == 3
    with pytest.raises(FetchError) as info:
        fetch_source("gdelt", fetcher(), "Acme Freight", server.base + "/gdelt", clock=clock)
    assert info.value.message.startswith("GDELT news search asked Earned to wait until 15:01 UTC; skipped")
    assert len(server.log) == 3


def test_a_503s_retry_after_is_honoured_within_max_wait(server, clock):
    seen = scripted(server, clock, [(503, {"Retry-After": "12", "Content-Type": "text/plain"}, b"busy"),
                                    (200, JSON, gdelt_answer())])
    assert fetch_source("gdelt", fetcher(), "Acme Freight", server.base + "/gdelt", clock=clock) == []
    assert seen == [1000.0, 1012.0]  # never sooner than it asked
    # Longer than max_wait (30 s): not retried.
    server.route("/gdelt", status=503, body="down for maintenance", content_type="text/plain",
                 headers={"Retry-After": "600"})
    with pytest.raises(FetchError) as info:
        fetch_source("gdelt", fetcher(), "Acme Freight", server.base + "/gdelt", clock=clock)
    assert len(server.log) == 3 and info.value.message == "GDELT news search answered HTTP 503: down for maintenance"


# GDELT's own throttle sentence (https://blog.gdeltproject.org/gdelt-doc-2-0-api-debuts/ asks for one request
# every 5 seconds); it answers 429 without Retry-After, or sends the sentence as a 200 text answer.
THROTTLE = b"Please limit requests to one every 5 seconds or contact kalev.leetaru5@gmail.com for large queries."


@pytest.mark.parametrize("status", [429, 200])
def test_gdelt_throttling_is_waited_out_once_then_rests_the_source(server, clock, status):
    server.route("/gdelt", status=status, body=THROTTLE, content_type="text/plain")
    with pytest.raises(FetchError) as info:
        fetch_source("gdelt", fetcher(), "Acme Freight", server.base + "/gdelt", clock=clock)
    assert info.value.kind == "rate-limited"
    assert info.value.message.startswith("GDELT news search says Earned has asked too often: Please limit requests")
    assert info.value.message.endswith(" Try again after 14:01 UTC.")
    assert len(server.log) == 2 and clock.sleeps == [5.0]  # tried once more, 5 s later
    with pytest.raises(FetchError) as info:  # the next prospect, at once: skipped
        fetch_source("gdelt", fetcher(), "Beta Corp", server.base + "/gdelt", clock=clock)
    assert "skipped until then" in info.value.message and len(server.log) == 2
    clock.sleep(5.0, threading.Event())
    server.route("/gdelt", body=gdelt_answer(), content_type="application/json")
    assert fetch_source("gdelt", fetcher(), "Beta Corp", server.base + "/gdelt", clock=clock) == []


def test_gdelt_retries_a_timeout_no_sooner_than_5_s(server, clock):
    seen = []
    retried = threading.Event()

    def gdelt(req):
        seen.append(clock.now())
        if len(seen) == 1:
            retried.wait(5)  # the first answer comes only once the client has timed out and asked again
        else:
            retried.set()
        return 200, JSON, gdelt_answer()

    server.routes["/gdelt"] = gdelt
    slow = Fetcher(crawl_delay=0.0, deadline=5.0, read_timeout=0.3)
    try:
        assert fetch_source("gdelt", slow, "Acme Freight", server.base + "/gdelt", clock=clock) == []
    finally:
        retried.set()
    assert len(seen) == 2 and seen[1] - seen[0] >= 5.0


def test_two_runs_at_once_share_gdelts_5_s_spacing(server, clock):
    """A batch researches prospects in parallel: GDELT still gets one request every 5 seconds."""
    server.route("/gdelt", body=gdelt_answer(), content_type="application/json")
    results, errors = [], []

    def run(name):
        try:
            results.append(fetch_source("gdelt", fetcher(), name, server.base + "/gdelt", clock=clock))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("Acme Freight", "Beta Corp")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert errors == [] and results == [[], []] and len(server.log) == 2
    assert clock.sleeps == [5.0]  # one of the two waited its turn
    assert sorted(asked(server, i)["query"] for i in (0, 1)) == ['"Acme Freight"', '"Beta"']


def test_gdelt_json_with_an_escaped_backslash_and_a_broken_record_is_still_read(server, clock):
    # An invalid escape (\') next to a valid escaped backslash before an "x" ("C:\\x"): the pair stays one
    # backslash; read as two escapes, it would become "\x", invalid, and lose the batch.
    body = (r'{"articles": [{"url": "https://news.example/c", "title": "Acme Freight\'s C:\\xfiles", '
            r'"seendate": "20261112T080000Z", "domain": "news.example"}]}')
    server.route("/gdelt", body=body, content_type="application/json")
    [fact] = fetch_source("gdelt", fetcher(), "Acme Freight", server.base + "/gdelt", clock=clock)
    assert fact.text == "Acme Freight's C:\\xfiles"
    # One record with an unescaped quote: the others are read one by one.
    body = ('{"articles": [{"url": "https://news.example/d", "title": "Acme Freight says "hi"", "domain": "x"}, '
            '{"url": "https://news.example/e", "title": "Acme Freight buys a fleet", '
            '"seendate": "20261112T080000Z", "domain": "news.example"}]}')
    server.route("/gdelt", body=body, content_type="application/json")
    [fact] = fetch_source("gdelt", fetcher(), "Acme Freight", server.base + "/gdelt", clock=clock)
    assert fact.text == "Acme Freight buys a fleet"


@pytest.mark.parametrize("raw,shown", [
    ("AT&amp;T wins &quot;Carrier of the Year&quot;", 'AT&T wins "Carrier of the Year"'),
    ("<p>Acme <b>opens</b> a depot</p>", "Acme opens a depot"),
    ("&lt;p&gt;Acme opens a depot&lt;/p&gt;", "Acme opens a depot"),  # tags sent escaped
    ("Acme: revenue &lt; $5M, costs &gt; $1M", "Acme: revenue < $5M, costs > $1M"),  # not a tag: kept
    ("Acme: revenue < $5M, costs > $1M", "Acme: revenue < $5M, costs > $1M"),
    (None, ""),
])
def test_api_text_fields_are_shown_as_plain_text(raw, shown):
    from app.research.sources.base import plain
    assert plain(raw) == shown


class DriftingClock(FakeClock):
    """Wall time that moves a little at each reading, as real time does between two reads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reads = 0

    def wall(self) -> float:
        self.reads += 1
        return super().wall() + 0.01 * self.reads


def test_a_quota_reset_at_midnight_is_said_as_midnight(server):
    clock = DriftingClock(start=1000.0, wall=WALL)
    server.route("/gnews", status=403, body=json.dumps({"errors": ["You have reached your request limit for today."]}),
                 content_type="application/json")
    with pytest.raises(FetchError) as info:
        fetch_source("gnews", fetcher(), "Acme Freight", server.base + "/gnews", KEY, clock=clock)
    assert "Try again after 00:00 UTC on 13 Nov." in info.value.message, info.value.message


def test_runs_waiting_for_their_turn_are_stopped_by_the_answer_that_says_too_often(server, clock):
    # Four prospects of a batch ask GNews at once; the first answer says the day's quota is used up.
    server.route("/gnews", status=403, body=json.dumps({"errors": ["You have reached your request limit for today."]}),
                 content_type="application/json")
    errors: list[FetchError] = []

    def ask():
        try:
            fetch_source("gnews", fetcher(), "Acme Freight", server.base + "/gnews", KEY, clock=clock)
        except FetchError as e:
            errors.append(e)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(server.log) == 1  # the other three never spent the rep's quota
    assert len(errors) == 4 and all(e.kind == "rate-limited" for e in errors)


@pytest.mark.parametrize("value", ["inf", "1e13", "nan"])
def test_a_retry_after_that_is_no_real_wait_is_capped_not_crashed_on(server, clock, value):
    server.route("/gdelt", status=429, body="", content_type="text/plain", headers={"Retry-After": value})
    with pytest.raises(FetchError) as info:
        fetch_source("gdelt", fetcher(), "Acme Freight", server.base + "/gdelt", clock=clock)
    assert info.value.kind == "rate-limited" and "unexpectedly" not in info.value.message


def test_a_short_rest_is_said_in_seconds_not_as_a_clock_time(server, clock):
    server.route("/gdelt", body="Please limit requests to one every 5 seconds or contact kalev.leetaru5@gmail.com.",
                 content_type="text/plain")
    with pytest.raises(FetchError):
        fetch_source("gdelt", fetcher(), "Acme Freight", server.base + "/gdelt", clock=clock)
    with pytest.raises(FetchError) as info:
        fetch_source("gdelt", fetcher(), "Beta Corp", server.base + "/gdelt", clock=clock)
    assert info.value.message.startswith("GDELT news search asked Earned to wait 5 s; skipped until then.")
