"""Hostile websites in the real window: whatever a site sends, the window never stalls over 100 ms,
research finishes or is cancelled within 2 s, and closing the window ends it within 2 s.

Each site is served on 127.0.0.1 by a raw-socket server (tests/fixtures/hostile_server.py), with a
normal home page (whose facts must arrive) and one hostile part."""
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QPushButton
from pytestqt.exceptions import TimeoutError as WaitTimeout

from app.services.research_service import ResearchService
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from tests.fixtures.hostile_server import HostileServer
from tests.fixtures.stall_meter import StallMeter
from tests.helpers.window import find, trigger

HOME = ("<html><head><title>Acme Robotics</title>{head}</head><body><p>Acme Robotics opened a second factory in "
        "Tacoma, Washington in September 2026, doubling output to 1,200 forklifts a year.</p>"
        "<p><a href='/about'>About us</a> <a href='/careers'>Careers</a></p>{body}</body></html>")
ABOUT = ("<html><head><title>About Acme Robotics</title></head><body><p>Acme Robotics has built warehouse robots "
         "in Tacoma since 1998 and employs 240 people.</p></body></html>")


def _drip_headers(conn):
    conn.drip(b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 100_000 + b"\r\n\r\n", every=0.02)


def _header_flood(conn):
    conn.send(b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: %s\r\n" % (i, b"b" * 90) for i in range(1100)) + b"\r\n")


def _site(server: HostileServer, kind: str) -> None:
    """Set up a site with one hostile part of the given kind."""
    head, body = "", ""
    robots = "User-agent: *\nAllow: /\n"
    if kind == "drip-headers":
        server.routes["/about"] = _drip_headers
    elif kind == "not-http":
        server.routes["/about"] = lambda conn: conn.send(b"SSH-2.0-OpenSSH_9.2\r\n" + b"\x00\x01" * 1000)
    elif kind == "header-flood":
        server.routes["/about"] = _header_flood
    elif kind == "crawl-delay":
        robots = "User-agent: *\nCrawl-delay: 3600\n"
    elif kind == "huge-robots":
        robots = "User-agent: *\nDisallow: /about\n" + "# padding\n" * 1_100_000
    elif kind == "sitemap":
        robots += f"Sitemap: {server.base}/sitemap.xml\n"
        server.reply("/sitemap.xml", body=b"<urlset>" + b"<url><loc>" + f"{server.base}/about/x".encode() * 1
                     + b"\n<url><loc>x" * 400_000 + b"</urlset>", content_type="application/xml")
    elif kind == "entity-feed":
        head = "<link rel='alternate' type='application/rss+xml' href='/feed.xml'>"
        items = b"".join(b"<item><title>News %d</title><link>/news/%d</link></item>" % (i, i) for i in range(5))
        server.reply("/feed.xml", body=b'<?xml version="1.0"?>' + b"<!ENTITY\n" * 300_000
                     + b'<rss version="2.0"><channel><title>Acme</title>' + items + b"</channel></rss>",
                     content_type="application/rss+xml")
    elif kind == "many-links":
        body = "<a href='#'>x</a>" * 250_000
    elif kind == "json-ld":
        junk = '{"@type": "Organization", "name": "Acme Robotics"}' + "{x}a" * 200_000
        head = "".join(f"<script type='application/ld+json'>{s}</script>" for s in (junk, "[" * 1_000_000, junk))
    elif kind == "bad-links":
        body = "<a href='javascript:alert(1)'>About</a><a href='file:///etc/passwd'>News</a>"
    elif kind == "private-redirect":
        server.reply("/about", status=302, body="", headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    server.reply("/robots.txt", body=robots, content_type="text/plain")
    server.reply("/", body=HOME.format(head=head, body=body))
    if "/about" not in server.routes:
        server.reply("/about", body=ABOUT)
    server.reply("/careers", body=ABOUT.replace("About", "Careers at"))


def _window(qtbot, open_window, earned_home, server, **overrides):
    store = open_store(earned_home / "earned.db")
    WorkspaceRepo(store.conn).add_prospect("Acme Robotics", server.base + "/")
    store.conn.close()
    service = ResearchService(earned_home / "earned.db", overrides={
        "crawl_delay": 0.0, "deadline": 4.0, "read_timeout": 2.0,
        "sources": {"site": True, "feeds": True, "gdelt": False, "newsapi": False, "gnews": False,
                    "sec": False}, **overrides})
    window = open_window(research=service)
    qtbot.waitUntil(lambda: window.research.research.isEnabled())
    return window, service


KINDS = ["drip-headers", "not-http", "header-flood", "crawl-delay", "huge-robots", "sitemap", "entity-feed",
         "many-links", "json-ld", "bad-links", "private-redirect"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_hostile_site_never_stalls_the_window_and_its_research_ends(qtbot, open_window, earned_home, kind):
    with HostileServer() as server:
        _site(server, kind)
        window, service = _window(qtbot, open_window, earned_home, server)
        facts = find(window, QListWidget, "factList")
        cancel = find(window, QPushButton, "cancelResearchButton")
        with StallMeter() as meter:
            trigger(window, "researchAction")
            qtbot.waitUntil(lambda: facts.count() > 0 or not service.is_running(), timeout=15_000)
            # What is left (the hostile part) either ends by itself or is cancelled: both within bounds.
            try:
                qtbot.waitUntil(lambda: not service.is_running(), timeout=8_000)
            except WaitTimeout:
                started = time.monotonic()
                with qtbot.waitSignal(service.finished, timeout=5_000):
                    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
                assert time.monotonic() - started < 2.0, "Cancel took more than 2 s"
        assert len(meter.gaps) > 20
        assert meter.longest < 100, f"{kind}: the main thread stalled for {meter.longest} ms"
        def shown() -> str:
            return " ".join(facts.item(i).text() for i in range(facts.count()))

        # Found facts are saved on the store thread and then listed: a quick run can end a moment before
        # its last save comes back, so wait for the list, not just for the end of research.
        try:
            qtbot.waitUntil(lambda: "second factory in Tacoma" in shown(), timeout=5_000)
        except WaitTimeout:
            pytest.fail(f"{kind}: the home page's facts were lost: {shown()[:500]}")
        shown = shown()
        assert "javascript:" not in shown and "file:" not in shown
        if kind == "huge-robots":
            assert server.hits("/about") == 0, "robots.txt said no to /about"
        if kind == "private-redirect":
            errors = find(window, QListWidget, "researchErrors")
            said = " ".join(errors.item(i).text() for i in range(errors.count()))
            assert "private or local network" in said, said


@pytest.mark.parametrize("kind", ["drip-headers", "json-ld", "sitemap", "crawl-delay"])
def test_closing_the_window_ends_research_within_two_seconds(qtbot, open_window, earned_home, kind):
    with HostileServer() as server:
        _site(server, kind)
        # Long limits: only closing the window may end this research.
        window, service = _window(qtbot, open_window, earned_home, server, deadline=120.0, read_timeout=60.0)
        trigger(window, "researchAction")
        qtbot.waitUntil(lambda: server.hits("/") > 0, timeout=15_000)
        qtbot.waitUntil(lambda: len(server.log) > 2, timeout=15_000)
        started = time.monotonic()
        window.close()
        assert time.monotonic() - started < 2.0, f"{kind}: closing took {time.monotonic() - started:.1f} s"
        assert service.wait(0), f"{kind}: the research thread was still running after close"
        assert not service.parser_running(), "the parser child outlived the window"
