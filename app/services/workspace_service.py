"""WorkspaceService: the UI's only way to the local store, always off the main thread.

Every operation returns an Op (app.services.tasks): the caller chains what happens next on that
call alone, `service.add_note(pid, text).success(...)`. What a write changed goes out once, on the
one `changed` signal (a Change), for whoever shows that data (the ProspectSession, the prospect
list); no reply is broadcast for callers to match to their requests.
"""
from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app.compose.rulepack import team_pack
from app.core.errors import DiskFull, EarnedError
from app.core.models import Draft, Fact, Prospect, TeamContext, Touch
from app.core.paths import database_path, resources_dir
from app.storage.database import open_store, store_error
from app.storage.repo import DEFAULT_FOLLOW_UP_DAYS, WorkspaceRepo

from .tasks import Op, TaskRunner

log = logging.getLogger(__name__)


DRAFT_RETRY_MS = 5000  # how often drafts the disk had no room for are tried again


def user_message(error: BaseException, doing: str, db_path: Path | None = None) -> str:
    """What the rep reads: our own errors as they are, a store error (full disk, busy) in plain words
    (db_path: the workspace it happened on), anything else as a plain sentence."""
    if isinstance(error, sqlite3.Error):
        error = store_error(error, db_path or database_path()) or error
    if isinstance(error, EarnedError):
        return str(error)
    log.error("unexpected error while %s", doing, exc_info=error)
    return f"Something went wrong while {doing} ({type(error).__name__}). Nothing saved earlier was lost."


def submit(runner: TaskRunner, doing: str, work, unhandled=None, db_path: Path | None = None) -> Op:
    """Run work on runner's thread; the caller's Op gets the result, or the sentence the rep reads when it
    fails (unhandled(message) when the caller gave no failure callback). The services' common way."""
    op = Op()

    def done(result) -> None:
        if op._success is not None:
            op._success(result)

    def fail(error: BaseException) -> None:
        message = user_message(error, doing, db_path)
        if op._failure is not None:
            op._failure(message)
        elif unhandled is not None:
            unhandled(message)

    runner.run(work, done, fail).finally_(lambda: [then() for then in op._then])
    return op


@dataclass(frozen=True)
class Change:
    """What one write changed, with the new state of what it touched."""
    prospects: tuple[Prospect, ...] = ()  # added or updated
    removed_prospects: tuple[int, ...] = ()  # deleted, or merged into another
    facts: tuple[Fact, ...] = ()  # added or updated (a discarded one too: fact.discarded)
    touches: tuple[Touch, ...] = ()  # logged as sent
    removed_touches: tuple[Touch, ...] = ()  # taken out of the sent log (an undone send)
    settings: tuple[str, ...] = ()  # setting keys saved
    reload: bool = False  # the whole workspace may differ (an import, a restore, a merge)


@dataclass(frozen=True)
class ProspectData:
    """One prospect as the window needs it, read in one go so the parts agree."""
    prospect: Prospect
    facts: list[Fact]  # the store's order: pinned, notes, research by usefulness and date
    touches: list[Touch]  # oldest first
    draft: Draft | None
    team: TeamContext | None = None  # in a team workspace: owner, a teammate's recent touch, do-not-contact


