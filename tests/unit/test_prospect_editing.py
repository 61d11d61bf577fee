"""Editing prospects in the workspace: the contact's e-mail, corrections, duplicates, merging, deleting,
reopening a disqualified prospect, and correcting a fact's date and source. Real SQLite files throughout."""
from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

import pytest

from app.core.errors import InputError
from app.core.models import Draft, Prospect
from app.storage.database import open_store
from app.core.fields import email_input
from app.storage.repo import WorkspaceRepo

TABLES = ("prospects", "facts", "drafts", "touches", "research_queue", "prospect_events")


@pytest.fixture
def repo(tmp_path):
    store = open_store(tmp_path / "earned.db")
    yield WorkspaceRepo(store.conn)
    store.conn.close()


def snapshot(repo) -> dict:
    """Every row of every table, and what search finds: to show that a failed write changed nothing."""
    rows = {t: [tuple(r) for r in repo.conn.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in TABLES}
    rows["search"] = sorted((f.id, f.text) for f in repo.search_facts("acme"))
    return rows


def search_index_ok(repo) -> bool:
    repo.conn.execute("INSERT INTO facts_fts (facts_fts, rank) VALUES ('integrity-check', 1)")  # raises if not
    return repo.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def fail_on(repo, statement: str) -> None:
    """Make a real write fail half-way: a trigger that aborts the given statement (e.g. 'DELETE ON prospects')."""
    verb, _, table = statement.split()
    repo.conn.execute(f"CREATE TRIGGER boom BEFORE {verb} ON {table} BEGIN SELECT RAISE(ABORT, 'boom'); END")


# -- the contact's e-mail ------------------------------------------------------------------------------
def test_a_prospect_keeps_its_contacts_email(repo):
    p = repo.add_prospect("Harbor & Pine", "harborpine.example", "Dana Okafor", "VP Ops", "Dana@HarborPine.Example")
    assert p.email == "Dana@harborpine.example"  # the domain is case-blind, the name before @ may not be
    assert [x.email for x in repo.list_prospects()] == ["Dana@harborpine.example"]
    assert repo.add_prospect("Bolt Freight").email == ""
    assert Prospect(1, "Acme", "https://acme.example", "Sam", "COO", "new").email == ""  # old constructors work


@pytest.mark.parametrize("typed, stored", [
    ("dana@harborpine.com", "dana@harborpine.com"),
    ("  Dana.Okafor+leads@Mail.HarborPine.co.uk ", "Dana.Okafor+leads@mail.harborpine.co.uk"),
    ("Dana Okafor <dana@harborpine.com>", "dana@harborpine.com"),  # pasted from a mail client
    ("mailto:dana@harborpine.com", "dana@harborpine.com"),
    ("léa@café-nord.fr", "léa@café-nord.fr"),
    ("", ""),
])
def test_email_shapes_that_are_kept(typed, stored):
    assert email_input(typed) == stored


@pytest.mark.parametrize("typed, phrase", [
    ("n/a", "is not an e-mail address"),
    ("dana@harborpine", "is not an e-mail address"),
    ("dana at harborpine dot com", "has spaces in it"),
    ("dana@@harborpine.com", "is not an e-mail address"),
    ("dana@harborpine.com, sam@harborpine.com", "more than one"),
    ("dana@harborpine.com; sam@harborpine.com", "more than one"),
    ("@harborpine.com", "is not an e-mail address"),
    ("dana.@harborpine.com", "is not an e-mail address"),
    ("dana@-harborpine.com", "is not an e-mail address"),
    ("dana@harborpine.c0m", "is not an e-mail address"),
    ("x" * 250 + "@a.com", "too long"),
])
def test_email_shapes_that_are_refused_say_how_to_type_one(typed, phrase):
    with pytest.raises(InputError, match=phrase) as error:
        email_input(typed)
    if "not an e-mail" in phrase:
        assert "name@company.com" in str(error.value)


def test_adding_with_a_bad_email_adds_nothing(repo):
    with pytest.raises(InputError, match="'dana@harborpine' is not an e-mail address"):
        repo.add_prospect("Harbor & Pine", email="dana@harborpine")
    assert repo.list_prospects() == []


# -- editing a prospect --------------------------------------------------------------------------------
def test_update_changes_every_field_and_normalises_the_website(repo):
    p = repo.add_prospect("Harbor Pine", "old.example", "Dana", "Ops")
    updated = repo.update_prospect(p.id, "  Harbor & Pine  Freight ", "harborpine.example", "Dana Okafor",
                                   "VP Operations", "dana@harborpine.example")
    assert (updated.company, updated.website, updated.contact_name, updated.role, updated.email) == (
        "Harbor & Pine Freight", "https://harborpine.example", "Dana Okafor", "VP Operations",
        "dana@harborpine.example")
    assert repo.get_prospect(p.id) == updated
    cleared = repo.update_prospect(p.id, "Harbor & Pine Freight", "", "", "", "")
    assert (cleared.website, cleared.contact_name, cleared.role, cleared.email) == ("", "", "", "")


@pytest.mark.parametrize("fields, phrase", [
    (("  ", "harborpine.example", "Dana", "Ops", ""), "Company name is empty"),
    (("Harbor & Pine", "ftp://harborpine.example", "Dana", "Ops", ""), "http:// or https://"),
    (("Harbor & Pine", "javascript:alert(1)", "Dana", "Ops", ""), "not a web address"),
    (("Harbor & Pine", "harborpine.example", "Dana", "Ops", "dana(at)harborpine"), "not an e-mail address"),
    (("Harbor & Pine", "harborpine.example", "Dana", "x" * 600, ""), "Role is too long"),
])
def test_a_bad_edit_says_why_and_changes_nothing(repo, fields, phrase):
    p = repo.add_prospect("Acme", "acme.example", "Sam", "COO", "sam@acme.example")
    before = snapshot(repo)
    with pytest.raises(InputError, match=phrase):
        repo.update_prospect(p.id, *fields)
    assert snapshot(repo) == before
    assert repo.get_prospect(p.id).company == "Acme"


def test_editing_an_unknown_prospect_says_so(repo):
    with pytest.raises(InputError, match="no prospect with id 42"):
        repo.update_prospect(42, "Acme", "", "", "", "")


# -- duplicates ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("existing, typed", [
    ("Acme Robotics, Inc.", "acme robotics"),
    ("Acme Robotics LLC", "ACME ROBOTICS CORP."),
    ("The Acme Robotics Company", "Acme Robotics Ltd"),
    ("Müller GmbH", "Müller"),
    ("Café Nord", "Cafe Nord Ltd"),
    ("Harbor & Pine Co.", "Harbor and Pine"),
    ("A.C.M.E.", "ACME"),
    ("ToledoCars", "Toledo Cars"),
])
def test_the_same_name_is_found_whatever_its_legal_ending_or_punctuation(repo, existing, typed):
    p = repo.add_prospect(existing)
    repo.add_prospect("Someone Else")
    assert [d.id for d in repo.find_duplicates(typed)] == [p.id]


