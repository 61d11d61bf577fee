"""Startup benchmark: `python -m app --quit-after-startup` against a bare PySide6 window.

Builds a workspace of 1,000 prospects and 20,000 facts in a temp folder, then times the
whole process (spawn to exit) of, interleaved A, B, A, B ...:

  A  the app: `python -m app --quit-after-startup` with EARNED_HOME set to that workspace;
  B  a baseline: import PySide6, create a QApplication, show an empty QMainWindow, quit on the
     first idle.

Run from the repo root:  .venv/bin/python benchmarks/startup.py [--runs N] [--no-bytecode-cache]

Both children run with bytecode caching on, in a temp PYTHONPYCACHEPREFIX (nothing is written
into the repo), as an installed app would have its .pyc files: if the calling environment sets
PYTHONDONTWRITEBYTECODE=1, every launch would otherwise compile the app's sources again, which
only A pays. --no-bytecode-cache keeps the inherited environment as it is.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PROSPECTS = 1_000
FACTS = 20_000

BASELINE_SCRIPT = """\
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
"""

# Pieces for facts that read like what research turns up, varied so no two are the same text.
_SUBJECTS = ["The company", "Their operations team", "The CFO", "Leadership", "The logistics group",
             "A regional office", "The head of procurement", "Their engineering team"]
_VERBS = ["announced", "opened", "is hiring for", "expanded", "signed a contract for", "cut costs on",
          "launched", "is evaluating vendors for"]
_OBJECTS = ["a new distribution site", "a customer portal", "three warehouse roles", "its fleet",
            "a multi-year freight deal", "cloud hosting", "an ERP migration", "same-day delivery"]
_WHERE = ["in Rotterdam", "near Chicago", "in the Midlands", "outside Lyon", "in Austin", "in Gdansk",
          "across the Nordics", "in Ontario"]


def fact_text(n: int) -> str:
    return (f"{_SUBJECTS[n % 8]} {_VERBS[(n // 8) % 8]} {_OBJECTS[(n // 64) % 8]} {_WHERE[(n // 512) % 8]}"
            f" (item {n}); about {(n * 37) % 400 + 12} staff are involved, per the {2019 + n % 7} report.")


def build_workspace(home: Path) -> None:
    from app.storage.database import open_store
    from app.storage.repo import WorkspaceRepo

    home.mkdir(parents=True, exist_ok=True)
    store = open_store(home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    with repo.transaction():
        ids = [repo.add_prospect(f"Company {i}", f"company{i}.example").id for i in range(PROSPECTS)]
        for n in range(FACTS):
            repo.add_fact(ids[n % PROSPECTS], "site", fact_text(n))
    store.conn.close()


def time_run(cmd: list[str], env: dict) -> float:
    """Wall time in ms of one whole process; fails loudly on a non-zero exit."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = (time.perf_counter() - start) * 1000
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr.decode(errors='replace')}")
    return elapsed


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    rank = max(1, -(-95 * len(ordered) // 100))  # ceil(0.95 * n)
    return ordered[rank - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each (default 15)")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="keep the inherited PYTHONDONTWRITEBYTECODE / PYTHONPYCACHEPREFIX as they are")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    import PySide6

    with tempfile.TemporaryDirectory(prefix="earned-bench-") as tmp:
        home = Path(tmp) / "workspace"
        start = time.perf_counter()
        build_workspace(home)
        print(f"Built workspace ({PROSPECTS:,} prospects, {FACTS:,} facts) in {time.perf_counter() - start:.1f} s")

        env = dict(os.environ, EARNED_HOME=str(home), QT_QPA_PLATFORM="offscreen")
        if args.no_bytecode_cache:
            bytecode = "as inherited (PYTHONDONTWRITEBYTECODE=%s)" % env.get("PYTHONDONTWRITEBYTECODE", "unset")
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
            bytecode = "cached (.pyc written by the warm-up to a temp prefix)"
        app_cmd = [sys.executable, "-m", "app", "--quit-after-startup"]
        base_cmd = [sys.executable, "-c", BASELINE_SCRIPT]

        time_run(app_cmd, env)  # warm-ups, not counted: disk cache, .pyc files, settings.ini
        time_run(base_cmd, env)
        app_ms: list[float] = []
        base_ms: list[float] = []
        for _ in range(args.runs):
            app_ms.append(time_run(app_cmd, env))
            base_ms.append(time_run(base_cmd, env))

    app_median, base_median = statistics.median(app_ms), statistics.median(base_ms)
    print()
    print(f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, "
          f"{os.cpu_count()} CPUs, QT_QPA_PLATFORM=offscreen, {args.runs} runs each (interleaved)")
    print(f"Bytecode: {bytecode}")
    print()
    print(f"{'':<34}{'median ms':>10}{'p95 ms':>10}")
    print(f"{'A  app --quit-after-startup':<34}{app_median:>10.0f}{p95(app_ms):>10.0f}")
    print(f"{'B  bare QApplication+QMainWindow':<34}{base_median:>10.0f}{p95(base_ms):>10.0f}")
    print()
    print(f"Ratio of medians A/B: {app_median / base_median:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
