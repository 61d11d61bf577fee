"""Hostile servers on 127.0.0.1: research ends by its deadline, or within a moment of Cancel, whatever a
server does; says plainly what happened; keeps what it found; never hands on a source URL it should not.

Where a parser's time is at stake the work runs in a child process with a timeout, so today's quadratic
code fails the test instead of hanging it, and CPU time and peak memory come from getrusage.
"""
from __future__ import annotations

import inspect
import json
import socket
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
import urllib3
from packaging.requirements import Requirement

from app.research import fetcher as fetcher_module
from app.research.discover import clean_link, sitemap_links
from app.research.errors import Cancelled, FetchError
from app.research.feeds import FeedError, parse_feed
from app.research.fetcher import Fetcher
from tests.fixtures.hostile_server import HostileServer, InThread, Silent, Unaccepting, wait_until
from tests.fixtures.http_server import LocalServer

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
HTML = ("<html><head><title>Acme Robotics</title></head><body><p>Acme Robotics opened a second factory in Tacoma, "
        "Washington in September 2026, doubling output to 1,200 forklifts a year.</p></body></html>")


def fetcher(**kw) -> Fetcher:
    return Fetcher(**{"crawl_delay": 0.0, "deadline": 5.0, "read_timeout": 2.0, **kw})


@pytest.fixture
def hostile():
    with HostileServer() as server:
        server.reply("/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")
        yield server


@pytest.fixture
def local():
    with LocalServer() as server:
        yield server


def run_python(code: str, timeout: float) -> dict:
    """Run code in a child Python; it sets `result`. Returns its result, its CPU seconds and its peak
    RSS in MB -- or fails the test if it is still running after timeout seconds."""
    # Peak RSS from /proc (VmHWM): getrusage's ru_maxrss in a child started by vfork+exec starts at
    # the parent's peak, so it would measure pytest, not the research.
    wrapper = textwrap.dedent(code) + textwrap.dedent("""
        import json as _json, resource as _resource
        _usage = _resource.getrusage(_resource.RUSAGE_SELF)
        with open("/proc/self/status") as _status:
            _peak_kb = next(int(line.split()[1]) for line in _status if line.startswith("VmHWM:"))
        print(_json.dumps({"result": result, "cpu": _usage.ru_utime + _usage.ru_stime, "rss_mb": _peak_kb / 1024}))
    """)
    try:
        proc = subprocess.run([sys.executable, "-c", wrapper], cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still parsing after {timeout:.0f} s: no budget stopped it")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- the HTTP exchange itself ----------------------------------------------------------------------------
def test_headers_dripped_a_byte_at_a_time_end_at_the_deadline(hostile):
    # Each byte comes well within the read timeout, so only a deadline over the whole request ends it.
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"a" * 100_000 + b"\r\n\r\n"
    hostile.routes["/drip"] = lambda conn: conn.drip(head, every=0.02)
    run = InThread(lambda: fetcher(deadline=1.0, read_timeout=5.0).fetch(hostile.base + "/drip"))
    assert run.finished(within=8), "the fetch was still reading headers long after its 1 s deadline"
    assert isinstance(run.error, FetchError) and run.error.kind == "timeout"
    assert run.error.message == f"{hostile.base}/drip did not finish answering within 1 s; Earned stopped waiting."


@pytest.mark.parametrize("reply, said", [
    (b"SSH-2.0-OpenSSH_9.6\r\n", "sent a reply that is not HTTP"),
    (bytes(range(256)) * 400, "sent a reply that is not HTTP"),
    (b"", "closed the connection without answering"),
    (b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 90) for i in range(1000)) + b"\r\n",
     "sent too many headers"),
    (b"HTTP/1.1 200 OK\r\nX-Big: " + b"v" * 100_000 + b"\r\n\r\n", "sent too many headers"),
], ids=["ssh-banner", "binary", "hangs-up", "1000-headers", "100-kb-header"])
def test_a_reply_that_is_not_http_is_named_for_what_it_is(reply, said):
    with HostileServer() as server:
        server.routes["*"] = lambda conn: conn.send(reply)  # robots.txt too: the port is not a web server
        run = InThread(lambda: fetcher().fetch(server.base + "/"))
        assert run.finished(within=8)
    error = run.error
    assert isinstance(error, FetchError) and error.kind == "parse-failed"
    assert error.message.startswith(f"127.0.0.1:{server.port} {said}")
    assert "Could not connect" not in error.message  # it did connect: that message was false


