"""The fetcher against a real, hostile HTTP server on 127.0.0.1: every failure classified, nothing hangs."""
import gzip
import threading
import time

import pytest

from app.research.errors import Cancelled, FetchError
from app.research.fetcher import Fetcher, normalize_url
from tests.fixtures.http_server import LocalServer

HTML = "<html><head><title>Acme</title></head><body><p>Acme opened a plant in Austin.</p></body></html>"


@pytest.fixture
def server():
    with LocalServer() as s:
        s.route("/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")
        yield s


def fetcher(**kw):
    return Fetcher(**{"crawl_delay": 0.0, "deadline": 5.0, "read_timeout": 2.0, **kw})


def kind_of(call):
    with pytest.raises(FetchError) as info:
        call()
    assert info.value.message and "Traceback" not in info.value.message
    return info.value.kind


def test_plain_page_is_bytes_with_charset_and_honest_user_agent(server):
    server.route("/", body=HTML.encode("utf-8"), content_type="text/html; charset=UTF-8")
    got = fetcher(contact="rep@example.com").fetch(server.base + "/")
    assert got.body == HTML.encode() and got.charset == "utf-8" and got.content_type == "text/html"
    agents = {ua for _, path, ua in server.log}
    assert len(agents) == 1 and next(iter(agents)).startswith("Earned/") and "rep@example.com" in next(iter(agents))


def test_windows_1252_without_charset_stays_bytes(server):
    body = "<html><body><p>Caf\xe9 Nord \x96 na\xefve</p></body></html>".encode("latin-1")
    server.route("/w", body=body, content_type="text/html")
    got = fetcher().fetch(server.base + "/w")
    assert got.body == body and got.charset is None


def test_redirects_are_followed_and_the_final_url_is_cited(server):
    server.route("/old", status=301, headers={"Location": "/new"}, content_type="")
    server.route("/new", body=HTML)
    got = fetcher().fetch(server.base + "/old")
    assert got.final_url == server.base + "/new" and got.url == server.base + "/old"


def test_redirect_loop_and_too_many_redirects(server):
    server.route("/a", status=302, headers={"Location": "/b"}, content_type="")
    server.route("/b", status=302, headers={"Location": "/a"}, content_type="")
    assert kind_of(lambda: fetcher().fetch(server.base + "/a")) == "http-status"
    for i in range(8):
        server.route(f"/r{i}", status=302, headers={"Location": f"/r{i + 1}"}, content_type="")
    assert kind_of(lambda: fetcher().fetch(server.base + "/r0")) == "http-status"


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)"])
def test_redirect_to_other_schemes_is_refused(server, target):
    server.route("/evil", status=302, headers={"Location": target}, content_type="")
    assert kind_of(lambda: fetcher().fetch(server.base + "/evil")) == "invalid-url"


def test_slow_drip_hits_the_deadline(server):
    server.routes["/drip"] = lambda req: (200, {"Content-Type": "text/html"}, ((b"<p>x</p>", 0.2) for _ in range(100)))
    started = time.monotonic()
    assert kind_of(lambda: fetcher(deadline=1.5).fetch(server.base + "/drip")) == "timeout"
    assert time.monotonic() - started < 4


def test_silent_server_times_out(server):
    server.routes["/silent"] = lambda req: (200, {"Content-Type": "text/html"}, [(b"", 3.0), (b"<p>late</p>", 0)])
    assert kind_of(lambda: fetcher(read_timeout=0.5, deadline=5).fetch(server.base + "/silent")) == "timeout"


def test_twenty_megabytes_is_too_large_declared_or_not(server):
    big = b"<html>" + b"a" * (20 * 1024 * 1024)
    server.route("/big", body=big)
    assert kind_of(lambda: fetcher().fetch(server.base + "/big")) == "too-large"
    server.routes["/big-chunked"] = lambda req: (200, {"Content-Type": "text/html"},
                                                 ((b"a" * 1024 * 1024, 0) for _ in range(20)))
    assert kind_of(lambda: fetcher().fetch(server.base + "/big-chunked")) == "too-large"


