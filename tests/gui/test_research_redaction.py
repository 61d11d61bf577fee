"""A news API that echoes the rep's key in its errors: the window's research problems show no part of it.

The APIs are LocalServers on 127.0.0.1. The NewsAPI answer keeps the error shape of
https://newsapi.org/docs/errors ({"status": "error", "code": ..., "message": ...}); the GNews one is
a plain-text error, as APIs and the proxies in front of them send when something is badly wrong.
"""
import json
import secrets

from PySide6.QtWidgets import QLabel, QListWidget

from app.services.research_service import ResearchService
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from tests.helpers.window import find, trigger
from tests.fixtures.http_server import LocalServer


def pieces(key: str, size: int = 6) -> list[str]:
    return [key[i:i + size] for i in range(len(key) - size + 1)]


def test_problems_list_shows_no_part_of_an_echoed_key(qtbot, open_window, earned_home, no_gdelt_spacing):
    newsapi_key, gnews_key = secrets.token_hex(16), secrets.token_hex(16)  # shaped like real keys
    with LocalServer() as api:
        api.route("/newsapi", content_type="application/json", body=json.dumps({
            "status": "error", "code": "apiKeyInvalid",
            "message": f"Your API key {newsapi_key[:10]}... hasn't been entered correctly: {newsapi_key}"}))
        api.route("/gnews", content_type="text/plain",
                  body=f"Invalid key {gnews_key[:8]}... for account ...{gnews_key[-9:]} ({gnews_key})")
        store = open_store(earned_home / "earned.db")
        WorkspaceRepo(store.conn).add_prospect("Northwind Robotics", "")
        store.conn.close()
        service = ResearchService(earned_home / "earned.db", overrides={
            "crawl_delay": 0.0, "keys": {"newsapi": newsapi_key, "gnews": gnews_key},
            "sources": {"site": False, "feeds": False, "gdelt": False, "sec": False, "newsapi": True, "gnews": True},
            "endpoints": {"newsapi": api.base + "/newsapi", "gnews": api.base + "/gnews"}})
        window = open_window(research=service)  # wired exactly as the app wires its own
        qtbot.waitUntil(lambda: window.research.research.isEnabled())
        with qtbot.waitSignal(service.finished, timeout=20_000):
            trigger(window, "researchAction")
        assert api.hits("/newsapi") == 1 and api.hits("/gnews") == 1

    errors = find(window, QListWidget, "researchErrors")
    qtbot.waitUntil(lambda: errors.count() == 2, timeout=5000)
    shown = "\n".join(errors.item(i).text() for i in range(errors.count()))
    shown += "\n" + find(window, QLabel, "researchProgress").text() + "\n" + window.statusBar().currentMessage()
    # The problems are there, in words the rep can act on ...
    assert "NewsAPI said: Your API key ***... hasn't been entered correctly: ***" in shown
    assert "GNews said: Invalid key ***... for account ...*** (***)" in shown
    # ... and not one 6-character piece of either key.
    for key in (newsapi_key, gnews_key):
        assert not [p for p in pieces(key) if p in shown], shown
