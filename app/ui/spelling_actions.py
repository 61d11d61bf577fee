"""Spell checking in the composer: the dictionary loaded once the rep writes, the rep's own words kept.

The words a rep adds ("Add to dictionary") are a workspace setting (spelling_words); the selected
prospect's company and people are accepted too, so their names are never flagged.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer

from app.services.tasks import TaskRunner
from app.services.workspace_service import WorkspaceService

from .composer_pane import ComposerPane
from .session import ProspectSession

SETTING = "spelling_words"


def _load_speller():
    from app.compose.spelling import default_speller

    return default_speller()


class SpellingActions(QObject):
    def __init__(self, window, service: WorkspaceService, session: ProspectSession, composer: ComposerPane):
        super().__init__(window)
        self.service, self.session, self.composer = service, session, composer
        self.speller = None
        self.own_words: set[str] = set()  # what the rep added: the only words saved
        self._runner = TaskRunner(self, max_threads=1)
        self._started = False
        self.highlighter = composer.body.highlighter
        self.highlighter.word_added.connect(self._word_added)
        session.loaded.connect(self._accept_prospect_names)

    def start(self) -> None:
        """Check spelling from the first time the rep is in the message box (focus or a key).

        Hunspell builds its dictionary in one C call that holds Python's lock for about 50 ms: run on a
        worker thread, it still stops the window that long (measured: a 51 ms gap on the UI thread). So it
        is not loaded at startup, or while research runs in the background, but when the rep starts to
        write, where a one-time pause is least in the way (the box has the focus, no key is lost)."""
        self.composer.body.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.composer.body and event.type() in (QEvent.Type.FocusIn, QEvent.Type.KeyPress):
            self.composer.body.removeEventFilter(self)
            QTimer.singleShot(0, self._load)  # after the focus is shown
        return False

    def _load(self) -> None:
        if self._started:
            return
        self._started = True

        def loaded(speller) -> None:
            self.speller = speller
            speller.add_words(self.own_words)
            self._accept_prospect_names()
            self.highlighter.set_speller(speller)

        def words(values: dict) -> None:
            self.own_words = {w for w in values.get(SETTING, []) if isinstance(w, str)}
            self._runner.run(_load_speller).success(loaded)

        self.service.load_settings({SETTING: []}).success(words)

    def _accept_prospect_names(self) -> None:
        p = self.session.prospect
        if self.speller is None or p is None:
            return
        names = [n for n in (p.company, p.contact_name) if n]
        if names:
            self.speller.add_words(names)
            self.highlighter.rehighlight()

    def _word_added(self, word: str) -> None:
        self.own_words.add(word)
        self.service.save_settings({SETTING: sorted(self.own_words)})
