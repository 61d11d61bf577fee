"""Research a list from the window: select prospects, research them in the background, see each one's
state and problems, Cancel; the queue resumes when the window opens (after a quit mid-batch too); an import
offers to research what it added."""
import contextlib
import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QProgressBar, QPushButton, QWidget

from app.services.batch_research_service import BatchResearchService
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from app.storage.research_queue import ResearchQueueRepo
from app.ui.batch_panel import problem_line
from tests.fixtures.http_server import LocalServer
from tests.fixtures.stall_meter import StallMeter
from tests.helpers.window import find
from tests.unit.test_research_queue import SENTENCES, facts_of, offline_sources, serve_site


def add_prospects(home, prospects):
    store = open_store(home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    ids = [repo.add_prospect(company, website).id for company, website in prospects]
    return repo, ids


def batch_service(home, **overrides):
    return BatchResearchService(home / "earned.db", concurrency=4,
                                overrides={"crawl_delay": 0.0, "sources": offline_sources(), **overrides})


def panel_states(window) -> dict[str, str]:
    """Each row of the panel as the rep reads it: {company: state}."""
    rows = find(window, QListWidget, "batchList")
    return dict(rows.item(i).text().split("  —  ", 1) for i in range(rows.count()))


def select(qtbot, window, companies):
    """Click the first prospect, Ctrl+click the others, as a rep would."""
    prospects = find(window, QListWidget, "prospectList")
    rows = [next(prospects.item(i) for i in range(prospects.count()) if prospects.item(i).text().startswith(c))
            for c in companies]
    for n, row in enumerate(rows):
        modifier = Qt.KeyboardModifier.ControlModifier if n else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(prospects.viewport(), Qt.MouseButton.LeftButton, modifier,
                         prospects.visualItemRect(row).center())
    assert sorted(i.text().split("  (")[0] for i in prospects.selectedItems()) == sorted(companies)


def test_research_selected_prospects_shows_each_ones_state_and_saves_their_facts(qtbot, open_window, earned_home):
    with LocalServer() as gone:
        closed = gone.base
    with LocalServer() as a, LocalServer() as b:
        serve_site(a, "Acme Anvils")
        serve_site(b, "Bolt Freight")
        repo, (ida, idb, idc, idd) = add_prospects(earned_home, [
            ("Acme Anvils", a.base), ("Bolt Freight", b.base), ("Cogs Robotics", closed), ("Dune Mills", "")])
        repo.conn.close()
        batch = batch_service(earned_home)
        window = open_window(batch=batch)
        panel = find(window, QWidget, "batchResearchPanel")
        assert not panel.isVisible()

        select(qtbot, window, ["Acme Anvils", "Bolt Freight", "Cogs Robotics"])
        shown: list[str] = []  # what the panel said along the way
        batch.item_changed.connect(lambda item: shown.append(panel_states(window)[item.company]))
        cancel = find(window, QPushButton, "batchCancel")
        batch.batch_started.connect(lambda: shown.append(f"cancel shown: {cancel.isVisible()}"))
        with qtbot.waitSignal(batch.batch_finished, timeout=30_000) as finished:
            window.findChild(QAction, "researchSelectedAction").trigger()

    assert not finished.args[0].cancelled and panel.isVisible()
    assert shown.count("researching") == 3 and "cancel shown: True" in shown
    qtbot.waitUntil(lambda: panel_states(window)["Cogs Robotics"].startswith("failed"))
    states = panel_states(window)
    assert states["Acme Anvils"] == "done: 4 facts" and states["Bolt Freight"] == "done: 4 facts"
    assert "refused the connection" in states["Cogs Robotics"] and "Dune Mills" not in states
    bar = find(window, QProgressBar, "batchProgress")
    assert (bar.value(), bar.maximum()) == (3, 3)
    assert find(window, QLabel, "batchSummary").text().startswith("3 of 3 researched · 1 failed · 8 facts found")
    assert not find(window, QPushButton, "batchCancel").isVisible()
    window.service.wait(5000)  # the facts were saved through the workspace service, as they came
    assert len(facts_of(earned_home, ida)) == 4 and len(facts_of(earned_home, idb)) == 4
    assert facts_of(earned_home, idc) == [] and facts_of(earned_home, idd) == []


NAMES = ["Acme Anvils", "Bolt Freight", "Cogs Robotics", "Dune Mills", "Echo Tools"]


@contextlib.contextmanager
def five_slow_sites(earned_home, open_window):
    """Five prospects whose sites answer the home page, then pages that never finish; a window with a
    batch service. Yields (servers, ids, batch, window, found: the prospects a fact came for)."""
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(LocalServer()) for _ in NAMES]
        for server, name in zip(servers, NAMES):
            serve_site(server, name, slow=30.0)
        repo, ids = add_prospects(earned_home, [(n, s.base) for n, s in zip(NAMES, servers)])
        repo.conn.close()
        batch = batch_service(earned_home, deadline=60.0)
        window = open_window(batch=batch)
        found: set[int] = set()
        batch.fact_found.connect(lambda pid, fact: found.add(pid))
        yield servers, ids, batch, window, found