# -- robots.txt ------------------------------------------------------------------------------------------
def test_an_hour_long_crawl_delay_is_capped_and_reported(local):
    local.route("/robots.txt", body="User-agent: *\nCrawl-delay: 3600\n", content_type="text/plain")
    local.route("/a", body=HTML)
    local.route("/b", body=HTML)
    f = fetcher(max_crawl_delay=0.2)
    run = InThread(lambda: [f.fetch(local.base + p).status for p in ("/a", "/b")])
    assert run.finished(within=8), "still waiting out the hour the site asked for"
    assert run.error is None and run.value == [200, 200]
    [notice] = f.take_notices()
    assert notice.kind == "crawl-delay" and notice.message == (
        f"127.0.0.1:{local.port} asks crawlers (in its robots.txt) to wait 3600 s between requests; Earned waits "
        "0.2 s at most, so it visits more often than the site asks.")
    assert f.take_notices() == []  # said once
    times = [t for t, path, _ in local.log if path in ("/a", "/b")]
    assert times[1] - times[0] >= 0.15  # the capped pause is still kept
    assert Fetcher().max_crawl_delay == 10.0


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
def test_a_ten_megabyte_robots_txt_is_read_to_500_kib_and_honoured(local, declared):
    robots = b"User-agent: *\nDisallow: /private\n" + b"# nothing to see here, move along\n" * (10 * MB // 34)
    if declared:
        local.route("/robots.txt", body=robots, content_type="text/plain")
    else:
        local.routes["/robots.txt"] = lambda req: (200, {"Content-Type": "text/plain"},
                                                   ((robots[i:i + MB], 0) for i in range(0, len(robots), MB)))
    local.route("/private/plans", body=HTML)
    local.route("/about", body=HTML)
    f = fetcher()
    with pytest.raises(FetchError) as info:
        f.fetch(local.base + "/private/plans")
    assert info.value.kind == "robots-disallowed" and local.hits("/private/plans") == 0
    assert f.fetch(local.base + "/about").status == 200


# -- parsers: input caps and linear scans --------------------------------------------------------------------
def test_a_sitemap_of_unclosed_locs_is_scanned_in_linear_time():
    outcome = run_python("""
        from app.research.discover import sitemap_links
        xml = (b"<urlset><url><loc>http://127.0.0.1/about</loc></url>"
               + b"<url><loc>http://127.0.0.1/about/x\\n" * 300_000 + b"</urlset>")
        pages, nested = sitemap_links(xml, "http://127.0.0.1/")
        result = {"pages": pages, "nested": nested}
    """, timeout=30)
    assert outcome["result"] == {"pages": [["http://127.0.0.1/about", "about"]], "nested": []}
    assert outcome["cpu"] < 5


FEED_ITEM = b"<item><title>News %d</title><link>http://127.0.0.1/news/%d</link><description>%s</description></item>"


@pytest.mark.parametrize("shape", ["entity-declarations", "billion-laughs", "ten-mb-of-entities"])
def test_feeds_full_of_entities_parse_within_budget_and_keep_their_first_items(shape):
    outcome = run_python(f"""
        from app.research.feeds import parse_feed
        SHAPE = {shape!r}
        ITEM = {FEED_ITEM!r}
        items = b"".join(ITEM % (i, i, b"Acme ships robots.") for i in range(20))
        rss = b'<rss version="2.0"><channel><title>Acme news</title>' + items + b"</channel></rss>"
        if SHAPE == "entity-declarations":  # lines feedparser's DOCTYPE clean-up rescans from each one
            body = b'<?xml version="1.0"?>' + b"<!ENTITY\\n" * 200_000 + rss
        elif SHAPE == "billion-laughs":
            dtd = b'<!ENTITY a "aaaaaaaaaa">' + b"".join(
                b'<!ENTITY %c "%s">' % (98 + i, (b"&%c;" % (97 + i)) * 10) for i in range(9))
            body = (b'<?xml version="1.0"?><!DOCTYPE rss [' + dtd + b']><rss version="2.0"><channel>'
                    b"<title>Acme news</title>" + (ITEM % (0, 0, b"&j;&j;&j;")) + items + b"</channel></rss>")
        else:  # just under the fetcher's 10 MB cap, thousands of entities per item, not well-formed
            body = rss[:-len(b"</channel></rss>")] + b"".join(
                ITEM % (i, i, b"&amp; &lt;b& &nbsp;" * 300) for i in range(20, 1700)) + b"</channel></rss>"
            assert 9_000_000 < len(body) < 10 * 1024 * 1024
        feed = parse_feed(body, "utf-8", "application/rss+xml")
        result = {{"titles": [i.title for i in feed.items[:3]], "longest": max(len(i.summary) for i in feed.items)}}
    """, timeout=30)
    titles = outcome["result"]["titles"]
    assert titles[:1] == ["News 0"] and len(titles) == 3  # what came first is kept
    assert outcome["result"]["longest"] < 100_000  # no entity was expanded into a billion a's
    assert outcome["cpu"] < 3


def test_a_page_with_250000_links_stays_under_300_mb(local):
    links = b"".join(b"<a href=#>x</a>" for _ in range(250_000))
    local.route("/", body=HTML.encode().replace(b"</p>", b"</p>" + links))
    outcome = run_python(f"""
        from app.research.fetcher import Fetcher
        from app.research.pipeline import Researcher, ResearchOptions
        options = ResearchOptions(url={local.base + "/"!r}, max_pages=1, sources={{
            "site": True, "feeds": False, "gdelt": False, "newsapi": False, "gnews": False, "sec": False}})
        fetcher = Fetcher(crawl_delay=0.0, deadline=30)
        run = Researcher(options, fetcher=fetcher).run()
        result = {{"titles": [p["title"] for p in run.pages], "errors": [e.message for e in run.errors],
                   "notices": [n.message for n in fetcher.take_notices()]}}
    """, timeout=120)
    assert outcome["result"]["titles"] == ["Acme Robotics"], outcome["result"]["errors"]
    # The research run lists the fetcher's notice among its problems (and leaves none behind).
    assert f"{local.base}/ has more than 50,000 HTML tags; Earned read only its first 50,000." in \
        outcome["result"]["errors"]
    assert outcome["result"]["notices"] == []
    assert outcome["rss_mb"] < 300


def test_json_ld_junk_cannot_make_the_parser_quadratic():
    outcome = run_python("""
        from app.research.jsonld import parse_jsonld
        org = '{"@type": "Organization", "name": "Acme"}'
        junk = org + "{x}a" * 200_000  # broken values, between which the next bracket is looked for
        scripts = [junk, "[" * 1_000_000, '{"a": "' + "x" * 5_000_000, junk, org.replace("Acme", "Beta")]
        result = [o.get("name") for o in parse_jsonld(scripts)]
    """, timeout=30)
    # The 5 MB script is over the size of one script, the second junk over the page's budget; the small
    # script after them still fits and is read.
    assert outcome["result"] == ["Acme", "Beta"]
    assert outcome["cpu"] < 3


# -- sources a fact may cite ---------------------------------------------------------------------------------
BAD_LINKS = ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=",
             "file:///etc/passwd", "ftp://127.0.0.1/pub/x", "java\tscript:alert(1)", "/news/relative"]