@pytest.mark.parametrize("typed", ["Acme Robotics Europe", "Acme", "Robotics Acme"])
def test_a_different_name_is_not_a_duplicate(repo, typed):
    repo.add_prospect("Acme Robotics Inc")
    assert repo.find_duplicates(typed) == []


def test_the_same_website_host_is_found_whatever_the_scheme_or_www(repo):
    a = repo.add_prospect("Acme Robotics", "https://www.acme.example/about")
    b = repo.add_prospect("ACME Europe", "http://acme.example")
    repo.add_prospect("Other", "https://shop.acme.example")  # another host: a shop, a blog, a subsidiary
    assert [d.id for d in repo.find_duplicates("Totally New Name", "acme.example")] == [a.id, b.id]
    assert [d.id for d in repo.find_duplicates("Totally New Name", "WWW.ACME.EXAMPLE/contact")] == [a.id, b.id]
    # editing a prospect must not find itself
    assert [d.id for d in repo.find_duplicates("Acme Robotics", "acme.example", exclude_id=a.id)] == [b.id]


def test_nothing_to_match_finds_nothing(repo):
    repo.add_prospect("Acme")
    repo.add_prospect("Inc")  # a name made only of a legal word matches only itself
    assert repo.find_duplicates("", "") == [] and repo.find_duplicates("!!!") == []
    assert [p.company for p in repo.find_duplicates("INC.")] == ["Inc"]


