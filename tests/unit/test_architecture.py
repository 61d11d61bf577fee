"""Imports point downward: no Qt below services, no I/O libraries in the UI; one helper per job in app/core."""
import ast
import re
from pathlib import Path

import pytest

from app.core import tokens

APP = Path(__file__).resolve().parents[2] / "app"
NO_QT = ["core", "compose", "research", "storage", "team", "secrets.py", "cli.py", "config.py"]
UI_FORBIDDEN = {"sqlite3", "requests", "keyring", "app.storage", "app.secrets", "app.research"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules_under(name: str) -> list[Path]:
    target = APP / name
    return [target] if target.is_file() else sorted(target.rglob("*.py"))


@pytest.mark.parametrize("layer", NO_QT)
def test_layers_below_services_do_not_import_qt(layer):
    files = modules_under(layer)
    assert files
    for path in files:
        qt = {m for m in imported_modules(path) if m.split(".")[0] in ("PySide6", "shiboken6")}
        assert not qt, f"{path.relative_to(APP)} imports {qt}"


def test_ui_imports_no_io_libraries():
    files = modules_under("ui")
    assert files
    for path in files:
        bad = {m for m in imported_modules(path) if any(m == f or m.startswith(f + ".") for f in UI_FORBIDDEN)}
        assert not bad, f"{path.relative_to(APP)} imports {bad}"


def test_the_checker_sees_a_violation(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import sqlite3\nfrom PySide6.QtCore import QObject\n")
    assert {"sqlite3", "PySide6.QtCore"} <= imported_modules(sample)


# -- one helper per job --------------------------------------------------------------------------------
# "One helper per job (dates, URLs, tokens, encodings)": each lives in app/core (dates.py, urls.py, tokens.py,
# encodings.py). Outside app/core, these spellings are a new copy of one of them.
ONE_HELPER = {
    "dates: use app.core.dates (parse_datetime, to_date, day, iso)": [
        r"\bstrptime\(", r"\bfromisoformat\(", r"\bparsedate(?:_to_datetime|_tz)?\b",
        r"(?i)(?:published|_at|date)\w*[^\n\[]{0,12}\[:10\]",  # an ISO timestamp's day cut off by hand
    ],
    "web addresses: use app.core.urls": [
        r"\burl(?:split|parse|join|unsplit|unparse)\b", r"""removeprefix\(\s*["']www\.""",
    ],
    "text encodings: use app.core.encodings": [
        r"\bchardet\b", r"\bcharset_normalizer\b", r"\bUnicodeDammit\b", r"\bBOM_UTF(?:16|32)",
        r"""["'](?:cp1252|windows-1252|latin-?1|iso-8859-1)["']""",
    ],
}
# Files that still hold a copy, with why. When a file is switched, take it off the list (a test below says so).
ONE_HELPER_ALLOWED = {
    # Repairs text that was decoded wrongly ("â€“" -> "–") by encoding it back: no guess at an encoding.
    ("research/sentences.py", "text encodings: use app.core.encodings"): "undoes mojibake",
}
# A word tokenizer is named *_WORD_RE / *_TOKEN_RE and lives in app/core/tokens.py; so does every pattern there.
TOKENIZER_NAME = re.compile(r"(?:WORDS?|TOKENS?)_RE$")
TOKENIZERS_ALLOWED: dict[str, str] = {}


def _copies(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {job for job, patterns in ONE_HELPER.items() if any(re.search(p, text) for p in patterns)}


def _outside_core() -> list[Path]:
    return [p for p in sorted(APP.rglob("*.py")) if p.relative_to(APP).parts[0] != "core"]


def test_dates_urls_and_encodings_are_read_by_their_one_helper():
    found = {(p.relative_to(APP).as_posix(), job) for p in _outside_core() for job in _copies(p)}
    new = sorted(found - set(ONE_HELPER_ALLOWED))
    assert not new, "a copy of a core helper's job:\n" + "\n".join(f"  app/{f}: {job}" for f, job in new)


def test_the_allow_list_only_holds_files_that_still_have_a_copy():
    gone = [key for key in ONE_HELPER_ALLOWED
            if not (APP / key[0]).exists() or key[1] not in _copies(APP / key[0])]
    assert not gone, f"switched (or gone): take these off ONE_HELPER_ALLOWED: {gone}"


def test_word_tokenizers_live_in_core_tokens():
    patterns = {v.pattern for v in vars(tokens).values() if isinstance(v, re.Pattern)}
    bad = []
    for path in _outside_core():
        rel = path.relative_to(APP).as_posix()
        if rel in TOKENIZERS_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign):
                bad += [f"app/{rel}:{node.lineno} {t.id}" for t in node.targets
                        if isinstance(t, ast.Name) and TOKENIZER_NAME.search(t.id)]
            elif isinstance(node, ast.Constant) and node.value in patterns:
                bad.append(f"app/{rel}:{node.lineno} copies the pattern {node.value!r}")
    assert not bad, "tokenizers outside app/core/tokens.py:\n  " + "\n  ".join(bad)


def test_the_helper_checks_see_a_copy(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text('from urllib.parse import urlsplit\nday = fact.published[:10]\nbody.decode("cp1252")\n')
    assert _copies(sample) == set(ONE_HELPER)
