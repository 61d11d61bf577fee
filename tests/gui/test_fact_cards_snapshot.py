"""Fact cards for what research now finds: job postings and filings with their labels and ages, and a
quoted article's card saying where its quote came from (the whole snapshot in its tooltip)."""
from dataclasses import replace

import pytest
from datetime import date, timedelta

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QListWidget, QStyleOptionViewItem

from app.research.facts import FoundFact, Snapshot
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from app.ui.fact_cards import FACT_ROLE, age_badge
from tests.helpers.window import find

HASH = "5f1c3a" + "0" * 58
QUOTE = "Harbor and Pine opened a second cross-dock in Reno on Tuesday, adding 120 jobs."
URL = "https://www.news.example/2026/harbor-pine-reno"


def _workspace(earned_home):
    store = open_store(earned_home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    prospect = repo.add_prospect("Harbor and Pine", "https://harborpine.example")
    old = (date.today() - timedelta(days=200)).isoformat()
    recent = (date.today() - timedelta(days=3)).isoformat()
    repo.add_fact(prospect.id, "news", QUOTE, URL, "Harbor and Pine opens Reno cross-dock", recent,
                  snapshot=Snapshot(QUOTE, URL, "2026-11-02T15:30:05+00:00", HASH))
    repo.add_fact(prospect.id, "hiring", "Harbor and Pine is hiring 20 truck drivers in Reno",
                  "https://jobs.example/hp/1", "Truck driver", old)
    repo.add_fact(prospect.id, "filing", "Harbor and Pine filed a Form D for a $4 million offering",
                  "https://sec.example/hp", "Form D", recent)
    store.conn.close()
    return prospect


def _cards(qtbot, window, prospect_id, count):
    window.research.select_prospect(prospect_id)
    facts = find(window, QListWidget, "factList")
    qtbot.waitUntil(lambda: facts.count() == count)
    return facts, {facts.item(i).data(FACT_ROLE).kind: facts.item(i) for i in range(facts.count())}


def test_a_quoted_fact_says_where_its_quote_came_from(qtbot, open_window, earned_home):
    prospect = _workspace(earned_home)
    window = open_window()
    facts, cards = _cards(qtbot, window, prospect.id, 3)

    card = cards["news"]
    assert "Quoted from news.example on 2026-11-02" in card.text()
    tip = facts.tooltip_for(card.data(FACT_ROLE))
    assert QUOTE in tip and URL in tip and "2026-11-02T15:30:05+00:00" in tip and HASH in tip
    assert "Quoted from" not in cards["hiring"].text(), "only a fact with a snapshot says so"

    # The card makes room for the extra line, and paints it (a grab runs the delegate's paint).
    delegate = facts.itemDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(facts)
    option.rect = QRect(0, 0, 420, 100)
    index = facts.model().index(facts.row(card), 0)
    with_line = delegate.sizeHint(option, index).height()
    fact = card.data(FACT_ROLE)
    facts.update_card(card, replace(fact, quote=None, quote_url=None, quote_retrieved_at=None, quote_sha256=None), {})
    assert delegate.sizeHint(option, index).height() < with_line
    facts.update_card(card, fact, {})
    assert not facts.viewport().grab().isNull()


def test_hiring_and_filing_cards_have_labels_and_age_like_news(qtbot, open_window, earned_home):
    prospect = _workspace(earned_home)
    window = open_window()
    _, cards = _cards(qtbot, window, prospect.id, 3)

    hiring, filing = cards["hiring"].text(), cards["filing"].text()
    assert "HIRING" in hiring and "stale" in hiring, hiring  # 200 days: past the news limit (90 days)
    assert "FILING" in filing and "fresh" in filing, filing
    stale_site = replace(cards["hiring"].data(FACT_ROLE), kind="site")
    assert age_badge(stale_site, date.today()) == "getting old"  # (a site fact of the same age is only ageing: 365)


def test_a_quote_research_found_is_saved_and_shown_with_its_snapshot(qtbot, open_window, earned_home):
    prospect = _workspace(earned_home)
    window = open_window()
    facts, _ = _cards(qtbot, window, prospect.id, 3)

    found = FoundFact("news", "Harbor and Pine signed a rail partnership with Cascadia Rail on Monday.",
                      "https://rail.example/story", "Harbor and Pine teams up with Cascadia Rail", "2026-11-01",
                      "en", snapshot=Snapshot("Harbor and Pine signed a rail partnership with Cascadia Rail on Monday.",
                                              "https://rail.example/story", "2026-11-03T08:00:00+00:00", "ab" * 32))
    saved_facts = []  # the service answers with an Op now (it had a fact_added signal)
    window.service.add_found_fact(prospect.id, found).success(saved_facts.append)
    qtbot.waitUntil(lambda: bool(saved_facts), timeout=10_000)
    saved = saved_facts[0]
    assert (saved.quote_url, saved.quote_retrieved_at, saved.quote_sha256) == (
        "https://rail.example/story", "2026-11-03T08:00:00+00:00", "ab" * 32)
    qtbot.waitUntil(lambda: facts.count() == 4)
    texts = [facts.item(i).text() for i in range(facts.count())]
    assert any("Cascadia Rail" in t and "Quoted from rail.example on 2026-11-03" in t for t in texts), texts


# -- the card as painted: its number, its pin, and text a rep can read -------------------------------------------

from PySide6.QtCore import QRectF  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter, QPalette  # noqa: E402
from PySide6.QtWidgets import QStyle  # noqa: E402

from app.core.models import Fact  # noqa: E402
from app.ui.contrast import contrast_ratio  # noqa: E402
from app.ui.fact_cards import FactList  # noqa: E402

PINNED = Fact(11, 1, "news", "Harbor and Pine opened a second cross-dock in Reno.", URL, "Reno cross-dock opens",
              (date.today() - timedelta(days=60)).isoformat(), pinned=True, quote=QUOTE, quote_url=URL,
              quote_retrieved_at="2026-11-02T15:30:05+00:00", quote_sha256=HASH)


class RecordingPainter(QPainter):
    """A real painter that also notes each text drawn (with its pen and box) and each rounded box filled."""

    def __init__(self, device):
        super().__init__(device)
        self.texts: list[tuple[str, QColor, QRectF]] = []
        self.fills: list[tuple[QColor, QRectF]] = []

    def drawText(self, *args):
        self.texts.append((next(a for a in args if isinstance(a, str)), self.pen().color(), QRectF(args[0])))
        return super().drawText(*args)

    def drawRoundedRect(self, *args):
        self.fills.append((self.brush().color(), QRectF(args[0])))
        return super().drawRoundedRect(*args)

    def behind(self, box: QRectF) -> QColor:
        """The colour of the last box filled under the middle of `box`."""
        return next(color for color, rect in reversed(self.fills) if rect.contains(box.center()))


def dark_palette(palette: QPalette) -> QPalette:
    dark = QPalette(palette)
    for role, color in (("Window", "#2b2b2b"), ("WindowText", "#e8e8e8"), ("Base", "#1e1e1e"), ("Text", "#e8e8e8"),
                        ("Mid", "#555555"), ("Highlight", "#3d6fa5"), ("HighlightedText", "#ffffff")):
        dark.setColor(getattr(QPalette.ColorRole, role), QColor(color))
    return dark


def paint_card(qtbot, fact: Fact, meta: dict, selected=False, palette=None) -> RecordingPainter:
    facts = FactList()
    qtbot.addWidget(facts)
    facts.resize(460, 400)
    item = facts.add_card(fact, meta)
    option = QStyleOptionViewItem()
    option.initFrom(facts)
    option.font = facts.font()
    if palette is not None:
        option.palette = palette
    if selected:
        option.state |= QStyle.StateFlag.State_Selected
    index = facts.model().index(facts.row(item), 0)
    option.rect = QRect(0, 0, 440, facts.itemDelegate().sizeHint(option, index).height())
    image = QImage(440, option.rect.height(), QImage.Format.Format_ARGB32)
    painter = RecordingPainter(image)
    facts.itemDelegate().paint(painter, option, index)
    painter.end()
    return painter


def test_a_card_shows_the_number_its_citation_chip_shows(qtbot):
    painted = paint_card(qtbot, PINNED, {})
    assert any("[^11]" in text for text, _, _ in painted.texts), painted.texts


def test_a_pinned_card_says_so_without_an_emoji_glyph(qtbot):
    painted = paint_card(qtbot, PINNED, {})
    drawn = " ".join(text for text, _, _ in painted.texts)
    assert "pinned" in drawn
    assert not [ch for ch in drawn if ord(ch) >= 0x1F000], "no emoji: they are empty boxes without an emoji font"
    facts = FactList()
    qtbot.addWidget(facts)
    item_text = facts.add_card(PINNED, {}).text()  # what a screen reader says
    assert "pinned" in item_text and "📌" not in item_text


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("selected", [False, True], ids=["plain", "selected"])
@pytest.mark.parametrize("age", [None, "fresh", "getting old", "stale"])
def test_every_text_on_a_card_is_readable(qtbot, theme, selected, age):
    palette = QListWidget().palette()
    palette = dark_palette(palette) if theme == "dark" else palette
    painted = paint_card(qtbot, PINNED, {"age": age, "cited_before": True}, selected, palette)
    assert len(painted.texts) >= 2  # the header (and chip), the "Quoted from" line
    low = [(text, color.name(), painted.behind(box).name(), round(contrast_ratio(color, painted.behind(box)), 2))
           for text, color, box in painted.texts if contrast_ratio(color, painted.behind(box)) < 4.5]
    assert not low, low


# (A popup menu on the offscreen platform: it can't raise itself or grab the keyboard, and says so.)
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_the_rep_copies_where_a_quote_came_from_from_the_keyboard(qtbot, open_window, earned_home):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QMenu

    prospect = _workspace(earned_home)
    window = open_window()
    facts, cards = _cards(qtbot, window, prospect.id, 3)
    facts.setFocus()
    facts.setCurrentItem(cards["hiring"])
    QGuiApplication.clipboard().clear()

    def menu_action():
        menus = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible()]
        return menus[-1] if menus else None

    # A fact without a snapshot has nothing to copy: the menu doesn't offer it.
    qtbot.keyClick(facts, Qt.Key.Key_Menu)
    qtbot.waitUntil(lambda: menu_action() is not None)
    assert menu_action().findChild(type(menu_action().actions()[0]), "copyProvenanceAction") is None
    menu_action().close()

    facts.setCurrentItem(cards["news"])
    qtbot.keyClick(facts, Qt.Key.Key_Menu)  # the menu key (Shift+F10 does the same) opens it on the current card
    qtbot.waitUntil(lambda: menu_action() is not None)
    action = menu_action().findChild(type(menu_action().actions()[0]), "copyProvenanceAction")
    assert action is not None and action.text() == "Copy where it was quoted"
    action.trigger()
    qtbot.waitUntil(lambda: bool(QGuiApplication.clipboard().text()))
    copied = QGuiApplication.clipboard().text()
    assert copied == (f"“{QUOTE}”\nFrom: {URL}\nRead by Earned: 2026-11-02T15:30:05+00:00\n"
                      f"SHA-256 of the article's text as read: {HASH}")
