"""Facts of the new kinds (hiring, filing) and the snapshot of a quoted article: the migration from a
version-5 workspace, saving and listing, a refresh that must not lose the snapshot, and export."""
from __future__ import annotations

import csv
import hashlib
import io
import sqlite3

import pytest

from app.core.errors import InputError
from app.core.models import FACT_KINDS
from app.research.facts import Snapshot
from app.storage.database import LATEST_VERSION, connect, migrate, open_store
from app.storage.export import to_csv, to_markdown
from app.storage.repo import WorkspaceRepo

HASH = hashlib.sha256(b"the article's text as read").hexdigest()
QUOTE = "Harbor & Pine opened a second cross-dock in Reno on Tuesday, adding 120 jobs."
SNAP = Snapshot(QUOTE, "https://news.example/2026/harbor-pine-reno", "2026-11-02T15:30:05+00:00", HASH)


@pytest.fixture
def repo(tmp_path):
    store = open_store(tmp_path / "earned.db")
    yield WorkspaceRepo(store.conn)
    store.conn.close()


# -- the migration ---------------------------------------------------------------------------------
def _v5_workspace(path):
    """A workspace as version 5 left it: facts of every old kind, with every column set somewhere."""
    conn = connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    migrate(conn, upto=5)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 5
    conn.execute("INSERT INTO prospects (id, company, created_at) VALUES (1, 'Acme', '2026-01-01T00:00:00+00:00')")
    conn.execute("INSERT INTO prospects (id, company, created_at) VALUES (2, 'Contoso', '2026-01-01T00:00:00+00:00')")
    rows = [
        (3, 1, "news", "Acme opened a plant in Austin", "https://news.example/a", "Gazette", "2026-03-01", 1, 0,
         None, None, 0, 10.0),
        (7, 1, "site", "Acme makes forklifts for cold stores", "https://acme.example/", "Acme", None, 0, 0, None, "en",
         0, 6.5),
        (8, 1, "feed", "Acme Fahrzeugbau eröffnet ein Werk in Graz", "https://acme.example/feed", "Acme blog",
         "2026-02-02", 0, 1, "2026-02-03T10:00:00+00:00", "de", 1, 4.0),
        (9, 2, "note", "Met their ops lead at the Reno fair", "", "", None, 0, 0, None, None, 0, None),
    ]
    for (fid, pid, kind, text, url, title, published, pinned, discarded, edited, lang, off_site, score) in rows:
        conn.execute(
            "INSERT INTO facts (id, prospect_id, kind, text, source_url, source_title, published, retrieved_at,"
            " pinned, content_hash, discarded, edited_at, lang, off_site, score)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (fid, pid, kind, text, url, title, published, "2026-03-02T08:00:00+00:00", pinned, f"hash{fid}",
             discarded, edited, lang, off_site, score))
    conn.execute("INSERT INTO touches (prospect_id, kind, text, cited_fact_ids, sent_at) "
                 "VALUES (1, 'first-touch', 'Congrats on Austin [^3]', '[3]', '2026-03-05T09:00:00+00:00')")
    before = [dict(r) for r in conn.execute("SELECT * FROM facts ORDER BY id")]
    conn.close()
    return before


def test_a_version_5_workspace_keeps_every_fact_and_its_search(tmp_path):
    path = tmp_path / "earned.db"
    before = _v5_workspace(path)

    store = open_store(path)
    conn = store.conn
    repo = WorkspaceRepo(conn)
    assert LATEST_VERSION >= 6 and conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    after = [dict(r) for r in conn.execute("SELECT * FROM facts ORDER BY id")]
    new_columns = {"quote": None, "quote_url": None, "quote_retrieved_at": None, "quote_sha256": None}
    # Team sync (migration 0010) gives every fact a global id of its own and an author (None: this rep).
    assert all(a["gid"] for a in after) and len({a["gid"] for a in after}) == len(after)
    assert after == [{**row, **new_columns, "gid": a["gid"], "created_by": None} for row, a in zip(before, after)], \
        "every fact, id and column as it was"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.execute("INSERT INTO facts_fts (facts_fts, rank) VALUES ('integrity-check', 1)")  # raises when out of step
    schema = {r["name"]: r["sql"] for r in conn.execute("SELECT name, sql FROM sqlite_master")}
    assert {"facts_by_prospect", "facts_fts_insert", "facts_fts_delete", "facts_fts_update", "facts_fts"} <= set(schema)
    assert "facts_new" not in " ".join(filter(None, schema.values())), "no trace of the rebuild's name"

    # Search finds the old facts (text and source title), and the triggers keep it in step from now on.
    assert [f.id for f in repo.search_facts("austin")] == [3]
    assert [f.id for f in repo.search_facts("gazette")] == [3]
    assert repo.search_facts("graz") == []  # discarded facts stay out of search, as before
    repo.edit_fact(7, "Acme makes forklifts for cold stores in Ohio")
    assert [f.id for f in repo.search_facts("ohio")] == [7]
    hiring, _ = repo.add_fact(1, "hiring", "Acme is hiring 12 forklift technicians in Ohio",
                              "https://jobs.example/acme", "Acme careers", "2026-10-01")
    assert {f.id for f in repo.search_facts("ohio")} == {7, hiring.id}
    # The sent log's citations still point at the same facts; deleting a prospect still cascades.
    assert repo.list_touches(1)[0].cited_fact_ids == (3,)
    assert repo.get_fact(3).text == "Acme opened a plant in Austin"
    conn.execute("DELETE FROM prospects WHERE id = 2")
    assert conn.execute("SELECT count(*) FROM facts WHERE id = 9").fetchone()[0] == 0
    assert repo.search_facts("reno") == []
    conn.execute("INSERT INTO facts_fts (facts_fts, rank) VALUES ('integrity-check', 1)")
    store.conn.close()


