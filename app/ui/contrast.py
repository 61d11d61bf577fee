"""Text contrast (WCAG 2.x): the ratio of two colours, a colour nudged until it is readable, and a check
that walks a widget tree for text that is too faint against what is behind it.

What low_contrast_texts sees is the *palette*: a stylesheet's `color:` and `background:` reach it, because Qt's
stylesheet style copies them into the widget's palette when it polishes the widget. It cannot see: gradients
and background images, per-state rules (:hover, :focus), colours inside rich text, what a custom delegate or
paintEvent draws (test those with contrast_ratio on the colours they use), tooltips, tab bars, and widgets a
style paints from pixmaps. Disabled widgets are skipped (WCAG exempts inactive controls). The Active colour group
is used, and a button's background is taken to be its Button colour (Fusion draws a slight gradient over it).
"""
from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QCheckBox, QComboBox, QGroupBox, QLabel, QLineEdit, QListView, QPlainTextEdit,
    QPushButton, QRadioButton, QTextEdit, QToolButton, QWidget,
)

AA = 4.5  # WCAG 2.x level AA for body text
MAX_ITEMS = 2000  # cells looked at per item view: enough for any list a rep reads without scrolling far


def _qcolor(color) -> QColor:
    if isinstance(color, QColor):
        return QColor(color)
    if isinstance(color, QBrush):
        return color.color()
    if isinstance(color, tuple):
        return QColor(*color)
    out = QColor(color)
    if not out.isValid():
        raise ValueError(f"not a colour: {color!r}")
    return out


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color) -> float:
    """WCAG 2.x relative luminance of an opaque colour: 0 for black, 1 for white."""
    c = _qcolor(color)
    return 0.2126 * _linear(c.red()) + 0.7152 * _linear(c.green()) + 0.0722 * _linear(c.blue())


def over(color, background) -> QColor:
    """`color` composited over an opaque `background` (a translucent text colour is seen mixed with what is behind)."""
    fg, bg = _qcolor(color), _qcolor(background)
    a = fg.alphaF()
    return QColor(round(fg.red() * a + bg.red() * (1 - a)), round(fg.green() * a + bg.green() * (1 - a)),
                  round(fg.blue() * a + bg.blue() * (1 - a)))


