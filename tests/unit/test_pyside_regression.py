"""PySide6-Essentials 6.12.0 on CPython 3.11 drops a reference to None on every
QTextEdit.setExtraSelections call and kills the interpreter after a few thousand
("Fatal Python error: none_dealloc"). pyproject pins below 6.12 on Python < 3.12."""
import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit
    app = QApplication([])
    for widget in (QTextEdit(), QPlainTextEdit()):
        widget.setPlainText("Did you receive my last email? " * 20)
        sel = QTextEdit.ExtraSelection()
        sel.format.setUnderlineColor(QColor("red"))
        sel.cursor = widget.textCursor()
        before = sys.getrefcount(None)
        for i in range(50_000):
            widget.setExtraSelections([sel] if i % 2 else [])
    print("alive", sys.getrefcount(None) - before)
""")


def test_fifty_thousand_set_extra_selections_calls_leave_the_interpreter_alive():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("alive")
