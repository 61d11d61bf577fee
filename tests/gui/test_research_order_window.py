"""The window shows research as the rep should read it: by usefulness and date, each news item with
its own date, a language tag where not English, and a site that never names the company kept apart."""
from PySide6.QtWidgets import QListWidget

from app.services.research_service import ResearchService
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from app.ui.fact_cards import FACT_ROLE
from tests.fixtures.http_server import LocalServer
from tests.helpers.window import find, trigger

HOME_DE = """<html><head><title>Müller & Söhne Dachbau</title>
<meta name="description" content="Müller & Söhne ist ein Dachdeckerbetrieb in München, gegründet 1952.">
</head><body><main><p>Müller & Söhne hat im Jahr 2024 einen zweiten Standort in Augsburg eröffnet und beschäftigt
nun 40 Mitarbeiter.</p><p><a href="/news">News</a></p></main></body></html>"""
NEWS_EN = """<html lang="en"><head><title>News - Müller & Söhne</title></head><body><main>
<h1>Latest news</h1>
<h2>Müller & Söhne opens a depot in Augsburg</h2><p class="date">March 3, 2024</p>
<p>Müller & Söhne opened its second depot in Augsburg, adding 8 roofers to the team.</p>
<h2>A schools contract</h2><p class="date">14 November 2023</p>
<p>Müller & Söhne signed a two-year contract to maintain the roofs of 12 Munich schools.</p>
</main></body></html>"""
OTHER_SITE = """<html lang="en"><head><title>Harbor Freight Lines</title></head><body><main>
<p>We opened a cross-dock in Reno in 2025 and now run 140 trucks across Nevada and California.</p>
</main></body></html>"""
SOURCES = {"site": True, "feeds": False, "gdelt": False, "newsapi": False, "gnews": False, "sec": False}


def _research(qtbot, open_window, earned_home, company: str, server: LocalServer):
    store = open_store(earned_home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    prospect = repo.add_prospect(company, server.base + "/")
    repo.add_note(prospect.id, "Met their ops lead at the Munich roofing fair")
    store.conn.close()
    service = ResearchService(earned_home / "earned.db", overrides={"crawl_delay": 0.0, "sources": SOURCES})
    window = open_window(research=service)
    qtbot.waitUntil(lambda: window.research.research.isEnabled())
    window.research.select_prospect(prospect.id)
    facts = find(window, QListWidget, "factList")
    qtbot.waitUntil(lambda: facts.count() == 1)
    with qtbot.waitSignal(service.finished, timeout=20_000):
        trigger(window, "researchAction")
    # Research hands each fact to the store thread as it finds it: the last may still be saving when the run
    # ends. Once they are all saved, every saved fact must be listed.
    window.service.wait(5000)
    db = earned_home / "earned.db"
    qtbot.waitUntil(lambda: facts.count() == _saved_facts(db), timeout=5000)
    rows = [facts.item(i) for i in range(facts.count())]
    return window, [(r.text(), r.data(FACT_ROLE)) for r in rows]


def test_facts_are_shown_by_usefulness_with_their_own_dates_and_language(qtbot, open_window, earned_home):
    with LocalServer() as server:
        server.route("/", body=HOME_DE)
        server.route("/news", body=NEWS_EN)
        window, rows = _research(qtbot, open_window, earned_home, "Müller & Söhne", server)
    texts = [text for text, _ in rows]
    facts = [fact for _, fact in rows]
    assert facts[0].kind == "note", "the rep's own note stays on top"
    research = facts[1:]
    assert len(research) >= 3
    scores = [f.score for f in research]
    assert scores == sorted(scores, reverse=True), "research facts are shown by usefulness"
    german = [t for t, f in rows if "Augsburg eröffnet" in f.text or "gegründet 1952" in f.text]
    assert german and all("SITE [de]" in t for t in german)
    english = [t for t, f in rows if f.text.startswith("Müller & Söhne opened its second depot")]
    assert english and "[de]" not in english[0] and "2024-03-03" in english[0]
    contract = [t for t, f in rows if "schools" in f.text]
    assert contract and "2023-11-14" in contract[0], "each news item carries its own date"
    assert not any("does not name the company" in t for t in texts)


def test_a_site_that_never_names_the_company_is_said_plainly_and_kept_apart(qtbot, open_window, earned_home):
    with LocalServer() as server:
        server.route("/", body=OTHER_SITE)
        window, rows = _research(qtbot, open_window, earned_home, "Contoso Freight", server)
    errors = find(window, QListWidget, "researchErrors")
    said = " ".join(errors.item(i).text() for i in range(errors.count()))
    assert "does not mention Contoso Freight" in said, said
    off = [t for t, f in rows if f.off_site]
    assert off and all("site does not name the company" in t for t in off)
    assert rows[-1][1].off_site and rows[0][1].kind == "note", "facts from the wrong site come last"


def _saved_facts(db) -> int:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM facts WHERE NOT discarded").fetchone()[0]
    finally:
        conn.close()
