"""Python string offsets <-> Qt text positions. Qt counts UTF-16 code units: an emoji is two."""
from __future__ import annotations


def _is_ascii(text: str) -> bool:
    return text.isascii()


def qt_pos(text: str, index: int) -> int:
    """The Qt position of Python offset `index` in `text`."""
    if _is_ascii(text):
        return index
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def py_index(text: str, pos: int) -> int:
    """The Python offset of Qt position `pos` in `text` (a position inside a pair rounds down)."""
    if _is_ascii(text):
        return pos
    units = 0
    for i, ch in enumerate(text):
        step = 2 if ord(ch) > 0xFFFF else 1
        if units + step > pos:
            return i
        units += step
    return len(text)


def plain_tooltip(text: str) -> str:
    """Tooltip markup that shows `text` literally: Qt would render anything that looks like HTML."""
    import html

    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"