def contrast_ratio(color_a, color_b) -> float:
    """WCAG contrast ratio, 1 to 21. color_a is the text: if it is translucent it is composited over color_b
    (whose own alpha is ignored). Colours may be QColor, QBrush, '#rrggbb'/names, or (r, g, b[, a]) tuples."""
    b = _qcolor(color_b)
    b.setAlpha(255)
    a = over(color_a, b)
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def readable(color, background, minimum: float = AA) -> QColor:
    """`color` (opaque over `background`) if it is readable there, else the least change toward black or white
    (whichever the background contrasts with more) that is: keeps the hue, so a red warning stays red."""
    fg, bg = over(color, background), _qcolor(background)
    if contrast_ratio(fg, bg) >= minimum:
        return fg
    target = QColor("black") if contrast_ratio("black", bg) >= contrast_ratio("white", bg) else QColor("white")
    lo, hi = 0.0, 1.0
    for _ in range(16):  # bisect the mix: contrast grows with it toward the far end
        mid = (lo + hi) / 2
        if contrast_ratio(mix(fg, target, mid), bg) >= minimum:
            hi = mid
        else:
            lo = mid
    return mix(fg, target, hi)


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """The colour `t` of the way from `a` to `b` (opaque)."""
    return QColor(round(a.red() + (b.red() - a.red()) * t), round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


def readable_palette(palette: QPalette, minimum: float = AA) -> QPalette:
    """A copy of `palette` whose placeholder text and selection meet `minimum`: Fusion's defaults are 3.9:1
    (placeholder: black at half opacity on white) and 3.6:1 (white on #308cc6)."""
    out = QPalette(palette)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        base = out.color(group, QPalette.ColorRole.Base)
        out.setColor(group, QPalette.ColorRole.PlaceholderText,
                     readable(out.color(group, QPalette.ColorRole.PlaceholderText), base, minimum))
        out.setColor(group, QPalette.ColorRole.Highlight,
                     readable(out.color(group, QPalette.ColorRole.Highlight),
                              out.color(group, QPalette.ColorRole.HighlightedText), minimum))
    return out


# -- the widget-tree check -------------------------------------------------------------------------------------

def _color(widget: QWidget, role: QPalette.ColorRole) -> QColor:
    return widget.palette().color(QPalette.ColorGroup.Active, role)


def _behind(widget: QWidget) -> QColor:
    """The colour a widget without a background of its own is drawn on: the nearest ancestor (or itself) that
    fills its background (autoFillBackground, a stylesheet background, or a window)."""
    w = widget
    while w is not None:
        if w.isWindow() or w.autoFillBackground() or w.testAttribute(Qt.WidgetAttribute.WA_StyledBackground):
            return _color(w, w.backgroundRole())
        w = w.parentWidget()
    return _color(widget, QPalette.ColorRole.Window)


def _plain(text: str) -> str:
    return " ".join(re.sub(r"<[^>]*>", "", text).split())


def _pairs(widget: QWidget, placeholders: bool):
    """(label, text, foreground, background) for each piece of text the widget shows itself."""
    R = QPalette.ColorRole
    if isinstance(widget, QLabel):
        if widget.text() and widget.pixmap().isNull():
            yield "", _plain(widget.text()), _color(widget, widget.foregroundRole()), _behind(widget)
    elif isinstance(widget, (QPushButton, QToolButton)):
        if widget.text():
            flat = isinstance(widget, QPushButton) and widget.isFlat() or (
                isinstance(widget, QToolButton) and widget.autoRaise())
            yield "", widget.text(), _color(widget, R.ButtonText), _behind(widget) if flat else _color(widget, R.Button)
    elif isinstance(widget, (QCheckBox, QRadioButton, QAbstractButton)):
        if widget.text():
            yield "", widget.text(), _color(widget, R.WindowText), _behind(widget)
    elif isinstance(widget, QGroupBox):
        if widget.title():
            yield "", widget.title(), _color(widget, R.WindowText), _behind(widget)
    elif isinstance(widget, QLineEdit):
        if widget.text() and widget.echoMode() == QLineEdit.EchoMode.Normal:
            yield "", widget.text(), _color(widget, R.Text), _color(widget, R.Base)
        elif not widget.text() and widget.placeholderText() and placeholders:
            yield " (placeholder)", widget.placeholderText(), _color(widget, R.PlaceholderText), _color(widget, R.Base)
    elif isinstance(widget, QComboBox):
        if not widget.isEditable() and widget.currentText():  # an editable one's QLineEdit is checked on its own
            yield "", widget.currentText(), _color(widget, R.ButtonText), _color(widget, R.Button)
    elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
        text = widget.toPlainText()
        if text.strip():
            yield "", text, _color(widget, R.Text), _color(widget.viewport(), R.Base)
        elif placeholders and widget.placeholderText():
            yield " (placeholder)", widget.placeholderText(), _color(widget, R.PlaceholderText), _color(widget, R.Base)
    elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
        yield from _item_pairs(widget)


def _item_pairs(view: QAbstractItemView):
    R = QPalette.ColorRole
    model, seen = view.model(), 0
    selection = view.selectionModel()
    stack = [QModelIndex()]
    is_list = isinstance(view, QListView)  # one column, no children (and QListWidget's model hides columnCount)
    while stack and seen < MAX_ITEMS:
        parent = stack.pop()
        for row in range(model.rowCount(parent)):
            for col in [view.modelColumn()] if is_list else range(model.columnCount(parent)):
                index = model.index(row, col, parent)
                seen += 1
                if not is_list and col == 0 and model.hasChildren(index):
                    stack.append(index)
                text = index.data(Qt.ItemDataRole.DisplayRole)
                if not text or (hasattr(view, "isRowHidden") and _row_hidden(view, row, parent)):
                    continue
                if selection is not None and selection.isSelected(index):
                    fg, bg = _color(view, R.HighlightedText), _color(view, R.Highlight)
                else:
                    fg = index.data(Qt.ItemDataRole.ForegroundRole)
                    bg = index.data(Qt.ItemDataRole.BackgroundRole)
                    fg = _color(view, R.Text) if _unset(fg) else _qcolor(fg)
                    bg = _color(view.viewport(), R.Base) if _unset(bg) else _qcolor(bg)
                yield f"[row {row}]", str(text), fg, bg


def _row_hidden(view, row: int, parent: QModelIndex) -> bool:
    try:
        return view.isRowHidden(row, parent)  # QTreeView
    except TypeError:
        return view.isRowHidden(row)  # QListView, QTableView


def _unset(value) -> bool:
    return value is None or (isinstance(value, QBrush) and value.style() == Qt.BrushStyle.NoBrush)


def low_contrast_texts(widget: QWidget, minimum: float = AA, placeholders: bool = True) -> list[str]:
    """One line per visible, enabled text under `widget` (itself included) whose colour against its background
    is below `minimum`: "objectName: 3.21:1 (#777777 on #ffffff) 'the text'". Empty when all is readable."""
    found = []
    for w in [widget, *widget.findChildren(QWidget)]:
        if not w.isEnabled() or (w is not widget and not w.isVisibleTo(widget)):
            continue
        w.ensurePolished()  # a stylesheet reaches the palette when the widget is polished
        for suffix, text, fg, bg in _pairs(w, placeholders):
            ratio = contrast_ratio(fg, bg)
            if ratio < minimum:
                name = w.objectName() or type(w).__name__
                shown = over(fg, bg).name()
                found.append(f"{name}{suffix}: {ratio:.2f}:1 ({shown} on {bg.name()}) {text[:40]!r}")
    return found
