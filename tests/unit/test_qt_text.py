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


def test_a_tooltip_shows_markup_from_the_web_as_typed():
    from app.ui.qt_text import plain_tooltip

    tip = plain_tooltip('<img src="file:///etc/passwd"> & <b>bold</b>\nline two')
    assert "<img" not in tip and "<b>" not in tip
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt; &amp; &lt;b&gt;bold&lt;/b&gt;<br>line two" in tip
    assert tip.startswith("<qt>"), "marked as rich text, so the escaping is what Qt reads"
