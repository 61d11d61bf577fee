"""Research from the window: facts stream in, problems are listed, Cancel works, the UI never stalls."""
import sqlite3
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QPushButton

from app.services.research_service import ResearchService
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from tests.fixtures.company_site import endpoints
from tests.fixtures.stall_meter import StallMeter
from tests.helpers.window import find, store_change, trigger


def window_for(qtbot, open_window, earned_home, site, **overrides):
    store = open_store(earned_home / "earned.db")
    WorkspaceRepo(store.conn).add_prospect("Northwind Robotics", site.base + "/")
    store.conn.close()
    service = ResearchService(earned_home / "earned.db",
                              overrides={"crawl_delay": 0.0, "endpoints": endpoints(site), **overrides})
    window = open_window(research=service)  # wired exactly as the app wires its own
    qtbot.waitUntil(lambda: window.research.research.isEnabled())
    return window, service


def test_research_streams_facts_lists_problems_and_saves(qtbot, open_window, earned_home, site):
    window, service = window_for(qtbot, open_window, earned_home, site)
    facts = find(window, QListWidget, "factList")
    with qtbot.waitSignal(service.finished, timeout=20_000) as done:
        trigger(window, "researchAction")
    result = done.args[1]
    assert result.facts and not result.cancelled
    qtbot.waitUntil(lambda: facts.count() == len(result.facts), timeout=5000)
    shown = " ".join(facts.item(i).text() for i in range(facts.count()))
    assert "second factory in Tacoma" in shown and "Series C" in shown
    errors = find(window, QListWidget, "researchErrors")
    assert errors.isVisible() and any("JavaScript" in errors.item(i).text() for i in range(errors.count()))
    assert "Research done" in find(window, QLabel, "researchProgress").text()
    saved = sqlite3.connect(earned_home / "earned.db").execute("SELECT count(*) FROM facts").fetchone()[0]
    assert saved == len(result.facts)

    # Again: the same facts are refreshed, not duplicated.
    with qtbot.waitSignal(service.finished, timeout=20_000):
        trigger(window, "researchAction")
    window.service.wait(5000)
    again = sqlite3.connect(earned_home / "earned.db").execute("SELECT count(*) FROM facts").fetchone()[0]
    assert again == saved


def test_slow_site_never_stalls_the_window_and_cancel_keeps_what_was_found(qtbot, open_window, earned_home, site):
    slow = site.routes["/about"]
    site.routes["/about"] = lambda req: (200, {"Content-Type": "text/html"},
                                         ((chunk, 0.05) for chunk in [slow(req)[2][i:i + 200]
                                                                      for i in range(0, len(slow(req)[2]), 200)]))
    site.routes["/news"] = lambda req: (200, {"Content-Type": "text/html"}, ((b" ", 0.2) for _ in range(200)))
    window, service = window_for(qtbot, open_window, earned_home, site, deadline=30.0)

    with StallMeter() as meter:
        trigger(window, "researchAction")
        facts = find(window, QListWidget, "factList")
        qtbot.waitUntil(lambda: facts.count() > 0, timeout=15_000)  # the home page's facts arrive first
        qtbot.wait(1500)  # the event loop runs while the slow pages drip in: this is what is measured
        assert service.is_running()
        cancel = find(window, QPushButton, "cancelResearchButton")
        assert cancel.isVisible()
        started = time.monotonic()
        with qtbot.waitSignal(service.finished, timeout=10_000) as done:
            qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert time.monotonic() - started < 5
    assert done.args[1].cancelled and done.args[1].facts
    assert not cancel.isVisible() and find(window, QPushButton, "researchButton").isEnabled()
    assert len(meter.gaps) > 150
    assert meter.longest <= 50, f"the main thread stalled for {meter.longest} ms"


def test_sources_are_switched_in_settings_with_their_terms_from_the_registry(qtbot, open_window, earned_home, site):
    from PySide6.QtWidgets import QCheckBox, QDialog, QLineEdit

    from app.research.sources import SOURCES

    window, service = window_for(qtbot, open_window, earned_home, site)
    window.findChild(type(window.menuBar().actions()[0]), "researchSettingsAction").trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QDialog)))
    dialog = next(d for d in window.findChildren(QDialog) if d.isVisible())
    # Every source of the registry has its switch and says what it sends; Google News is gone.
    for src in SOURCES:
        assert dialog.findChild(QCheckBox, f"source-{src.name}") is not None, src.name
        assert src.sends in dialog.findChild(QLabel, f"source-{src.name}-terms").text()
    assert dialog.findChild(QCheckBox, "source-google-news") is None
    # NewsAPI's free key is for development only: said where the key is entered.
    assert "development only" in dialog.findChild(QLabel, "keyTerms-newsapi").text()
    dialog.findChild(QCheckBox, "source-gdelt").setChecked(False)
    dialog.findChild(QLineEdit, "userAgentContact").setText("rep@example.com")
    with store_change(qtbot, window, "settings"):
        qtbot.mouseClick(dialog.findChild(QPushButton, "dialogSaveButton"), Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(service.finished, timeout=20_000):
        trigger(window, "researchAction")
    assert site.hits("/gdelt") == 0
    assert all("rep@example.com" in agent for _, path, agent in site.log if path == "/")
    # With a contact set, SEC filings are looked up: on the local server, as every source here is.
    assert site.hits("/sec/files/company_tickers.json") == 1
