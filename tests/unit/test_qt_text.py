from app.ui.qt_text import py_index, qt_pos


def test_positions_count_utf16_units_after_emoji():
    text = "a🎉b[^1]é"
    assert qt_pos(text, 1) == 1
    assert qt_pos(text, 2) == 3  # the emoji is two UTF-16 units
    assert qt_pos(text, len(text)) == len(text.encode("utf-16-le")) // 2
    for i in range(len(text) + 1):
        assert py_index(text, qt_pos(text, i)) == i


def test_ascii_is_identity():
    assert qt_pos("hello", 3) == 3 and py_index("hello", 3) == 3