def test_cancel_in_the_panel_keeps_what_was_found_and_the_window_never_stalls(qtbot, open_window, earned_home):
    names = NAMES
    with five_slow_sites(earned_home, open_window) as (servers, ids, batch, window, found):
        with StallMeter() as meter:
            window.research_actions.research_list(ids)
            qtbot.waitUntil(lambda: len(found) == 4, timeout=20_000)  # four at a time: each has its home page's fact
            # ...and each is now reading a page that drips in: the window must stay responsive meanwhile.
            qtbot.waitUntil(lambda: all(sum(s.hits(p) for p in ("/about", "/news", "/careers")) for s in servers[:4]))
            states = panel_states(window)
            assert sorted(states.values()).count("queued") == 1
            assert all(s.startswith("researching") for n, s in states.items() if n != names[4])
            cancel = find(window, QPushButton, "batchCancel")
            with qtbot.waitSignal(batch.batch_finished, timeout=10_000) as finished:
                qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)

    assert finished.args[0].cancelled
    qtbot.waitUntil(lambda: "queued" not in panel_states(window).values())
    states = panel_states(window)
    assert [states[n] for n in names] == ["cancelled: kept 1 fact"] * 4 + ["cancelled"]
    assert not cancel.isVisible()
    window.service.wait(5000)
    for pid, name in zip(ids[:4], names):
        assert facts_of(earned_home, pid) == [SENTENCES["/"].format(c=name)]
    assert len(meter.gaps) > 20
    # A window that waited on research even once would stall for seconds (the pages never finish).
    assert meter.longest <= 500, f"the main thread stalled for {meter.longest} ms"


def test_a_queue_left_by_the_last_session_resumes_when_the_window_opens(qtbot, open_window, earned_home):
    with LocalServer() as a, LocalServer() as b:
        serve_site(a, "Acme Anvils")
        serve_site(b, "Bolt Freight")
        repo, (ida, idb) = add_prospects(earned_home, [("Acme Anvils", a.base), ("Bolt Freight", b.base)])
        queue = ResearchQueueRepo(repo.conn)
        queue.enqueue([ida, idb])
        queue.claim(ida)  # the last session died while researching it
        repo.conn.close()
        batch = batch_service(earned_home)
        with qtbot.waitSignal(batch.batch_finished, timeout=30_000):
            window = open_window(batch=batch)
    qtbot.waitUntil(lambda: set(panel_states(window).values()) == {"done: 4 facts"})
    with sqlite3.connect(earned_home / "earned.db") as db:
        assert db.execute("SELECT group_concat(state) FROM research_queue").fetchone()[0] == "done,done"


def test_an_import_offers_to_research_the_prospects_it_added(qtbot, open_window, earned_home, tmp_path):
    with LocalServer() as a, LocalServer() as b:
        serve_site(a, "Acme Anvils")
        serve_site(b, "Bolt Freight")
        add_prospects(earned_home, [("Zeta Old", "")])[0].conn.close()
        batch = batch_service(earned_home)
        window = open_window(batch=batch)
        leads = tmp_path / "leads.csv"
        leads.write_text(f"Company,Website\nAcme Anvils,{a.base}\nBolt Freight,{b.base}\n", encoding="utf-8")
        window.data_actions.import_csv(str(leads))
        qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QDialog)))
        dialog = next(d for d in window.findChildren(QDialog) if d.isVisible())
        qtbot.mouseClick(dialog.findChild(QPushButton, "importButton"), Qt.MouseButton.LeftButton)
        offer = find(window, QPushButton, "batchOfferAccept")
        qtbot.waitUntil(offer.isVisible)
        assert "Research the 2 imported prospects now?" in find(window, QLabel, "batchOfferLabel").text()
        with qtbot.waitSignal(batch.batch_finished, timeout=30_000):
            qtbot.mouseClick(offer, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel_states(window) == {"Acme Anvils": "done: 4 facts", "Bolt Freight": "done: 4 facts"})
    assert not offer.isVisible()