def test_adding_a_duplicate_is_still_allowed(repo):
    repo.add_prospect("Acme Inc")
    repo.add_prospect("Acme")  # the UI asks first; the store does as told
    assert len(repo.find_duplicates("acme")) == 2


# -- merging ------------------------------------------------------------------------------------------
def _two_acmes(repo):
    keep = repo.add_prospect("Acme Robotics", "acme.example")
    other = repo.add_prospect("ACME Robotics Inc", "", "Sam Rivera", "COO", "sam@acme.example")
    kept_fact, _ = repo.add_fact(keep.id, "news", "Acme opened a plant in Austin.", "https://news.example/a",
                                 "Gazette", "2026-10-01")
    dup, _ = repo.add_fact(other.id, "news", "acme opened a plant  in Austin.", "https://other.example/b", "Other")
    repo.set_pinned(dup.id, True)
    only_other = repo.add_note(other.id, "Sam prefers short emails about Acme.")
    monday = datetime(2026, 11, 16, 9, 0).astimezone()
    touch = repo.record_touch(other.id, "first-touch", "Austin", f"Congrats on Austin [^{dup.id}] [^{only_other.id}]",
                              [dup.id, only_other.id], sent_at=monday)
    repo.save_draft(Draft(other.id, "follow-up", "Re: Austin", f"Following up on Austin [^{dup.id}]"))
    return keep, other, kept_fact, dup, only_other, touch


def test_merge_moves_facts_log_and_draft_and_fills_empty_fields(repo):
    keep, other, kept_fact, dup, only_other, touch = _two_acmes(repo)
    merged = repo.merge_prospects(keep.id, other.id)

    assert (merged.id, merged.company, merged.website) == (keep.id, "Acme Robotics", "https://acme.example")
    assert (merged.contact_name, merged.role, merged.email) == ("Sam Rivera", "COO", "sam@acme.example")
    assert merged.status == "contacted" and merged.follow_up_due == "2026-11-19"
    with pytest.raises(InputError, match=f"no prospect with id {other.id}"):
        repo.get_prospect(other.id)
    assert [p.id for p in repo.list_prospects()] == [keep.id]

    facts = {f.id: f for f in repo.list_facts(keep.id)}
    assert set(facts) == {kept_fact.id, only_other.id}  # the same fact found for both is one fact
    same = facts[kept_fact.id]
    assert same.pinned  # pinned on the other: still pinned
    assert (same.source_url, same.source_title, same.published) == ("https://news.example/a", "Gazette", "2026-10-01")
    # The sent log and the draft that cited the other's copy now cite the one kept.
    [moved] = repo.list_touches(keep.id)
    assert moved.id == touch.id and moved.cited_fact_ids == (kept_fact.id, only_other.id)
    assert moved.text == f"Congrats on Austin [^{kept_fact.id}] [^{only_other.id}]"
    draft = repo.get_draft(keep.id)
    assert (draft.subject, draft.body) == ("Re: Austin", f"Following up on Austin [^{kept_fact.id}]")
    # Search finds each fact once, under the prospect kept.
    assert sorted(f.id for f in repo.search_facts("acme")) == sorted([kept_fact.id, only_other.id])
    assert {f.prospect_id for f in repo.search_facts("acme")} == {keep.id}
    assert search_index_ok(repo)


def test_merge_keeps_the_reps_edited_wording_of_a_shared_fact(repo):
    keep = repo.add_prospect("Acme")
    other = repo.add_prospect("Acme Inc")
    ours, _ = repo.add_fact(keep.id, "site", "Acme makes forklifts.")
    theirs, _ = repo.add_fact(other.id, "site", "Acme makes FORKLIFTS and pallets.")
    repo.edit_fact(theirs.id, "Acme makes forklifts.")  # now the same words as ours, edited by the rep
    repo.edit_fact(theirs.id, "ACME makes forklifts.")
    repo.merge_prospects(keep.id, other.id)
    [fact] = repo.list_facts(keep.id)
    assert fact.id == ours.id and fact.text == "ACME makes forklifts."
    assert [f.text for f in repo.search_facts("forklifts")] == ["ACME makes forklifts."]