class WorkspaceService(QObject):
    changed = Signal(object)  # Change
    failed = Signal(str)  # an operation failed and its caller did not say what to do: tell the rep
    noticed = Signal(str)  # something the store did that the rep should know (an index rebuilt)
    drafts_pending = Signal(int)  # drafts kept in memory because the disk was full (0: all saved)

    def __init__(self, db_path: Path, seed_demo: bool = True, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = db_path
        self.seed_demo = seed_demo
        # One thread: SQLite writes are serialised anyway, and order is kept.
        self._runner = TaskRunner(self, max_threads=1)
        self._repo: WorkspaceRepo | None = None
        # Drafts the disk had no room for, newest per prospect; tried again until they are saved.
        self._unsaved_drafts: dict[int, tuple[int, Draft]] = {}  # prospect id -> (save number, draft)
        self._draft_seq = 0
        self._draft_retry = QTimer(self)
        self._draft_retry.setInterval(DRAFT_RETRY_MS)
        self._draft_retry.timeout.connect(self.retry_unsaved_drafts)

    # -- plumbing ----------------------------------------------------------------
    def _submit(self, doing: str, work, changes=None, on_error=None, on_done=None) -> Op:
        """Run work on the store thread and return the caller's Op.

        changes(result) -> Change | None is announced before the caller's success callback runs, so what
        the caller reads is already up to date. on_done(result) is the service's own bookkeeping, first of
        all. on_error(error) -> True handles an error itself; otherwise the caller's failure callback gets
        the sentence the rep reads, or the `failed` signal does when the caller gave none."""
        op = Op()

        def finished(result) -> None:
            if on_done is not None:
                on_done(result)
            change = changes(result) if changes is not None else None
            if change is not None:
                self.changed.emit(change)
            if op._success is not None:
                op._success(result)
            self._tell_notices()

        def fail(error: BaseException) -> None:
            if on_error is None or not on_error(error):
                message = user_message(error, doing, self.db_path)
                if op._failure is not None:
                    op._failure(message)
                else:
                    self.failed.emit(message)
            self._tell_notices()

        def then() -> None:
            for callback in op._then:
                callback()

        self._runner.run(work, finished, fail).finally_(then)
        return op

    def _tell_notices(self) -> None:
        # Read on the main thread after the job: the store thread may be running the next one,
        # so take the list with one swap (take_notices) rather than iterate it.
        if self._repo is not None:
            for notice in self._repo.take_notices():
                self.noticed.emit(notice)

    def _require_repo(self) -> WorkspaceRepo:
        if self._repo is None:
            raise EarnedError("The workspace is not open.")
        return self._repo

    def wait(self, msecs: int = -1) -> bool:
        return self._runner.wait(msecs)

    def close(self) -> None:
        """Finish queued writes and close the file (on quit)."""
        self._runner.wait()
        if self._repo is not None:
            self._repo.conn.close()
            self._repo = None

    # -- the workspace -------------------------------------------------------------
    def open(self) -> Op:
        """Open (or create) the workspace; success gets the OpenedStore (its notices say what to tell the rep)."""
        def work():
            store = open_store(self.db_path)
            self._repo = WorkspaceRepo(store.conn)
            if store.created and self.seed_demo:
                self._repo.seed_demo(resources_dir() / "demo" / "workspace.json")
            return store

        def check_index(_store) -> None:
            # Queued behind whatever the caller asks next: a damaged search index finds nothing, silently.
            self._submit("checking the search index", lambda: self._require_repo().repair_search_index())

        return self._submit("opening the workspace", work, on_done=check_index)

    def load_rules(self) -> Op:
        """(RulePack, what is wrong with the team's pack or "", the rep's saved thresholds): the team's
        pack in the data folder laid over the built-in one."""
        def work():
            pack, error = team_pack(self.db_path.parent)
            return pack, error or "", self._require_repo().get_setting("rule_overrides", {})

        return self._submit("loading the rules", work)

    def load_settings(self, defaults: dict) -> Op:
        """Workspace settings (JSON values); missing keys come back with their defaults."""
        return self._submit("loading settings",
                            lambda: {k: self._require_repo().get_setting(k, v) for k, v in defaults.items()})

    def save_settings(self, values: dict) -> Op:
        def work():
            repo = self._require_repo()
            with repo.transaction():
                for key, value in values.items():
                    repo.set_setting(key, value)
            return values

        return self._submit("saving settings", work, lambda v: Change(settings=tuple(v)))

    # -- prospects -------------------------------------------------------------------
    def list_prospects(self) -> Op:
        return self._submit("loading prospects", lambda: self._require_repo().list_prospects())

    def load_prospect(self, prospect_id: int) -> Op:
        """ProspectData: the prospect, its facts, its sent log and its draft (a draft the disk had no room
        for is newer than the saved one, and comes back instead)."""
        pending = self._unsaved_drafts.get(prospect_id)  # read here, on the thread that writes it

        def work():
            repo = self._require_repo()
            return ProspectData(repo.get_prospect(prospect_id), repo.list_facts(prospect_id),
                                repo.list_touches(prospect_id), pending[1] if pending else repo.get_draft(prospect_id),
                                repo.team_context_if_connected(prospect_id))

        return self._submit("loading the prospect", work)

    def add_prospect(self, company: str, website: str = "", contact_name: str = "", role: str = "",
                     email: str = "") -> Op:
        return self._submit("saving the prospect",
                            lambda: self._require_repo().add_prospect(company, website, contact_name, role, email),
                            lambda p: Change(prospects=(p,)))

    def update_prospect(self, prospect_id: int, company: str, website: str, contact_name: str, role: str,
                        email: str) -> Op:
        return self._submit("saving the prospect",
                            lambda: self._require_repo().update_prospect(prospect_id, company, website, contact_name,
                                                                         role, email),
                            lambda p: Change(prospects=(p,)))

    def reopen_prospect(self, prospect_id: int) -> Op:
        return self._submit("reopening the prospect", lambda: self._require_repo().reopen_prospect(prospect_id),
                            lambda p: Change(prospects=(p,)))

    def delete_prospect(self, prospect_id: int) -> Op:
        """The prospect as it was (its facts, drafts and sent log are gone with it)."""
        return self._submit("deleting the prospect", lambda: self._require_repo().delete_prospect(prospect_id),
                            lambda p: Change(removed_prospects=(p.id,)))

    def merge_prospects(self, keep_id: int, other_id: int) -> Op:
        """The kept prospect, with the other's facts, sent log and details folded in; the other is gone."""
        return self._submit("merging the prospects",
                            lambda: self._require_repo().merge_prospects(keep_id, other_id),
                            lambda p: Change(prospects=(p,), removed_prospects=(other_id,), reload=True))

    @staticmethod
    def duplicates_among(prospects, company: str, website: str = "", exclude_id: int | None = None) -> list:
        """The prospects in a list that look like the same company (the store's rule: the name, case,
        punctuation and legal endings aside, or the website's host). Pure and quick: a dialog asks it on
        every key, against the prospects the window already has."""
        from app.storage.duplicates import company_key, website_host

        key, host = company_key(company), website_host(website)
        if not key and not host:
            return []
        return [p for p in prospects if p.id != exclude_id
                and ((key and company_key(p.company) == key) or (host and website_host(p.website) == host))]

    def timeline(self, prospect_id: int) -> Op:
        """[TimelineEvent], newest first: added, facts and notes, messages sent, status changes."""
        return self._submit("reading the timeline", lambda: self._require_repo().timeline(prospect_id))

    def set_status(self, prospect_id: int, status: str, reason: str = "") -> Op:
        return self._submit("changing the status",
                            lambda: self._require_repo().set_status(prospect_id, status, reason),
                            lambda p: Change(prospects=(p,)))

    # -- facts -------------------------------------------------------------------------
    def add_note(self, prospect_id: int, text: str, source_url: str = "") -> Op:
        return self._submit("saving the note", lambda: self._require_repo().add_note(prospect_id, text, source_url),
                            lambda f: Change(facts=(f,)))

    def add_found_fact(self, prospect_id: int, found) -> Op:
        """Save a researched fact (the same text again refreshes the saved one): WorkspaceRepo.add_found_fact,
        the path the command line takes too."""
        return self._submit("saving research", lambda: self._require_repo().add_found_fact(prospect_id, found)[0],
                            lambda f: Change(facts=(f,)))

    def set_pinned(self, fact_id: int, pinned: bool) -> Op:
        return self._submit("pinning the fact", lambda: self._require_repo().set_pinned(fact_id, pinned),
                            lambda f: Change(facts=(f,)))

    def edit_fact(self, fact_id: int, text: str | None = None, published: str | None = None,
                  source_url: str | None = None, source_title: str | None = None) -> Op:
        """The rep's correction of a fact's wording, date or source (None leaves a field as it is)."""
        return self._submit("saving the fact",
                            lambda: self._require_repo().edit_fact(fact_id, text, published, source_url, source_title),
                            lambda f: Change(facts=(f,)))

    def set_discarded(self, fact_id: int, discarded: bool) -> Op:
        return self._submit("discarding the fact", lambda: self._require_repo().set_discarded(fact_id, discarded),
                            lambda f: Change(facts=(f,)))

    def search_facts(self, query: str) -> Op:
        """([Fact], {prospect id: company}): the best 100 facts of every prospect for the query."""
        def work():
            repo = self._require_repo()
            facts = repo.search_facts(query, limit=100)  # the best 100: more is a list nobody reads
            names = {p.id: p.company for p in repo.prospects_by_id({f.prospect_id for f in facts})}
            return facts, names

        return self._submit("searching", work)

    # -- data in and out ------------------------------------------------------------
    def plan_import(self, path: str) -> Op:
        from app.storage.csv_import import plan_import

        return self._submit("reading the CSV file", lambda: plan_import(Path(path), self._require_repo()))

    def apply_import(self, plan) -> Op:
        """The number of prospects added."""
        from app.storage.csv_import import apply_import

        return self._submit("importing prospects", lambda: apply_import(plan, self._require_repo()),
                            lambda _n: Change(reload=True))

    def export(self, prospect_id: int | None, fmt: str, path: str) -> Op:
        from app.storage.export import write_export

        return self._submit("exporting",
                            lambda: str(write_export(self._require_repo(), fmt, Path(path), prospect_id)))

    def backup(self, path: str) -> Op:
        from app.storage.backup import backup

        return self._submit("backing up", lambda: str(backup(self._require_repo().conn, Path(path))))

    def restore(self, path: str) -> Op:
        """Where the previous workspace was kept."""
        from app.storage.backup import restore

        return self._submit("restoring", lambda: str(restore(self._require_repo().conn, self.db_path, Path(path))),
                            lambda _kept: Change(reload=True))

    # -- drafts and the sent log --------------------------------------------------------
    def save_draft(self, draft: Draft) -> Op:
        """Save the draft. When the disk is full it is kept in memory and tried again every few seconds
        (said once); load_prospect gives it back meanwhile."""
        self._draft_seq += 1
        seq, pid = self._draft_seq, draft.prospect_id

        def saved(_result: Draft) -> None:
            if pid in self._unsaved_drafts and self._unsaved_drafts[pid][0] <= seq:
                del self._unsaved_drafts[pid]
                self._drafts_pending_changed()

        def disk_full(error: BaseException) -> bool:
            if not isinstance(error, DiskFull):
                return False
            if pid not in self._unsaved_drafts or self._unsaved_drafts[pid][0] < seq:
                self._unsaved_drafts[pid] = (seq, draft)  # only ever replaced by newer text
            if not self._draft_retry.isActive():
                # Said once, not on every autosave: the draft is safe in memory meanwhile.
                self.failed.emit(f"{error} Your draft is kept in this window and will be saved as soon as "
                                 "there is room.")
            self._drafts_pending_changed()
            return True

        return self._submit("saving the draft", lambda: self._require_repo().save_draft(draft),
                            on_error=disk_full, on_done=saved)

    def retry_unsaved_drafts(self) -> None:
        """Try the drafts the disk had no room for again (on a timer while any are pending)."""
        for _, draft in list(self._unsaved_drafts.values()):
            self.save_draft(draft)

    def unsaved_drafts(self) -> list[Draft]:
        return [draft for _, draft in self._unsaved_drafts.values()]

    def _drafts_pending_changed(self) -> None:
        if self._unsaved_drafts:
            self._draft_retry.start()
        else:
            self._draft_retry.stop()
        self.drafts_pending.emit(len(self._unsaved_drafts))

    def record_touch(self, prospect_id: int, kind: str, subject: str, text: str, cited: list[int],
                     overrides: list[str]) -> Op:
        """Log a sent message; success gets (Touch, the prospect as it is now: contacted, follow-up due)."""
        def work():
            repo = self._require_repo()
            days = int(repo.get_setting("follow_up_days", DEFAULT_FOLLOW_UP_DAYS))
            touch = repo.record_touch(prospect_id, kind, subject, text, cited, overrides, follow_up_days=days)
            return touch, repo.get_prospect(prospect_id)

        return self._submit("logging the sent message", work, lambda r: Change(prospects=(r[1],), touches=(r[0],)))

    def unlog_touch(self, touch_id: int) -> Op:
        """Undo a send: the touch leaves the sent log and the prospect's status and follow-up date are as if
        it had never been sent. Success gets (the prospect as it is now, the removed Touch)."""
        return self._submit("undoing the send", lambda: self._require_repo().unlog_touch(touch_id),
                            lambda r: Change(prospects=(r[0],), removed_touches=(r[1],)))
