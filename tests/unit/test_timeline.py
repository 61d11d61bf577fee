"""A prospect's timeline: what happened, newest first, one line each, from a real SQLite workspace."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.core.errors import InputError
from app.core.models import TIMELINE_KINDS
from app.storage.database import connect, migrate, open_store
from app.storage.repo import WorkspaceRepo

START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A workspace whose stamps come from a clock that moves one hour per stamp, from START."""
    ticks = iter(range(1000))
    monkeypatch.setattr("app.storage.repo.now_iso",
                        lambda: (START + timedelta(hours=next(ticks))).isoformat(timespec="seconds"))
    store = open_store(tmp_path / "earned.db")
    yield WorkspaceRepo(store.conn)
    store.conn.close()


def lines(repo, prospect_id):
    return [(e.kind, e.text) for e in repo.timeline(prospect_id)]


def test_the_story_of_a_prospect_newest_first(repo):
    p = repo.add_prospect("Harbor & Pine")  # 09:00Z
    news, _ = repo.add_fact(p.id, "news", "Harbor & Pine opened a second cross-dock in Reno.",
                            "https://news.example/reno", "Reno Gazette", "2026-10-20")  # 10:00Z
    note = repo.add_note(p.id, "Dana prefers short emails.")  # 11:00Z
    junk, _ = repo.add_fact(p.id, "site", "Cookie settings")  # 12:00Z, then discarded: not part of the story
    repo.set_discarded(junk.id, True)
    touch = repo.record_touch(p.id, "first-touch", "Reno", "Congrats on Reno [^1]", [news.id],
                              sent_at=datetime.fromisoformat("2026-11-02T13:30:00+01:00"))  # 12:30Z
    repo.set_status(p.id, "disqualified", "no budget until 2027")  # 13:00Z
    repo.reopen_prospect(p.id)  # 14:00Z: contacted again, the follow-up date back

    events = repo.timeline(p.id)
    assert [(e.kind, e.text) for e in events] == [
        ("follow-up-due", "Follow-up due: Reno"),
        ("status", "Reopened as contacted"),
        ("status", "Disqualified: no budget until 2027"),
        ("sent", "First touch sent: Reno"),
        ("note", "Note: Dana prefers short emails."),
        ("fact", "In the news: Harbor & Pine opened a second cross-dock in Reno. (Reno Gazette, published 2026-10-20)"),
        ("added", "Added Harbor & Pine"),
    ]
    assert [e.ref_id for e in events][:1] + [e.ref_id for e in events][3:] == [touch.id, touch.id, note.id, news.id,
                                                                               p.id]
    assert events[0].when == "2026-11-05" and events[3].when == "2026-11-02T13:30:00+01:00"
    assert events[-1].when == "2026-11-02T09:00:00+00:00"
    assert {e.kind for e in events} <= set(TIMELINE_KINDS)


def test_times_in_other_offsets_are_ordered_by_the_moment_not_the_text(repo):
    p = repo.add_prospect("Acme")  # 09:00Z
    # Sent from Tokyo at 19:30 local, which is 10:30Z: after the prospect was added, before the note below.
    repo.record_touch(p.id, "linkedin-note", "", "Congrats", [], sent_at=datetime.fromisoformat(
        "2026-11-02T19:30:00+09:00"))
    repo.add_note(p.id, "Met at ProMat")  # 10:00Z
    repo.add_note(p.id, "Second note")  # 11:00Z
    assert lines(repo, p.id) == [("note", "Note: Second note"), ("sent", "LinkedIn note sent"),
                                 ("note", "Note: Met at ProMat"), ("added", "Added Acme")]


def test_kinds_of_message_and_follow_up_only_while_waiting_for_a_reply(repo):
    p = repo.add_prospect("Acme")
    repo.record_touch(p.id, "call-script", "", "Dana, about Reno", [], sent_at=START + timedelta(minutes=30))
    assert lines(repo, p.id)[0] == ("sent", "Call script logged")  # a call has no follow-up date
    repo.record_touch(p.id, "follow-up", "Re: Reno", "x", [], sent_at=START + timedelta(minutes=40))
    assert lines(repo, p.id)[0][0] == "follow-up-due"
    repo.set_status(p.id, "replied")
    assert [kind for kind, _ in lines(repo, p.id)] == ["status", "sent", "sent", "added"]
    assert lines(repo, p.id)[0] == ("status", "Marked replied")


def test_a_long_text_is_one_line(repo):
    p = repo.add_prospect("Acme")
    repo.add_note(p.id, "First line\nsecond line\t" + "word " * 100)
    [(kind, text), _] = lines(repo, p.id)
    assert kind == "note" and "\n" not in text and text.startswith("Note: First line second line word")
    assert text.endswith("…") and len(text) <= len("Note: ") + 120


def test_an_undone_send_leaves_the_timeline(repo):
    p = repo.add_prospect("Acme")
    touch = repo.record_touch(p.id, "first-touch", "Reno", "x", [], sent_at=START + timedelta(minutes=30))
    repo.unlog_touch(touch.id)
    assert lines(repo, p.id) == [("added", "Added Acme")]


def test_a_merged_prospect_has_both_stories(repo):
    keep, other = repo.add_prospect("Acme"), repo.add_prospect("Acme Inc")
    repo.add_note(other.id, "Sam likes numbers")
    repo.set_status(other.id, "disqualified", "wrong region")
    repo.merge_prospects(keep.id, other.id)
    assert lines(repo, keep.id) == [("status", "Disqualified: wrong region"), ("note", "Note: Sam likes numbers"),
                                    ("added", "Added Acme")]


def test_an_unknown_prospect_says_so(repo):
    with pytest.raises(InputError, match="no prospect with id 5"):
        repo.timeline(5)


def test_a_workspace_from_before_the_history_shows_the_last_status_it_knew(tmp_path):
    path = tmp_path / "earned.db"
    conn = connect(path)
    migrate(conn, upto=8)
    conn.execute("INSERT INTO prospects (id, company, status, status_reason, status_changed_at, created_at) VALUES"
                 " (1, 'Acme', 'disqualified', 'no budget', '2026-03-01T10:00:00+00:00', '2026-01-01T00:00:00+00:00')")
    conn.execute("INSERT INTO prospects (id, company, status, created_at) VALUES (2, 'Bolt', 'new', "
                 "'2026-01-02T00:00:00+00:00')")
    conn.close()
    store = open_store(path)
    repo = WorkspaceRepo(store.conn)
    events = repo.timeline(1)
    assert [(e.when, e.kind, e.text) for e in events] == [
        ("2026-03-01T10:00:00+00:00", "status", "Disqualified: no budget"),
        ("2026-01-01T00:00:00+00:00", "added", "Added Acme")]
    assert lines(repo, 2) == [("added", "Added Bolt")]
    # Reopening it is recorded from now on, with what it was before.
    repo.reopen_prospect(1)
    assert lines(repo, 1)[0] == ("status", "Reopened as new")
    store.conn.close()