def test_merge_does_not_overwrite_keeps_own_fields_or_draft(repo):
    keep = repo.add_prospect("Acme", "acme.example", "Lee", "CEO", "lee@acme.example")
    other = repo.add_prospect("Acme Inc", "acme.io", "Sam", "COO", "sam@acme.example")
    repo.save_draft(Draft(keep.id, "first-touch", "Ours", "our words"))
    repo.save_draft(Draft(other.id, "first-touch", "Theirs", "their words"))
    merged = repo.merge_prospects(keep.id, other.id)
    assert (merged.website, merged.contact_name, merged.role, merged.email) == (
        "https://acme.example", "Lee", "CEO", "lee@acme.example")
    assert repo.get_draft(keep.id).body == "our words"
    assert any("Theirs" in n and "was not kept" in n for n in repo.take_notices())


def test_an_empty_draft_on_keep_does_not_block_the_others(repo):
    keep, other = repo.add_prospect("Acme"), repo.add_prospect("Acme Inc")
    repo.save_draft(Draft(keep.id, "first-touch", "", "  "))
    repo.save_draft(Draft(other.id, "first-touch", "Theirs", "their words"))
    repo.merge_prospects(keep.id, other.id)
    assert repo.get_draft(keep.id).body == "their words" and repo.take_notices() == []


@pytest.mark.parametrize("keep_status, other_status, merged", [
    ("new", "contacted", "contacted"),
    ("contacted", "replied", "replied"),
    ("replied", "new", "replied"),
    ("researching", "new", "researching"),
    ("disqualified", "new", "new"),
    ("contacted", "disqualified", "contacted"),
    ("disqualified", "disqualified", "disqualified"),
])
def test_the_status_furthest_along_wins_and_disqualified_only_if_both(repo, keep_status, other_status, merged):
    keep, other = repo.add_prospect("Acme"), repo.add_prospect("Acme Inc")
    for p, status in ((keep, keep_status), (other, other_status)):
        repo.set_status(p.id, status, f"why {p.id}" if status == "disqualified" else "")
    result = repo.merge_prospects(keep.id, other.id)
    assert result.status == merged
    assert result.status_reason == (f"why {keep.id}" if merged == "disqualified" else "")


def test_the_later_follow_up_wins_whichever_prospect_sent_it(repo):
    keep, other = repo.add_prospect("Acme"), repo.add_prospect("Acme Inc")
    # The other's email was sent later but logged first: its id is lower; its date must still win.
    repo.record_touch(other.id, "first-touch", "Later", "x", [], sent_at=datetime(2026, 11, 20, 9).astimezone())
    repo.record_touch(keep.id, "first-touch", "Earlier", "y", [], sent_at=datetime(2026, 11, 9, 9).astimezone())
    assert repo.get_prospect(keep.id).follow_up_due == "2026-11-12"
    merged = repo.merge_prospects(keep.id, other.id)
    assert merged.follow_up_due == "2026-11-25"
    assert [t.subject for t in repo.list_touches(keep.id)] == ["Earlier", "Later"]
    # and the other way round
    third = repo.add_prospect("ACME Corp")
    repo.record_touch(third.id, "first-touch", "Old", "z", [], sent_at=datetime(2026, 10, 1, 9).astimezone())
    assert repo.merge_prospects(keep.id, third.id).follow_up_due == "2026-11-25"


def test_merge_takes_the_research_queue_row_that_still_waits(repo):
    from app.storage.research_queue import ResearchQueueRepo

    queue = ResearchQueueRepo(repo.conn)
    keep, other, third = repo.add_prospect("Acme"), repo.add_prospect("Acme Inc"), repo.add_prospect("Acme Corp")
    queue.enqueue([keep.id, other.id, third.id])
    queue.claim(keep.id)
    queue.mark_done(keep.id, facts=3)
    repo.merge_prospects(keep.id, other.id)  # keep's research is done, other's waits: the merged one is queued
    assert (queue.get(keep.id).state, queue.get(other.id)) == ("queued", None)
    queue.claim(keep.id)
    with pytest.raises(InputError, match="Acme is being researched right now"):
        repo.merge_prospects(third.id, keep.id)
    repo.merge_prospects(keep.id, third.id)  # keep running, third queued: keep's row stays as it is
    assert queue.get(keep.id).state == "running" and [i.prospect_id for i in queue.items()] == [keep.id]