def test_feed_and_page_links_that_are_not_http_are_never_a_source():
    rss = ('<rss version="2.0"><channel><title>Acme</title>'
           + "".join(f"<item><title>Item {i}</title><link>{link}</link></item>" for i, link in enumerate(BAD_LINKS))
           + "<item><title>Good</title><link>http://127.0.0.1/news/1</link></item></channel></rss>")
    atom = ('<feed xmlns="http://www.w3.org/2005/Atom"><title>Acme</title>'
            + "".join(f'<entry><title>Item {i}</title><link href="{link}"/></entry>'
                      for i, link in enumerate(BAD_LINKS))
            + "</feed>")
    json_feed = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Acme", "items": [
        {"title": f"Item {i}", "url": link} for i, link in enumerate(BAD_LINKS)]})
    for body, kind in ((rss, "application/rss+xml"), (atom, "application/atom+xml"), (json_feed, "application/json")):
        links = {item.link for item in parse_feed(body.encode(), "utf-8", kind).items}
        assert links <= {"", "http://127.0.0.1/news/1"}, (kind, links)
    # Given the feed's own address, a relative link becomes a real one; a javascript: link never does.
    based = parse_feed(rss.encode(), "utf-8", "application/rss+xml", base="http://127.0.0.1/feed.xml")
    assert {i.link for i in based.items} == {"", "http://127.0.0.1/news/relative", "http://127.0.0.1/news/1"}

    sitemap = "".join(f"<url><loc>{link}</loc></url>" for link in BAD_LINKS).encode()
    assert sitemap_links(sitemap, "http://127.0.0.1/") == ([], [])
    assert [clean_link(link, "http://127.0.0.1/") for link in BAD_LINKS[:-1]] == [None] * 6


