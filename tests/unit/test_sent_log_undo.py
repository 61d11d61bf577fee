"""Taking back a logged send (the rep clicked "Mark sent" by mistake, or on the wrong prospect): the touch goes,
and the prospect's status and follow-up date are what they would be had it never been sent.

The rule (app.storage.history.status_after_unsend): 'disqualified' stays; a status the rep chose after the send
stays, except 'replied', which stays only if it was marked before the send or another message sent before the
reply was marked is still in the log; otherwise 'contacted' while messages remain, else the status the rep chose
before the send, else 'new'. Real SQLite file; status choices are stamped with the real clock, so sends are
placed before or after them by their own time."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from app.core.errors import InputError
from app.core.models import Draft
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo

NOW = datetime.now().astimezone()
EARLIER = NOW - timedelta(hours=3)  # before any status chosen in the test
LATER = NOW + timedelta(minutes=5)  # after it


@pytest.fixture
def repo(tmp_path):
    store = open_store(tmp_path / "earned.db")
    yield WorkspaceRepo(store.conn)
    store.conn.close()


def send(repo, prospect, at, kind="first-touch", subject="Austin", text="Congrats on Austin [^1]."):
    return repo.record_touch(prospect.id, kind, subject, text, [1], sent_at=at)


def test_undoing_the_only_send_gives_back_its_text_and_the_status_before_it(repo):
    p = repo.add_prospect("Acme")
    repo.set_status(p.id, "researching")
    repo.save_draft(Draft(p.id, "first-touch", "Austin", "Congrats on Austin [^1]."))
    touch = send(repo, p, LATER)
    assert repo.get_prospect(p.id).status == "contacted" and repo.get_draft(p.id) is None

    prospect, removed = repo.unlog_touch(touch.id)
    assert (removed.id, removed.kind, removed.subject, removed.text) == (
        touch.id, "first-touch", "Austin", "Congrats on Austin [^1].")  # what the UI puts back in the draft
    assert (prospect.status, prospect.follow_up_due) == ("researching", None)
    assert prospect == repo.get_prospect(p.id) and repo.list_touches(p.id) == []


def test_a_prospect_never_given_a_status_goes_back_to_new(repo):
    p = repo.add_prospect("Acme")
    prospect, _ = repo.unlog_touch(send(repo, p, EARLIER).id)
    assert (prospect.status, prospect.follow_up_due) == ("new", None)


def test_undoing_the_last_email_brings_back_the_previous_follow_up(repo):
    p = repo.add_prospect("Acme")
    first = send(repo, p, datetime(2026, 11, 16, 9).astimezone())
    second = send(repo, p, datetime(2026, 11, 20, 9).astimezone(), "follow-up", "Re: Austin")
    assert repo.get_prospect(p.id).follow_up_due == "2026-11-25"
    prospect, _ = repo.unlog_touch(second.id)
    assert (prospect.status, prospect.follow_up_due) == ("contacted", first.follow_up_due) == ("contacted",
                                                                                               "2026-11-19")


def test_undoing_an_earlier_email_leaves_the_last_ones_follow_up(repo):
    p = repo.add_prospect("Acme")
    first = send(repo, p, datetime(2026, 11, 16, 9).astimezone())
    send(repo, p, datetime(2026, 11, 20, 9).astimezone(), "follow-up", "Re: Austin")
    prospect, _ = repo.unlog_touch(first.id)
    assert (prospect.status, prospect.follow_up_due) == ("contacted", "2026-11-25")


def test_undoing_the_email_before_a_call_leaves_nothing_to_follow_up(repo):
    p = repo.add_prospect("Acme")
    email = send(repo, p, datetime(2026, 11, 16, 9).astimezone())
    send(repo, p, datetime(2026, 11, 17, 9).astimezone(), "call-script", "", "Dana, about Austin")
    prospect, _ = repo.unlog_touch(email.id)
    assert (prospect.status, prospect.follow_up_due) == ("contacted", None)  # the call is still a touch


def test_replied_before_the_send_stays_replied(repo):
    p = repo.add_prospect("Acme")
    send(repo, p, EARLIER)
    repo.set_status(p.id, "replied")
    thanks = send(repo, p, LATER, "follow-up", "Thanks")
    assert repo.get_prospect(p.id).status == "replied"  # a send leaves a reply alone
    assert repo.unlog_touch(thanks.id)[0].status == "replied"


def test_a_reply_to_the_only_message_goes_with_it(repo):
    p = repo.add_prospect("Acme")
    only = send(repo, p, EARLIER)
    repo.set_status(p.id, "replied")
    prospect, _ = repo.unlog_touch(only.id)
    assert (prospect.status, prospect.follow_up_due) == ("new", None)


@pytest.mark.parametrize("undone", [0, 1])
def test_a_reply_stays_while_a_message_it_may_answer_remains(repo, undone):
    p = repo.add_prospect("Acme")
    sends = [send(repo, p, EARLIER), send(repo, p, EARLIER + timedelta(hours=1), "follow-up", "Re: Austin")]
    repo.set_status(p.id, "replied")
    assert repo.unlog_touch(sends[undone].id)[0].status == "replied"


def test_a_reply_marked_between_the_undone_send_and_a_later_one_goes(repo):
    p = repo.add_prospect("Acme")
    answered = send(repo, p, EARLIER)
    repo.set_status(p.id, "replied")
    send(repo, p, LATER, "follow-up", "Thanks")  # sent after the reply was marked: it can't be what was answered
    prospect, _ = repo.unlog_touch(answered.id)
    assert prospect.status == "contacted"


@pytest.mark.parametrize("disqualified", ["after the send", "before the send"])
def test_disqualified_stays_disqualified(repo, disqualified):
    p = repo.add_prospect("Acme")
    if disqualified == "after the send":
        touch = send(repo, p, EARLIER)
        repo.set_status(p.id, "disqualified", "no budget until 2027")
    else:  # a last "closing the file" email, logged after disqualifying
        repo.set_status(p.id, "disqualified", "no budget until 2027")
        touch = send(repo, p, LATER, "follow-up", "Closing the file")
    prospect, _ = repo.unlog_touch(touch.id)
    assert (prospect.status, prospect.status_reason) == ("disqualified", "no budget until 2027")


@pytest.mark.parametrize("chosen, when, expected", [
    ("contacted", "before", "contacted"),  # phoned before any send was logged: still contacted
    ("researching", "after", "researching"),  # sent, then went back to digging: the rep's choice stays
    ("contacted", "after", "new"),  # choosing the status it already had is no choice: the send made it
])
def test_a_status_the_rep_chose_is_kept(repo, chosen, when, expected):
    p = repo.add_prospect("Acme")
    if when == "before":
        repo.set_status(p.id, chosen)
        touch = send(repo, p, LATER)
    else:
        touch = send(repo, p, EARLIER)
        repo.set_status(p.id, chosen)
    assert repo.unlog_touch(touch.id)[0].status == expected


def test_other_prospects_are_not_touched(repo):
    a, b = repo.add_prospect("Acme"), repo.add_prospect("Bolt")
    ta, tb = send(repo, a, EARLIER), send(repo, b, EARLIER)
    repo.unlog_touch(ta.id)
    assert [t.id for t in repo.list_touches(b.id)] == [tb.id]
    assert repo.get_prospect(b.id).status == "contacted"


def test_an_unknown_or_already_undone_send_says_so(repo):
    touch = send(repo, repo.add_prospect("Acme"), EARLIER)
    repo.unlog_touch(touch.id)
    with pytest.raises(InputError, match=f"no sent message with id {touch.id} \\(it may have been taken back"):
        repo.unlog_touch(touch.id)
    with pytest.raises(InputError, match="no sent message with id 999"):
        repo.unlog_touch(999)


def test_an_undo_that_fails_half_way_changes_nothing(repo):
    p = repo.add_prospect("Acme")
    touch = send(repo, p, EARLIER)
    # The touch is deleted first, then the status written: make the second step fail.
    repo.conn.execute("CREATE TRIGGER boom BEFORE UPDATE ON prospects BEGIN SELECT RAISE(ABORT, 'boom'); END")
    with pytest.raises(sqlite3.IntegrityError, match="boom"):
        repo.unlog_touch(touch.id)
    assert [t.id for t in repo.list_touches(p.id)] == [touch.id]
    assert repo.get_prospect(p.id).status == "contacted"