@pytest.mark.parametrize("ids, phrase", [
    ("same", "can't be merged with itself"),
    ("unknown keep", "no prospect with id 404"),
    ("unknown other", "no prospect with id 404"),
])
def test_merge_refuses_what_it_cannot_do_and_changes_nothing(repo, ids, phrase):
    keep, other, *_ = _two_acmes(repo)
    pair = {"same": (keep.id, keep.id), "unknown keep": (404, other.id), "unknown other": (keep.id, 404)}[ids]
    before = snapshot(repo)
    with pytest.raises(InputError, match=phrase):
        repo.merge_prospects(*pair)
    assert snapshot(repo) == before


@pytest.mark.parametrize("failing", ["DELETE ON prospects", "UPDATE ON drafts", "UPDATE ON touches"])
def test_a_merge_that_fails_half_way_changes_nothing(repo, failing):
    keep, other, kept_fact, dup, only_other, _ = _two_acmes(repo)
    fail_on(repo, failing)
    before = snapshot(repo)
    with pytest.raises(sqlite3.IntegrityError, match="boom"):
        repo.merge_prospects(keep.id, other.id)
    assert snapshot(repo) == before
    assert repo.get_prospect(other.id).email == "sam@acme.example"
    assert {f.id for f in repo.list_facts(other.id)} == {dup.id, only_other.id}
    assert search_index_ok(repo)


# -- deleting -----------------------------------------------------------------------------------------
def test_delete_removes_the_prospect_and_everything_kept_for_it(repo):
    from app.storage.research_queue import ResearchQueueRepo

    keep, other, *_ = _two_acmes(repo)
    repo.set_status(other.id, "replied")
    ResearchQueueRepo(repo.conn).enqueue([keep.id, other.id])
    keep_rows = {t: repo.conn.execute(f"SELECT count(*) FROM {t} WHERE prospect_id = ?", (keep.id,)).fetchone()[0]
                 for t in TABLES[1:]}
    gone = repo.delete_prospect(other.id)
    assert gone.id == other.id and gone.company == "ACME Robotics Inc"
    for table in TABLES[1:]:
        assert repo.conn.execute(f"SELECT count(*) FROM {table} WHERE prospect_id = ?", (other.id,)).fetchone()[0] == 0
        assert repo.conn.execute(f"SELECT count(*) FROM {table} WHERE prospect_id = ?",
                                 (keep.id,)).fetchone()[0] == keep_rows[table]
    assert [f.prospect_id for f in repo.search_facts("acme")] == [keep.id]
    assert repo.search_facts("sam prefers") == []
    assert search_index_ok(repo)
    with pytest.raises(InputError, match=f"no prospect with id {other.id}"):
        repo.delete_prospect(other.id)


def test_delete_leaves_nothing_behind_even_without_foreign_keys(repo):
    """Another tool's connection may have foreign keys off (SQLite's default): no cascade to rely on."""
    p = repo.add_prospect("Acme")
    repo.add_note(p.id, "Acme opened Austin")
    repo.record_touch(p.id, "first-touch", "Hi", "text", [])
    repo.conn.execute("PRAGMA foreign_keys = OFF")
    repo.delete_prospect(p.id)
    repo.conn.execute("PRAGMA foreign_keys = ON")
    assert all(repo.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 0 for t in TABLES)
    assert repo.search_facts("austin") == [] and search_index_ok(repo)


def test_a_delete_that_fails_changes_nothing(repo):
    _two_acmes(repo)
    fail_on(repo, "DELETE ON touches")
    before = snapshot(repo)
    with pytest.raises(sqlite3.IntegrityError):
        repo.delete_prospect(2)
    assert snapshot(repo) == before