def test_the_rebuilt_table_still_refuses_bad_facts(repo):
    p = repo.add_prospect("Acme")
    with pytest.raises(sqlite3.IntegrityError):  # kinds are still checked, now with the two new ones
        repo.conn.execute("INSERT INTO facts (prospect_id, kind, text, retrieved_at, content_hash)"
                          " VALUES (?, 'blog', 'x', 'x', 'h1')", (p.id,))
    with pytest.raises(sqlite3.IntegrityError):  # a quote never without where and when it was read
        repo.conn.execute("INSERT INTO facts (prospect_id, kind, text, retrieved_at, content_hash, quote)"
                          " VALUES (?, 'news', 'x', 'x', 'h2', 'a quote')", (p.id,))
    with pytest.raises(sqlite3.IntegrityError):  # the prospect must exist (foreign key)
        repo.conn.execute("INSERT INTO facts (prospect_id, kind, text, retrieved_at, content_hash)"
                          " VALUES (999, 'news', 'x', 'x', 'h3')")
    with pytest.raises(InputError, match="hiring, filing"):
        repo.add_fact(p.id, "blog", "Acme wrote a blog post")


# -- the new kinds ------------------------------------------------------------------------------------
def test_hiring_and_filing_facts_are_saved_and_listed(repo):
    assert {"hiring", "filing"} <= set(FACT_KINDS)
    p = repo.add_prospect("Acme")
    hiring, created = repo.add_fact(p.id, "hiring", "Acme is hiring 12 forklift technicians in Ohio",
                                    "https://jobs.example/acme/123", "Forklift technician", "2026-10-01", "en",
                                    score=8.0)
    filing, _ = repo.add_fact(p.id, "filing", "Acme filed a Form D for a $4 million offering",
                              "https://sec.example/acme-d", "Form D", "2026-09-15")
    assert created
    listed = {f.id: f for f in repo.list_facts(p.id)}
    saved = listed[hiring.id]
    assert (saved.kind, saved.published, saved.score) == ("hiring", "2026-10-01", 8.0)
    assert (listed[filing.id].kind, listed[filing.id].source_title) == ("filing", "Form D")
    assert [f.id for f in repo.search_facts("technicians")] == [hiring.id]


# -- the snapshot ----------------------------------------------------------------------------------------
def test_a_snapshot_round_trips_from_a_research_snapshot_or_a_dict(repo):
    p = repo.add_prospect("Harbor & Pine")
    fact, _ = repo.add_fact(p.id, "news", QUOTE, SNAP.url, "Harbor & Pine opens Reno cross-dock", "2026-10-20",
                            "en", False, 10.0, SNAP)
    saved = repo.get_fact(fact.id)
    assert (saved.quote, saved.quote_url, saved.quote_retrieved_at, saved.quote_sha256) == (
        QUOTE, SNAP.url, SNAP.retrieved_at, HASH)
    assert saved.has_snapshot

    other, _ = repo.add_fact(p.id, "filing", "Harbor & Pine filed its annual report", snapshot={
        "quote": "Revenue rose 12 percent to $48 million.", "url": "", "retrieved_at": "2026-11-01T00:00:00+00:00",
        "sha256": HASH.upper()})
    assert (other.quote_url, other.quote_sha256) == ("", HASH)  # no page of its own: the fact's (none here)
    plain, _ = repo.add_fact(p.id, "site", "Harbor & Pine runs 140 trucks")
    assert not plain.has_snapshot and plain.quote is None


