"""WorkspaceService: the UI's only way to the local store, always off the main thread."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app.compose.rulepack import team_pack
from app.core.errors import DiskFull, EarnedError
from app.core.models import Draft
from app.core.paths import database_path, resources_dir
from app.storage.database import open_store, store_error
from app.storage.repo import DEFAULT_FOLLOW_UP_DAYS, WorkspaceRepo

from .tasks import TaskRunner

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


class WorkspaceService(QObject):
    opened = Signal(object)  # app.storage.database.OpenedStore (its notices say what to tell the rep)
    open_failed = Signal(str)
    prospects_loaded = Signal(list)
    prospect_added = Signal(object)
    facts_loaded = Signal(int, list)  # prospect id, [Fact]
    fact_added = Signal(object)
    fact_updated = Signal(object)  # pinned, edited, discarded or restored
    # generation, query, [Fact], {prospect id: company} (object: a dict signal would turn the ids into strings)
    search_results = Signal(int, str, list, object)
    draft_loaded = Signal(int, object)  # prospect id, Draft or None
    draft_saved = Signal(object)
    touch_recorded = Signal(object)
    prospect_updated = Signal(object)
    touches_loaded = Signal(int, list)  # prospect id, [Touch] oldest first
    rule_overrides_loaded = Signal(dict)  # {"rule-id": {"param": value}}
    rule_pack_loaded = Signal(object, str)  # RulePack (the team's over the built-in one), what is wrong with it or ""
    settings_loaded = Signal(dict)  # {key: value} for the keys asked
    import_planned = Signal(object)  # ImportPlan: shown to the rep before anything is written
    imported = Signal(int)  # prospects added
    exported = Signal(str)  # the file written
    backed_up = Signal(str)
    restored = Signal(str)  # where the previous workspace was kept
    failed = Signal(str)  # a message for the rep
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
    def _submit(self, doing: str, work, done, on_error=None) -> None:
        def fail(error: BaseException) -> None:
            if on_error is None or not on_error(error):
                self.failed.emit(user_message(error, doing, self.db_path))
            self._tell_notices()

        def finished(result) -> None:
            if done is not None:
                done(result)
            self._tell_notices()

        self._runner.run(work, finished, fail)

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

    # -- operations --------------------------------------------------------------
    def open(self) -> None:
        def work():
            store = open_store(self.db_path)
            self._repo = WorkspaceRepo(store.conn)
            if store.created and self.seed_demo:
                self._repo.seed_demo(resources_dir() / "demo" / "workspace.json")
            return store

        def fail(error: BaseException) -> None:
            self.open_failed.emit(user_message(error, "opening the workspace", self.db_path))

        def done(store) -> None:
            self.opened.emit(store)
            # After the first loads the window queues: a damaged search index finds nothing, silently.
            self._submit("checking the search index", lambda: self._require_repo().repair_search_index(), None)

        self._runner.run(work, done, fail)

    def load_prospects(self) -> None:
        self._submit("loading prospects", lambda: self._require_repo().list_prospects(), self.prospects_loaded.emit)

    def add_prospect(self, company: str, website: str = "", contact_name: str = "", role: str = "") -> None:
        self._submit(
            "saving the prospect",
            lambda: self._require_repo().add_prospect(company, website, contact_name, role),
            self.prospect_added.emit,
        )

    def load_facts(self, prospect_id: int) -> None:
        self._submit(
            "loading research",
            lambda: (prospect_id, self._require_repo().list_facts(prospect_id)),
            lambda result: self.facts_loaded.emit(*result),
        )

    def add_note(self, prospect_id: int, text: str, source_url: str = "") -> None:
        self._submit(
            "saving the note", lambda: self._require_repo().add_note(prospect_id, text, source_url),
            self.fact_added.emit,
        )

    def load_touches(self, prospect_id: int) -> None:
        self._submit(
            "loading the sent log",
            lambda: (prospect_id, self._require_repo().list_touches(prospect_id)),
            lambda result: self.touches_loaded.emit(*result),
        )

    def load_rules(self) -> None:
        """The rule pack (a team's pack in the data folder laid over the built-in one), then the saved
        thresholds: rule_pack_loaded, then rule_overrides_loaded."""
        def work():
            return team_pack(self.db_path.parent), self._require_repo().get_setting("rule_overrides", {})

        def done(result) -> None:
            (pack, error), overrides = result
            self.rule_pack_loaded.emit(pack, error or "")
            self.rule_overrides_loaded.emit(overrides)

        self._submit("loading the rules", work, done)

    def add_found_fact(self, prospect_id: int, fact) -> None:
        """Save a researched fact (the same text again refreshes the saved one)."""
        self._submit(
            "saving research",
            lambda: self._require_repo().add_fact(prospect_id, fact.kind, fact.text, fact.source_url,
                                                  fact.source_title, fact.published, fact.lang, fact.off_site,
                                                  fact.score, fact.snapshot)[0],
            self.fact_added.emit,
        )

    def load_settings(self, defaults: dict) -> None:
        """Workspace settings (JSON values); missing keys come back with their defaults."""
        self._submit("loading settings",
                     lambda: {k: self._require_repo().get_setting(k, v) for k, v in defaults.items()},
                     self.settings_loaded.emit)

    def save_settings(self, values: dict) -> None:
        def work():
            repo = self._require_repo()
            with repo.transaction():
                for key, value in values.items():
                    repo.set_setting(key, value)
            return values

        self._submit("saving settings", work, self.settings_loaded.emit)

    def set_pinned(self, fact_id: int, pinned: bool) -> None:
        self._submit("pinning the fact", lambda: self._require_repo().set_pinned(fact_id, pinned),
                     self.fact_updated.emit)

    def edit_fact(self, fact_id: int, text: str) -> None:
        self._submit("saving the fact", lambda: self._require_repo().edit_fact(fact_id, text), self.fact_updated.emit)

    def set_discarded(self, fact_id: int, discarded: bool) -> None:
        self._submit("discarding the fact", lambda: self._require_repo().set_discarded(fact_id, discarded),
                     self.fact_updated.emit)

    def search_facts(self, generation: int, query: str) -> None:
        def work():
            repo = self._require_repo()
            facts = repo.search_facts(query, limit=100)  # the best 100: more is a list nobody reads
            names = {p.id: p.company for p in repo.prospects_by_id({f.prospect_id for f in facts})}
            return generation, query, facts, names

        self._submit("searching", work, lambda result: self.search_results.emit(*result))

    def set_status(self, prospect_id: int, status: str, reason: str = "") -> None:
        self._submit("changing the status", lambda: self._require_repo().set_status(prospect_id, status, reason),
                     self.prospect_updated.emit)

    # -- data in and out ------------------------------------------------------------
    def plan_import(self, path: str) -> None:
        from app.storage.csv_import import plan_import

        self._submit("reading the CSV file", lambda: plan_import(Path(path), self._require_repo()),
                     self.import_planned.emit)

    def apply_import(self, plan) -> None:
        from app.storage.csv_import import apply_import

        self._submit("importing prospects", lambda: apply_import(plan, self._require_repo()), self.imported.emit)

    def export(self, prospect_id: int | None, fmt: str, path: str) -> None:
        from app.storage.export import write_export

        self._submit("exporting", lambda: str(write_export(self._require_repo(), fmt, Path(path), prospect_id)),
                     self.exported.emit)

    def backup(self, path: str) -> None:
        from app.storage.backup import backup

        self._submit("backing up", lambda: str(backup(self._require_repo().conn, Path(path))), self.backed_up.emit)

    def restore(self, path: str) -> None:
        from app.storage.backup import restore

        self._submit("restoring", lambda: str(restore(self._require_repo().conn, self.db_path, Path(path))),
                     self.restored.emit)

    def load_draft(self, prospect_id: int) -> None:
        pending = self._unsaved_drafts.get(prospect_id)  # newer than the saved one: the disk had no room
        self._submit(
            "loading the draft",
            lambda: (prospect_id, pending[1] if pending else self._require_repo().get_draft(prospect_id)),
            lambda result: self.draft_loaded.emit(*result),
        )

    def save_draft(self, draft: Draft) -> None:
        self._draft_seq += 1
        seq, pid = self._draft_seq, draft.prospect_id

        def saved(result: Draft) -> None:
            if pid in self._unsaved_drafts and self._unsaved_drafts[pid][0] <= seq:
                del self._unsaved_drafts[pid]
                self._drafts_pending_changed()
            self.draft_saved.emit(result)

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

        self._submit("saving the draft", lambda: self._require_repo().save_draft(draft), saved, disk_full)

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
                     overrides: list[str]) -> None:
        def work():
            repo = self._require_repo()
            days = int(repo.get_setting("follow_up_days", DEFAULT_FOLLOW_UP_DAYS))
            touch = repo.record_touch(prospect_id, kind, subject, text, cited, overrides, follow_up_days=days)
            return touch, repo.get_prospect(prospect_id)

        def done(result) -> None:
            touch, prospect = result
            self.touch_recorded.emit(touch)
            self.prospect_updated.emit(prospect)

        self._submit("logging the sent message", work, done)