def problem_lines(window) -> list[str]:
    errors = find(window, QListWidget, "researchErrors")
    return [errors.item(i).text() for i in range(errors.count())] if errors.isVisible() else []


def test_a_source_that_fails_in_the_batch_is_a_line_in_the_panel_and_in_the_problems_list(qtbot, open_window,
                                                                                          earned_home):
    with LocalServer() as a, LocalServer() as b:
        serve_site(a, "Acme Anvils", broken_feed=True)  # the site works; the feed it announces answers HTTP 500
        serve_site(b, "Bolt Freight")
        repo, (ida, idb) = add_prospects(earned_home, [("Acme Anvils", a.base), ("Bolt Freight", b.base)])
        repo.conn.close()
        batch = batch_service(earned_home)
        window = open_window(batch=batch)
        select(qtbot, window, ["Acme Anvils"])  # the rep reads Acme while the list is researched
        with qtbot.waitSignal(batch.batch_finished, timeout=30_000):
            window.research_actions.research_list([ida, idb])
        qtbot.waitUntil(lambda: panel_states(window)["Acme Anvils"] == "done: 4 facts · 1 problem")

    (problem,) = ResearchQueueRepo(open_store(earned_home / "earned.db").conn).get(ida).problems
    line = problem_line(problem)
    assert line.startswith("feed: ") and "500" in line
    assert problem_lines(window) == [line]  # shown as it was found, Acme being selected
    assert panel_states(window)["Bolt Freight"] == "done: 4 facts"
    rows = find(window, QListWidget, "batchList")
    acme = next(rows.item(i) for i in range(rows.count()) if rows.item(i).text().startswith("Acme"))
    assert acme.toolTip().endswith(f"\n• {line}")
    select(qtbot, window, ["Bolt Freight"])
    assert problem_lines(window) == []
    select(qtbot, window, ["Acme Anvils"])  # back to Acme: its lines again, once
    assert problem_lines(window) == [line]
    # Bolt selected, and a problem of Bolt's comes in: Bolt's line alone, none of Acme's left in the list.
    select(qtbot, window, ["Bolt Freight"])
    from app.research.errors import ResearchError
    bolt = ResearchError("gdelt", "", "rate-limited", "GDELT news search asked Earned to wait 5 s.")
    batch.error_found.emit(idb, bolt)
    assert problem_lines(window) == [problem_line(bolt)]


def test_closing_the_window_mid_batch_leaves_the_rest_to_finish_in_the_next_window(qtbot, open_window, earned_home):
    names = NAMES
    with five_slow_sites(earned_home, open_window) as (servers, ids, batch, window, found):
        window.research_actions.research_list(ids)
        qtbot.waitUntil(lambda: len(found) == 4, timeout=20_000)  # four researching, one waiting
        window.close()  # the rep quits mid-batch

        with sqlite3.connect(earned_home / "earned.db") as db:
            assert [r[0] for r in db.execute("SELECT state FROM research_queue ORDER BY position")] == ["queued"] * 5
        for server, name in zip(servers, names):
            serve_site(server, name)  # the sites answer at once now
        again = batch_service(earned_home)
        with qtbot.waitSignal(again.batch_finished, timeout=30_000) as finished:
            reopened = open_window(batch=again)

    assert not (finished.args[0].cancelled or finished.args[0].stopped)
    qtbot.waitUntil(lambda: panel_states(reopened) == {n: "done: 4 facts" for n in names})
    reopened.service.wait(5000)
    with sqlite3.connect(earned_home / "earned.db") as db:
        assert db.execute("SELECT group_concat(state) FROM research_queue").fetchone()[0] == ",".join(["done"] * 5)
    for pid, name in zip(ids, names):  # the first window's facts were kept, and none twice
        assert sorted(facts_of(earned_home, pid)) == sorted(s.format(c=name) for s in SENTENCES.values())