def test_a_feed_body_that_names_a_local_file_is_not_read_from_disk(tmp_path):
    local_feed = tmp_path / "feed.xml"
    local_feed.write_text('<rss version="2.0"><channel><title>On disk</title><item><title>Local secret</title>'
                          "<link>http://127.0.0.1/x</link></item></channel></rss>")
    with pytest.raises(FeedError):
        parse_feed(str(local_feed).encode(), None, "application/rss+xml")


# -- redirects into the rep's own network ----------------------------------------------------------------------
@pytest.mark.parametrize("target", [
    "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://172.16.0.1/", "http://192.168.1.1/",
    "http://127.0.0.2/", "http://[::1]/", "http://[fe80::1]/", "http://localhost:{port}/",
])
def test_a_redirect_into_a_private_network_is_refused(local, target):
    target = target.format(port=local.port)
    local.route("/", status=302, headers={"Location": target}, content_type="")
    run = InThread(lambda: fetcher(connect_timeout=1.0, deadline=3.0).fetch(local.base + "/"))
    assert run.finished(within=10)
    error = run.error
    assert isinstance(error, FetchError) and error.kind == "blocked", error
    assert error.message.startswith("The site redirected to ") and error.message.endswith(
        ", an address on a private or local network; Earned does not follow a web site there.")
    assert [path for _, path, _ in local.log] == ["/robots.txt", "/"]


def test_a_redirect_to_another_port_is_refused_unless_allowed(local):
    with LocalServer() as other:
        other.route("/", body=HTML)
        local.route("/", status=301, headers={"Location": other.base + "/"}, content_type="")
        local.route("/old", status=301, headers={"Location": "/"}, content_type="")
        with pytest.raises(FetchError) as info:
            fetcher().fetch(local.base + "/old")  # a same-origin hop first: those still work
        assert info.value.kind == "blocked" and info.value.message == (
            f"127.0.0.1:{local.port} redirected to 127.0.0.1:{other.port}, another port; Earned follows a site "
            "only to the usual web ports (80 and 443) or the port you gave.")
        assert other.log == []
        got = fetcher(allow_private_redirects=True).fetch(local.base + "/old")
        assert got.final_url == other.base + "/"


def test_the_address_checked_is_the_address_connected_to(local, monkeypatch):
    # DNS rebinding: the name looks public when the redirect is checked, then resolves to loopback
    # when the connection is made. The connection checks the address it actually uses.
    real = socket.getaddrinfo
    monkeypatch.setattr(fetcher_module, "_resolve", lambda host, port: ["93.184.216.34"])
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **kw: real(
        "127.0.0.1" if host == "rebind.test" else host, *a, **kw))
    local.route("/", status=302, headers={"Location": f"http://rebind.test:{local.port}/"}, content_type="")
    with pytest.raises(FetchError) as info:
        fetcher().fetch(local.base + "/")
    assert info.value.kind == "blocked" and "rebind.test (127.0.0.1)" in info.value.message
    assert [path for _, path, _ in local.log] == ["/robots.txt", "/"]  # nothing asked of rebind.test


# -- dependencies ------------------------------------------------------------------------------------------------
def test_the_declared_urllib3_range_has_the_api_the_fetcher_uses():
    # The fetcher reads bodies with HTTPResponse.read1(decode_content=True), which urllib3 has from 2.2
    # on: with 1.26 (which requests>=2.31 alone would allow) research read no page and found 0 facts.
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    declared = {Requirement(d).name.lower(): Requirement(d).specifier for d in dependencies}
    assert "urllib3" in declared, "urllib3 is used directly: its range must be declared"
    for too_old in ("1.26.20", "2.0.7", "2.1.0"):
        assert not declared["urllib3"].contains(too_old), too_old
    assert declared["urllib3"].contains(urllib3.__version__)
    assert "decode_content" in inspect.signature(urllib3.response.HTTPResponse.read1).parameters