def test_a_snapshot_survives_a_refresh_and_a_new_reading_replaces_it_whole(repo, monkeypatch):
    import app.storage.repo as repo_module

    p = repo.add_prospect("Harbor & Pine")
    monkeypatch.setattr(repo_module, "now_iso", lambda: "2026-11-02T15:30:06+00:00")
    fact, _ = repo.add_fact(p.id, "news", QUOTE, SNAP.url, "Headline", "2026-10-20", snapshot=SNAP)

    # Research runs again a week later and finds the same text (a syndicated copy, say) with no snapshot.
    monkeypatch.setattr(repo_module, "now_iso", lambda: "2026-11-09T09:00:00+00:00")
    again, created = repo.add_fact(p.id, "news", QUOTE, "https://other.example/copy", "Headline")
    assert not created and again.id == fact.id
    assert again.retrieved_at == "2026-11-09T09:00:00+00:00" and again.source_url == "https://other.example/copy"
    assert (again.quote, again.quote_url, again.quote_retrieved_at, again.quote_sha256) == (
        QUOTE, SNAP.url, "2026-11-02T15:30:05+00:00", HASH), "the quote was read there and then"

    # Read again: the new snapshot replaces the old one as a whole (never one field of each).
    newer = Snapshot(QUOTE, "https://news.example/v2", "2026-11-10T08:00:00+00:00", "ab" * 32)
    refreshed, _ = repo.add_fact(p.id, "news", QUOTE, "https://news.example/v2", snapshot=newer)
    assert refreshed.id == fact.id
    assert (refreshed.quote_url, refreshed.quote_retrieved_at, refreshed.quote_sha256) == (
        newer.url, newer.retrieved_at, newer.sha256)

    # Edited by the rep: the snapshot still says what was read.
    edited = repo.edit_fact(fact.id, "Harbor & Pine added 120 jobs in Reno")
    assert (edited.quote, edited.quote_url, edited.quote_retrieved_at) == (QUOTE, newer.url, newer.retrieved_at)


def test_a_malformed_snapshot_is_refused_and_an_empty_one_is_none(repo):
    p = repo.add_prospect("Acme")
    with pytest.raises(InputError, match="sha256"):
        repo.add_fact(p.id, "news", "Acme opened a plant", snapshot=Snapshot("Acme opened a plant", "https://n.example",
                                                                             "2026-11-02T00:00:00+00:00", "not-a-hash"))
    assert repo.list_facts(p.id) == [], "nothing saved half-way"
    fact, _ = repo.add_fact(p.id, "news", "Acme opened a plant", snapshot={"quote": "  ", "url": "", "retrieved_at": "",
                                                                             "sha256": ""})
    assert fact.quote is None


# -- export ------------------------------------------------------------------------------------------------
def test_export_has_the_new_kinds_and_the_snapshot(repo):
    p = repo.add_prospect("Harbor & Pine")
    quoted, _ = repo.add_fact(p.id, "news", QUOTE, SNAP.url, "Harbor & Pine opens Reno cross-dock", "2026-10-20",
                              snapshot=SNAP)
    repo.add_fact(p.id, "hiring", "Harbor & Pine is hiring 20 drivers in Reno", "https://jobs.example/hp",
                  "Truck driver", "2026-10-28")
    repo.add_fact(p.id, "filing", "Harbor & Pine filed a Form D", "https://sec.example/hp", "Form D", "2026-09-01")

    md = to_markdown(repo, p.id)
    assert "## Hiring" in md and "## Filings" in md and "## News" in md
    assert "Harbor & Pine is hiring 20 drivers in Reno" in md and "Harbor & Pine filed a Form D" in md
    line = next(x for x in md.splitlines() if x.strip().startswith("- Quoted from"))
    assert "[news.example](https://news.example/2026/harbor-pine-reno)" in line
    assert "2026-11-02T15:30:05+00:00" in line and HASH in line and "Harbor & Pine opened a second cross-dock" in line

    rows = {r["fact_id"]: r for r in csv.DictReader(io.StringIO(to_csv(repo)))}
    row = rows[str(quoted.id)]
    assert (row["quote"], row["quote_url"], row["quote_retrieved_at"], row["quote_sha256"]) == (
        QUOTE, SNAP.url, SNAP.retrieved_at, HASH)
    assert {r["kind"] for r in rows.values()} == {"news", "hiring", "filing"}
    assert all(r["quote"] == "" for k, r in rows.items() if k != str(quoted.id))


# -- the checklist -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind, stale", [("hiring", True), ("filing", True), ("news", True), ("site", False)])
def test_job_postings_and_filings_are_judged_fresh_like_news(kind, stale):
    from datetime import date

    from app.compose.engine import check_text

    fact = {"id": 1, "kind": kind, "text": "Harbor & Pine is hiring 20 truck drivers in Reno",
            "source_url": "https://jobs.example/hp", "source_title": "Truck driver", "published": "2026-03-01"}
    result = check_text("Saw you are hiring 20 truck drivers in Reno [^1]. Worth a chat?", "first-touch", [fact],
                        company="Harbor & Pine", today=date(2026, 11, 2))
    fresh = next(r for r in result["rules"] if r["id"] == "fresh-facts")
    assert (fresh["status"] == "warn") == stale, fresh  # 246 days: past 90 (news), not 365 (site)
