"""WCAG contrast arithmetic (no QApplication: QColor needs none). The widget-tree check is exercised on real
widgets in tests/gui/test_dialogs.py."""
import pytest
from PySide6.QtGui import QColor, QPalette

from app.ui.contrast import contrast_ratio, readable, readable_palette, relative_luminance


@pytest.mark.parametrize("a, b, expected", [
    ("#000000", "#ffffff", 21.0),
    ("#ffffff", "#ffffff", 1.0),
    ("#777777", "#ffffff", 4.48),  # the classic just-fails grey
    ("#767676", "#ffffff", 4.54),  # ... and the one that just passes
    ("#b8b8b8", "#efefef", 1.73),  # Fusion's Mid on its Window: the composer's `color: palette(mid)`
    ("#ffffff", "#308cc6", 3.69),  # Fusion's selection
    ("#0000ff", "#ffffff", 8.59),
])
def test_known_pairs(a, b, expected):
    assert contrast_ratio(a, b) == pytest.approx(expected, abs=0.01)
    assert contrast_ratio(b, a) == pytest.approx(expected, abs=0.01)  # order does not matter for opaque colours


def test_luminance_ends_and_inputs():
    assert relative_luminance("black") == 0 and relative_luminance(QColor("white")) == pytest.approx(1)
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    with pytest.raises(ValueError):
        contrast_ratio("not-a-colour", "white")


def test_translucent_text_is_seen_mixed_with_its_background():
    # Fusion's placeholder: black at alpha 128 reads as mid grey on white, about 4:1, not 21:1.
    assert contrast_ratio((0, 0, 0, 128), "white") == pytest.approx(4.0, abs=0.05)


@pytest.mark.parametrize("fg, bg", [("#777777", "#ffffff"), ("#b8b8b8", "#efefef"), ("#b3261e", "#202124"),
                                    ("#ffffff", "#308cc6"), ("#9a6700", "#efefef")])
def test_readable_reaches_the_minimum_with_a_small_change(fg, bg):
    fixed = readable(fg, bg)
    assert contrast_ratio(fixed, bg) >= 4.5
    assert contrast_ratio(fixed, bg) < 5.0, "nudged just enough, not turned black or white"


def test_readable_leaves_a_good_colour_alone_and_keeps_the_hue():
    assert readable("#1d6b2f", "#ffffff").name() == "#1d6b2f"
    red = readable("#ff4444", "#ffffff")
    assert red.red() > red.green() and red.red() > red.blue()


def test_readable_palette_fixes_placeholder_and_selection():
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(0, 0, 0, 128))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#308cc6"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    fixed = readable_palette(palette)
    R = QPalette.ColorRole
    assert contrast_ratio(fixed.color(R.PlaceholderText), fixed.color(R.Base)) >= 4.5
    assert contrast_ratio(fixed.color(R.HighlightedText), fixed.color(R.Highlight)) >= 4.5
