"""The services and the ProspectSession without a window: a real workspace file, the real store thread.

Per-call operations (Op) deliver to their own caller; every write is announced once on `changed`; the
session keeps the one in-memory copy of the selected prospect up to date from those announcements."""
import random

import pytest

from app.core.models import Fact
from app.research.facts import FoundFact
from app.services.workspace_service import WorkspaceService
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from app.ui.session import ProspectSession, fact_order


@pytest.fixture
def service(qtbot, tmp_path):
    svc = WorkspaceService(tmp_path / "earned.db", seed_demo=False)
    with qtbot.waitCallback() as opened:
        svc.open().success(opened)
    yield svc
    svc.close()


def _call(qtbot, op, timeout=5000):
    """Wait for an Op; returns what its success callback got (fails the test on its failure)."""
    got = {}
    op.success(lambda value: got.setdefault("value", value)).failure(lambda message: got.setdefault("error", message))
    qtbot.waitUntil(lambda: bool(got), timeout=timeout)
    assert "error" not in got, got.get("error")
    return got["value"]


def _loaded_session(qtbot, service, prospect_id) -> ProspectSession:
    session = ProspectSession(service)
    with qtbot.waitSignal(session.loaded, timeout=5000):
        session.select(prospect_id)
    return session


def test_an_op_failure_goes_to_its_own_caller_and_nowhere_else(qtbot, service):
    broadcast = []
    service.failed.connect(broadcast.append)
    with qtbot.waitCallback() as failed:
        service.load_prospect(999).success(lambda _: pytest.fail("no such prospect")).failure(failed)
    assert "999" in failed.args[0] or "prospect" in failed.args[0].lower()
    assert broadcast == []  # the caller handled it
    # Without a failure callback, the rep is still told (the window shows `failed` in its banner).
    with qtbot.waitSignal(service.failed, timeout=5000):
        service.load_prospect(998)


def test_every_write_is_announced_once_with_the_new_state(qtbot, service):
    changes = []
    service.changed.connect(changes.append)
    p = _call(qtbot, service.add_prospect("Harbor & Pine", "harborpine.example"))
    note = _call(qtbot, service.add_note(p.id, "Opened a Reno cross-dock"))
    pinned = _call(qtbot, service.set_pinned(note.id, True))
    assert [c.prospects for c in changes[:1]] == [(p,)]
    assert changes[1].facts == (note,) and changes[2].facts == (pinned,) and pinned.pinned
    assert len(changes) == 3


def test_facts_research_saves_reach_the_session_and_stay_citable_during_a_search(qtbot, service):
    p = _call(qtbot, service.add_prospect("Harbor & Pine", "harborpine.example"))
    _call(qtbot, service.add_note(p.id, "Opened a Reno cross-dock"))
    session = _loaded_session(qtbot, service, p.id)
    with qtbot.waitSignal(session.search_changed, timeout=5000):
        session.search("Reno")
    assert [f.text for f in session.search_results] == ["Opened a Reno cross-dock"]

    found = FoundFact(kind="news", text="Harbor & Pine hired 12 dock supervisors in Reno.",
                      source_url="https://news.example/a", source_title="Reno Gazette", published="2026-11-01")
    with qtbot.waitSignal(session.facts_changed, timeout=5000):
        service.add_found_fact(p.id, found)
    # Saved while the rep was searching: in the session's facts, so it can be cited at once.
    assert any(f.text == found.text for f in session.facts.values())
    assert str(next(f.id for f in session.facts.values() if f.text == found.text)) in session.facts_by_key


def test_a_late_answer_for_a_prospect_the_rep_left_is_dropped(qtbot, service):
    a = _call(qtbot, service.add_prospect("Acme"))
    b = _call(qtbot, service.add_prospect("Bolt"))
    _call(qtbot, service.add_note(a.id, "Acme fact"))
    session = ProspectSession(service)
    session.select(a.id)
    with qtbot.waitSignal(session.loaded, timeout=5000):
        session.select(b.id)  # before a's answer came back
    service.wait()
    qtbot.wait(50)
    assert session.prospect.company == "Bolt" and not session.facts


def test_the_kind_due_next_follows_the_sent_log(qtbot, service):
    p = _call(qtbot, service.add_prospect("Harbor & Pine"))
    note = _call(qtbot, service.add_note(p.id, "Opened a Reno cross-dock"))
    session = _loaded_session(qtbot, service, p.id)
    assert session.default_kind() == "first-touch" and session.draft.kind == "first-touch"
    with qtbot.waitSignal(session.touches_changed, timeout=5000):
        service.record_touch(p.id, "first-touch", "Reno", "Congrats on Reno.", [note.id], [])
    assert session.default_kind() == "follow-up"
    assert session.cited_before == {note.id}
    session.clear_draft()
    assert session.draft.kind == "follow-up"
    # A LinkedIn note is not an email: a follow-up forwards the last email, so none is due after only a note.
    q = _call(qtbot, service.add_prospect("Bolt"))
    _call(qtbot, service.record_touch(q.id, "linkedin-note", "", "Hi", [], []))
    other = _loaded_session(qtbot, service, q.id)
    assert other.default_kind() == "first-touch"


def test_the_session_orders_facts_as_the_store_does(tmp_path):
    store = open_store(tmp_path / "earned.db")
    repo = WorkspaceRepo(store.conn)
    p = repo.add_prospect("Acme")
    rng = random.Random(7)
    for i in range(60):
        kind = rng.choice(["note", "news", "site"])
        if kind == "note":
            f = repo.add_note(p.id, f"note {i}")
        else:
            f, _ = repo.add_fact(p.id, kind, f"fact {i}", f"https://a.example/{i}", "", rng.choice(
                [None, "2026-01-05", "2026-03-01", "2025-12-31"]), "en", rng.random() < 0.2, round(rng.random(), 1))
        if rng.random() < 0.15:
            repo.set_pinned(f.id, True)
    stored = repo.list_facts(p.id)
    shuffled = list(stored)
    rng.shuffle(shuffled)
    assert [f.id for f in fact_order(shuffled)] == [f.id for f in stored]
    store.conn.close()


def test_fact_order_puts_pinned_first_and_unscored_notes_before_research():
    facts = [Fact(1, 1, "news", "a", score=0.9, published="2026-01-01"), Fact(2, 1, "note", "b"),
             Fact(3, 1, "news", "c", score=0.2, pinned=True), Fact(4, 1, "site", "d", score=0.9, off_site=True)]
    assert [f.id for f in fact_order(facts)] == [3, 2, 1, 4]