def test_gzip_bomb_stops_at_the_cap(server):
    bomb = gzip.compress(b"<html>" + b"\0" * (200 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 1024 * 1024
    server.route("/bomb", body=bomb, headers={"Content-Encoding": "gzip"})
    assert kind_of(lambda: fetcher().fetch(server.base + "/bomb")) in ("too-large", "wrong-type")


def test_binary_labelled_html_is_wrong_type(server):
    server.route("/bin", body=bytes(range(256)) * 100, content_type="text/html")
    assert kind_of(lambda: fetcher().fetch(server.base + "/bin")) == "wrong-type"
    server.route("/pdf", body=b"%PDF-1.4\n...", content_type="application/pdf")
    assert kind_of(lambda: fetcher().fetch(server.base + "/pdf")) == "wrong-type"


def test_missing_content_type_is_sniffed(server):
    server.route("/nt", body=HTML, content_type="")
    assert fetcher().fetch(server.base + "/nt").content_type == "text/html"


def test_500_is_retried_then_classified(server):
    server.route("/err", status=500, body="oops", content_type="text/plain")
    assert kind_of(lambda: fetcher(retries=1).fetch(server.base + "/err")) == "http-status"
    assert server.hits("/err") == 2


def test_429_retry_after_is_respected(server):
    calls = []

    def flaky(req):
        calls.append(time.monotonic())
        if len(calls) == 1:
            return 429, {"Content-Type": "text/plain", "Retry-After": "1"}, b"slow down"
        return 200, {"Content-Type": "text/html"}, HTML.encode()

    server.routes["/busy"] = flaky
    got = fetcher().fetch(server.base + "/busy")
    assert got.status == 200 and calls[1] - calls[0] >= 0.9


def test_retry_after_longer_than_the_deadline_gives_up_at_once(server):
    server.route("/later", status=429, body="no", content_type="text/plain", headers={"Retry-After": "3600"})
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetcher().fetch(server.base + "/later")
    assert info.value.kind == "http-status" and "3600" in info.value.message
    assert time.monotonic() - started < 2


def test_robots_disallow_everything(server):
    server.route("/robots.txt", body="User-agent: *\nDisallow: /\n", content_type="text/plain")
    server.route("/", body=HTML)
    assert kind_of(lambda: fetcher().fetch(server.base + "/")) == "robots-disallowed"
    assert server.hits("/") == 0


def test_robots_404_allows_and_5xx_skips_the_host(server):
    del server.routes["/robots.txt"]
    server.route("/", body=HTML)
    assert fetcher().fetch(server.base + "/").status == 200
    server.route("/robots.txt", status=503, body="down", content_type="text/plain")
    f = fetcher(retries=0)
    assert kind_of(lambda: f.fetch(server.base + "/")) == "http-status"
    hits = server.hits("/")
    assert kind_of(lambda: f.fetch(server.base + "/")) == "http-status"  # cached: host skipped
    assert server.hits("/") == hits


def test_crawl_delay_and_one_request_at_a_time_per_host(server):
    server.route("/robots.txt", body="User-agent: *\nCrawl-delay: 0.5\n", content_type="text/plain")
    server.route("/p", body=HTML)
    f = fetcher(crawl_delay=0.0)
    threads = [threading.Thread(target=f.fetch, args=(server.base + "/p",)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times = sorted(t for t, path, _ in server.log if path == "/p")
    assert len(times) == 3
    assert all(b - a >= 0.45 for a, b in zip(times, times[1:]))


def test_cancel_stops_a_wait(server):
    server.route("/robots.txt", body="User-agent: *\nCrawl-delay: 30\n", content_type="text/plain")
    server.route("/p", body=HTML)
    f = fetcher()
    f.fetch(server.base + "/p")
    threading.Timer(0.3, f.cancel.set).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        f.fetch(server.base + "/p")
    assert time.monotonic() - started < 3


def test_nothing_listening_is_offline():
    with LocalServer() as s:
        base = s.base
    assert kind_of(lambda: fetcher().fetch(base + "/")) == "offline"


@pytest.mark.parametrize("typed", ["ftp://acme.example", "not a url", "http://", "javascript:alert(1)",
                                   "http://exa mple.com", "http://acme.example:99999/"])
def test_invalid_urls(typed):
    assert kind_of(lambda: fetcher().fetch(typed)) == "invalid-url"


def test_idn_domains_become_punycode():
    assert normalize_url("bücher.example/straße") == "https://xn--bcher-kva.example/straße"


def test_keys_are_redacted_from_errors(server):
    server.route("/api", status=401, body="bad key", content_type="text/plain")
    from app.research.sources import source
    from app.research.sources.api import ApiClient

    f = fetcher(redact=("sk-secret-123",))
    # An API's answer comes back whole, errors included: its own rules (ApiClient) turn it into a message.
    assert f.fetch(server.base + "/api?apiKey=sk-secret-123", kind="api").status == 401
    with pytest.raises(FetchError) as info:
        ApiClient(f, source("newsapi")).get(server.base + "/api?apiKey=sk-secret-123")
    assert "sk-secret-123" not in info.value.message and "sk-secret-123" not in info.value.url
