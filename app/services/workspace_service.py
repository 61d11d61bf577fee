"""WorkspaceService: the UI's only way to the local store, always off the main thread."""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.core.errors import EarnedError
from app.core.models import Draft
from app.core.paths import resources_dir
from app.storage.database import open_store
from app.storage.repo import DEFAULT_FOLLOW_UP_DAYS, WorkspaceRepo

from .tasks import TaskRunner

log = logging.getLogger(__name__)


def user_message(error: BaseException, doing: str) -> str:
    """What the rep reads: our own errors as they are, anything else as a plain sentence."""
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
    settings_loaded = Signal(dict)  # {key: value} for the keys asked
    import_planned = Signal(object)  # ImportPlan: shown to the rep before anything is written
    imported = Signal(int)  # prospects added
    exported = Signal(str)  # the file written
    backed_up = Signal(str)
    restored = Signal(str)  # where the previous workspace was kept
    failed = Signal(str)  # a message for the rep

    def __init__(self, db_path: Path, seed_demo: bool = True, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = db_path
        self.seed_demo = seed_demo
        # One thread: SQLite writes are serialised anyway, and order is kept.
        self._runner = TaskRunner(self, max_threads=1)
        self._repo: WorkspaceRepo | None = None

    # -- plumbing ----------------------------------------------------------------
    def _submit(self, doing: str, work, done) -> None:
        def fail(error: BaseException) -> None:
            self.failed.emit(user_message(error, doing))

        self._runner.run(work, done, fail)

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
            self.open_failed.emit(user_message(error, "opening the workspace"))

        self._runner.run(work, self.opened.emit, fail)

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

    def load_rule_overrides(self) -> None:
        self._submit("loading rule settings", lambda: self._require_repo().get_setting("rule_overrides", {}),
                     self.rule_overrides_loaded.emit)

    def add_found_fact(self, prospect_id: int, fact) -> None:
        """Save a researched fact (the same text again refreshes the saved one)."""
        self._submit(
            "saving research",
            lambda: self._require_repo().add_fact(prospect_id, fact.kind, fact.text, fact.source_url,
                                                  fact.source_title, fact.published)[0],
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
        from app.storage.export import to_csv, to_markdown

        def work():
            text = (to_markdown if fmt == "md" else to_csv)(self._require_repo(), prospect_id)
            try:
                Path(path).write_text(text, encoding="utf-8", newline="")
            except OSError as e:
                raise EarnedError(f"Can't write {path}: {e.strerror}.") from None
            return path

        self._submit("exporting", work, self.exported.emit)

    def backup(self, path: str) -> None:
        from app.storage.backup import backup

        self._submit("backing up", lambda: str(backup(self._require_repo().conn, Path(path))), self.backed_up.emit)

    def restore(self, path: str) -> None:
        from app.storage.backup import restore

        self._submit("restoring", lambda: str(restore(self._require_repo().conn, self.db_path, Path(path))),
                     self.restored.emit)

    def load_draft(self, prospect_id: int) -> None:
        self._submit(
            "loading the draft",
            lambda: (prospect_id, self._require_repo().get_draft(prospect_id)),
            lambda result: self.draft_loaded.emit(*result),
        )

    def save_draft(self, draft: Draft) -> None:
        self._submit("saving the draft", lambda: self._require_repo().save_draft(draft), self.draft_saved.emit)

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