# -- reopening a disqualified prospect ---------------------------------------------------------------
def test_reopen_goes_back_to_what_the_sent_log_says(repo):
    sent, fresh = repo.add_prospect("Acme"), repo.add_prospect("Bolt")
    repo.record_touch(sent.id, "first-touch", "Hi", "text", [], sent_at=datetime(2026, 11, 16, 9).astimezone())
    for p in (sent, fresh):
        repo.set_status(p.id, "disqualified", "no budget until 2027")
        assert repo.get_prospect(p.id).follow_up_due is None  # a disqualified prospect is never due
    reopened = repo.reopen_prospect(sent.id)
    assert (reopened.status, reopened.status_reason, reopened.follow_up_due) == ("contacted", "", "2026-11-19")
    assert reopened.shown_status("2026-11-20") == "follow-up due"
    assert (repo.reopen_prospect(fresh.id).status, repo.get_prospect(fresh.id).status_reason) == ("new", "")


def test_reopening_what_is_not_disqualified_says_so(repo):
    p = repo.add_prospect("Acme")
    with pytest.raises(InputError, match="Acme is not disqualified \\(it is new\\)"):
        repo.reopen_prospect(p.id)
    with pytest.raises(InputError, match="no prospect with id 9"):
        repo.reopen_prospect(9)


# -- correcting a fact -------------------------------------------------------------------------------
@pytest.fixture
def fact(repo):
    p = repo.add_prospect("Acme")
    f, _ = repo.add_fact(p.id, "news", "Acme opened a plant in Austin.", "https://news.example/a", "Gazette",
                         "2026-10-01")
    return f


def test_the_old_call_still_edits_the_wording(repo, fact):
    edited = repo.edit_fact(fact.id, "Acme opened its third plant, in Austin.")
    assert edited.text == "Acme opened its third plant, in Austin."
    assert (edited.source_url, edited.published) == ("https://news.example/a", "2026-10-01")


def test_edit_date_and_source_and_search_follows_the_title(repo, fact):
    edited = repo.edit_fact(fact.id, published="2026-09-30", source_url="news.example/story",
                            source_title="Austin Business Journal")
    assert (edited.text, edited.published, edited.source_url, edited.source_title) == (
        "Acme opened a plant in Austin.", "2026-09-30", "https://news.example/story", "Austin Business Journal")
    assert [f.id for f in repo.search_facts("journal")] == [fact.id]
    assert repo.search_facts("gazette") == []
    cleared = repo.edit_fact(fact.id, published="", source_url="", source_title="")
    assert (cleared.published, cleared.source_url, cleared.source_title) == (None, "", "")
    assert repo.search_facts("journal") == [] and search_index_ok(repo)
    assert repo.edit_fact(fact.id, published=date.today().isoformat()).published == date.today().isoformat()


@pytest.mark.parametrize("change, phrase", [
    ({"published": (date.today() + timedelta(days=1)).isoformat()}, "is in the future"),
    ({"published": "1 Oct 2026"}, "type it as YYYY-MM-DD"),
    ({"published": "2026-02-30"}, "not a day of the calendar"),
    ({"source_url": "javascript:alert(1)"}, "http:// or https:// address, not javascript:"),
    ({"source_url": "file:///etc/passwd"}, "http:// or https:// address, not file:"),
    ({"source_url": "data:text/html,<b>x</b>"}, "not data:"),
    ({"source_url": "not a url"}, "not a web address"),
    ({"text": "   "}, "The note is empty"),
    ({"source_title": "t" * 501}, "Source title is too long"),
])
def test_a_bad_correction_says_why_and_changes_nothing(repo, fact, change, phrase):
    before = snapshot(repo)
    with pytest.raises(InputError, match=phrase):
        repo.edit_fact(fact.id, **change)
    assert snapshot(repo) == before


def test_a_valid_field_is_not_saved_when_another_is_bad(repo, fact):
    before = snapshot(repo)
    with pytest.raises(InputError, match="not javascript:"):
        repo.edit_fact(fact.id, "Acme opened its third plant.", published="2026-09-01",
                       source_url="javascript:alert(1)")
    assert snapshot(repo) == before


def test_editing_an_unknown_fact_says_so(repo):
    with pytest.raises(InputError, match="no fact with id 77"):
        repo.edit_fact(77, published="2026-01-01")
