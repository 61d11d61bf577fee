"""The checklist on its own: driven by the keyboard as by the mouse, and honest before anything is written."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest

from app.compose.engine import check_text
from app.compose.rulepack import default_pack
from app.ui.checklist_widget import ChecklistWidget
from app.ui.contrast import contrast_ratio, low_contrast_texts

DRAFT = "Subject: Reno dock\n\nJust checking in, how is the Reno cross-dock going?"


@pytest.fixture
def checklist(qtbot):
    widget = ChecklistWidget()
    widget.setObjectName("checklist")
    widget.resize(500, 400)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def row_of(checklist, rule_id: str) -> int:
    return next(i for i in range(checklist.count()) if f" {rule_id}:" in checklist.item(i).text())


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_enter_or_space_on_an_item_does_what_a_click_does(qtbot, checklist, key):
    result = check_text(DRAFT, "first-touch", [], pack=default_pack())
    checklist.show_result(result, default_pack())
    row = row_of(checklist, "no-entitlement")
    checklist.setFocus()
    checklist.setCurrentRow(row)
    with qtbot.waitSignal(checklist.span_requested, timeout=1000) as asked:
        QTest.keyClick(checklist, key)
    rule_id, spans = asked.args
    assert rule_id == "no-entitlement"
    assert spans and DRAFT[spans[0][0]:spans[0][1]] == "Just checking in"


def test_the_arrow_keys_still_move_without_asking(qtbot, checklist):
    checklist.show_result(check_text(DRAFT, "first-touch", [], pack=default_pack()), default_pack())
    checklist.setFocus()
    checklist.setCurrentRow(0)
    with qtbot.assertNotEmitted(checklist.span_requested):
        QTest.keyClick(checklist, Qt.Key.Key_Down)
    assert checklist.currentRow() == 1


@pytest.mark.parametrize("kind", ["first-touch", "follow-up", "linkedin-note", "call-script"])
def test_an_empty_draft_shows_nothing_passed_or_failed(checklist, kind):
    """The composer calls show_result(None, pack) while the body is empty (an empty text 'passes' most rules)."""
    pack = default_pack()
    checklist.show_result(None, pack, kind=kind)
    lines = checklist.lines()
    assert len(lines) == len(pack.for_kind(kind))
    assert not [line for line in lines if line.startswith(("✔", "✘", "!"))], lines
    assert all("not checked yet" in line for line in lines), lines
    assert checklist.status_of("cites-research") is None


def test_not_checked_yet_then_checked_then_cleared_again(checklist):
    pack = default_pack()
    checklist.show_empty([r.id for r in pack.for_kind("first-touch")], pack)
    assert all(line.startswith("–") for line in checklist.lines()), checklist.lines()
    checklist.show_result(check_text(DRAFT, "first-touch", [], pack=pack), pack)
    assert checklist.lines()[row_of(checklist, "no-entitlement")].startswith("✘")
    assert checklist.status_of("no-entitlement") == "fail"
    checklist.show_result(None, pack)  # the rep deleted everything: the same rules, none checked
    assert all(line.startswith("–") and "not checked yet" in line for line in checklist.lines())
    # Each row keeps its "<mark>  <rule id>: <message>" shape (other tests read rule ids from it).
    assert {line.split(None, 1)[1].split(":", 1)[0] for line in checklist.lines()} == {
        r.id for r in pack.for_kind("first-touch")}


def test_an_unchecked_row_can_still_be_asked_why(qtbot, checklist):
    pack = default_pack()
    checklist.show_result(None, pack, kind="first-touch")
    checklist.setFocus()
    checklist.setCurrentRow(0)
    with qtbot.waitSignal(checklist.span_requested, timeout=1000) as asked:
        QTest.keyClick(checklist, Qt.Key.Key_Return)
    assert asked.args == [checklist.item(0).data(Qt.ItemDataRole.UserRole), []]


def _dark(widget):
    palette = widget.palette()
    for role, color in ((QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Text, "#e8e8e8"),
                        (QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.WindowText, "#e8e8e8")):
        palette.setColor(role, QColor(color))
    widget.setPalette(palette)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_mark_is_readable_on_the_list(checklist, theme):
    if theme == "dark":
        _dark(checklist)
    pack = default_pack()
    checklist.show_result(check_text(DRAFT, "first-touch", [], pack=pack), pack)
    statuses = {checklist.status_of(r.id) for r in pack.for_kind("first-touch")}
    assert {"pass", "warn", "fail"} <= statuses  # all three colours are on screen
    assert low_contrast_texts(checklist) == []
    checklist.show_result(None, pack)
    assert low_contrast_texts(checklist) == []
    base = checklist.palette().color(QPalette.ColorRole.Base)
    assert all(contrast_ratio(checklist.item(i).foreground().color(), base) >= 4.5 for i in range(checklist.count()))