# -- Cancel, in every phase of a fetch ---------------------------------------------------------------------------
@pytest.mark.parametrize("phase", ["connecting", "tls-handshake", "silent", "headers", "body", "crawl-delay",
                                   "retry-after"])
def test_cancel_ends_a_fetch_within_a_second_in_every_phase(phase, hostile, local):
    # Every timeout, wait and the deadline are 10 s or more: a fetch that ends within the few seconds
    # allowed below was ended by Cancel.
    f = fetcher(connect_timeout=30.0, read_timeout=30.0, deadline=60.0, max_retry_wait=60.0)
    if phase == "connecting":
        stuck = Unaccepting()
        url, started = stuck.base + "/", stuck.connecting
    elif phase in ("tls-handshake", "silent"):  # connected; no ServerHello, or no status line, ever comes
        stuck = Silent()
        url = stuck.base.replace("http:", "https:" if phase == "tls-handshake" else "http:") + "/"
        started = stuck.accepted.is_set
    elif phase == "headers":
        sent = hostile.arrived["/p"]
        hostile.routes["/p"] = lambda conn: conn.drip(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000, every=0.05)
        url, started = hostile.base + "/p", sent.is_set
    elif phase == "body":
        hostile.routes["/p"] = lambda conn: (conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                                       b"Content-Length: 1000\r\n\r\n<p>"), conn.hold())
        url, started = hostile.base + "/p", hostile.arrived["/p"].is_set
    elif phase == "crawl-delay":
        local.route("/robots.txt", body="User-agent: *\nCrawl-delay: 30\n", content_type="text/plain")
        local.route("/p", body=HTML)
        f.fetch(local.base + "/p")  # the next request to this host waits 10 s (the longest Earned waits)
        url, started = local.base + "/p", lambda: True
    else:
        local.route("/p", status=429, body="busy", content_type="text/plain", headers={"Retry-After": "30"})
        url, started = local.base + "/p", lambda: local.hits("/p") == 1
    try:
        run = InThread(lambda: f.fetch(url))
        assert wait_until(started, timeout=10), f"the fetch never reached the {phase} phase"
        f.cancel.set()
        assert run.finished(within=5), f"Cancel did not end a fetch that was {phase}"
        assert isinstance(run.error, Cancelled), run.error
    finally:
        if phase in ("connecting", "tls-handshake", "silent"):
            stuck.__exit__()


# -- a whole research run ----------------------------------------------------------------------------------------
def test_a_run_that_hits_budgets_keeps_everything_else(hostile):
    from app.research.pipeline import Researcher, ResearchOptions

    nav = '<a href="/about">About us</a> <a href="/careers">Careers</a>'
    home = HTML.replace("<body>", f"<body>{nav}").replace(
        "</head>", '<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>')
    hostile.reply("/", body=home)
    hostile.reply("/careers", body=HTML.replace("Acme Robotics opened a second factory",
                                                "Acme Robotics is hiring 40 engineers for the factory it opened"))
    hostile.routes["/about"] = lambda conn: conn.drip(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000, every=0.02)
    feed = (b'<rss version="2.0"><channel><title>Acme news</title>' + b"".join(
        FEED_ITEM % (i, i, b"Acme ships robots. &amp; &lt;b& &nbsp;" * 300) for i in range(800))
        + b"</channel></rss>")
    assert 9_000_000 < len(feed) < 10 * MB  # under the fetcher's cap: the parser's budget is what stops it
    hostile.reply("/feed.xml", body=feed, content_type="application/rss+xml")
    options = ResearchOptions(url=hostile.base + "/", max_pages=3, sources={
        "site": True, "feeds": True, "gdelt": False, "newsapi": False, "gnews": False, "sec": False})
    researcher = Researcher(options, fetcher=fetcher(deadline=1.5))
    run = InThread(researcher.run)
    assert run.finished(within=30) and run.error is None, run.error
    result = run.value
    assert {p["url"] for p in result.pages} == {hostile.base + "/", hostile.base + "/careers"}
    assert any(e.kind == "timeout" and e.message == f"{hostile.base}/about did not finish answering within 1.5 s; "
               "Earned stopped waiting." for e in result.errors), result.errors
    assert any(f.kind == "feed" and f.text.startswith("News 0") for f in result.facts), (result.facts, result.errors)
