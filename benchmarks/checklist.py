"""Checklist benchmark: the rule engine's speed, against proselint, and the cost of a keystroke.

Three parts, in one run:

  1. `app.compose.check_text` on three drafts: a 125-word first touch, a 40-word follow-up
     (with the previous message it forwards) and a 1,250-word first touch. Median and p95 per
     call over many calls.
  2. proselint 0.16 (a benchmark-only dependency: `pip install -e '.[bench]'`) on the same
     drafts, timed the same way, for a like-for-like ratio.
  3. The composer as the rep uses it: a real ComposerPane, shown offscreen, with the first two
     thirds of the 125-word email in the body; the last third is typed one key at a time. Each
     keystroke is timed end to end: the key event (which synchronously re-checks the whole
     draft, updates the checklist and re-applies the underlines when they changed) plus
     `processEvents()`, so the repaint is included.

Every timed call gets a fresh string object, built outside the timed region from a template with
a `{n}` placeholder, so nothing keyed on the text can hide the cost. The `previous` message of
the follow-up and the facts stay the same objects across calls, as they do while a rep types.

Run from the repo root:  .venv/bin/python benchmarks/checklist.py [--quick]
(--quick cuts the call counts by 10x; the keystroke part always types the whole last third.)
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before PySide6 is imported, here or by app.*

from app.compose import check_text  # noqa: E402
from app.compose.rulepack import default_pack  # noqa: E402

COMPANY = "Harbor & Pine Freight"
CONTACT = "Dana Okafor"
TODAY = date(2026, 11, 22)  # the date the TOML examples are checked with
SHORT_CALLS, LONG_CALLS = 2000, 300

# Targets from the issue.
TARGET_SHORT_MS = 0.3  # check_text median, 125-word email
TARGET_LONG_MS = 3.0  # check_text median, 1,250-word text
TARGET_RATIO = 5.0  # proselint median / check_text median, on each text
TARGET_KEY_P95_MS = 2.0  # per keystroke in the composer, p95

# -- the drafts ------------------------------------------------------------------------------
# `{n}` is replaced by the call's number: every call checks a new string. Everything is ASCII so
# the composer part can type it with QTest.keyClicks. The last third of the first touch says
# "just checking in", which the engine fails (no-entitlement): the composer then has a finding
# with a span to underline while the rep types.

FIRST_TOUCH = """Subject: Reno check-ins

Hi Dana,

Congrats on opening the second cross-dock in Reno [^1]. With 12 dock supervisor roles open there [^2], \
late carrier check-ins can quietly eat overtime: you mentioned about 40 hours a month [^3].

A yard near Sparks had the same problem last spring. Their drivers now check in from the cab before they \
reach the gate, so the dock knows who is coming and which door is free. Over {n} loads, the wait at the \
gate fell by half, and the night shift stopped running late.

Would a two-minute video of how that works be useful for your Reno team? If not, no reply needed: I would \
rather send one useful note than keep just checking in.

Best,
Jordan Lee
Account Executive, Dockly
+1 (555) 010-2030"""

PREVIOUS = """Hi Dana,

Congrats on opening the second cross-dock in Reno [^1]. Late carrier check-ins can quietly eat overtime on \
a new dock. Would a two-minute video of how drivers check in from the cab be useful?

Best,
Jordan"""

FOLLOW_UP = """Saw that your careers page still lists 12 dock supervisor roles in Reno [^2]. New supervisors tend \
to inherit the check-in backlog first, and a yard moving {n} loads a week feels it fast. What would be a \
good next step?

---------- Forwarded message ---------
From: Jordan Lee <jordan@dockly.example>

""" + PREVIOUS

LONG_PARAGRAPHS = [
    "Congrats on opening the second cross-dock in Reno, and on the 120 jobs it adds to the region [^1]. A new "
    "building is a rare chance to set up the yard the way you want it before habits harden. Most of the docks "
    "we talk to only get that chance once a decade, and they usually spend it on racking, doors and lighting. "
    "The gate process tends to be copied from the old site, paper clipboard and all, because nobody has time "
    "to rethink it while trucks are already lining up on the access road. That is the part I want to write "
    "about, because it is where the overtime hides and where a small change early on saves a lot of pain "
    "later in the year.",

    "Your careers page lists 12 open dock supervisor roles in Reno [^2], which tells me the site is growing "
    "faster than the team that runs it. New supervisors usually inherit the check-in desk on their first day. "
    "They learn which carriers call ahead, which ones show up two hours early, and which ones never send the "
    "trailer number until the driver is at the window. That knowledge lives in people's heads, so every new "
    "hire starts from zero. When twelve people start at once, the gate becomes the place where the learning "
    "curve shows up as waiting trucks, angry drivers and doors that sit empty while the paperwork catches up "
    "with the freight. The supervisors are not the problem here. The process asks them to remember things a "
    "screen could show them, and it asks them to do it while the phone rings and the radio crackles.",

    "On a podcast you said late carrier check-ins cost the Reno dock about 40 hours of overtime a month [^3]. "
    "That number stuck with me. Forty hours is a full week of one supervisor's time, every month, spent "
    "waiting for information that the carrier already had when the truck left the previous stop. It is also "
    "a number that tends to grow with volume rather than shrink, since each extra door adds another queue "
    "that someone has to manage by hand. If the second building doubles the doors, it is fair to ask whether "
    "it doubles that overtime too, or whether the new site can start with a better habit from the first "
    "week. My guess is that the answer depends less on the building and more on when the carrier tells you "
    "what is on the truck.",

    "Here is what one yard near Sparks did about it last spring. They asked carriers to check in from the "
    "cab, on a phone, about thirty minutes before arrival. The driver enters the load number, the trailer "
    "number and a photo of the seal. The dock sees the truck coming, assigns a door before it reaches the "
    "gate, and prints nothing. The gate guard only checks that the face matches the photo on file. Nothing "
    "else about the yard changed: same building, same carriers, same people. The only difference was that "
    "the information arrived half an hour earlier and in a form the dock office could act on without "
    "retyping it.",

    "The results were plain. Over {n} loads in the first quarter, the average wait at the gate fell from "
    "forty minutes to under fifteen. Overtime on the night shift dropped by a little more than half, mostly "
    "because the last trucks of the day stopped arriving as a surprise. Detention charges, which the yard had "
    "treated as a fact of life, fell enough that the finance team noticed before operations did. None of "
    "this needed new hardware. The guard shack kept its old printer for the carriers who refused to use the "
    "phone, and after two months almost nobody did. The guard told us later that the best part was the "
    "quiet: fewer drivers leaning on the window, fewer calls to the office, and fewer arguments about who "
    "was first in line.",

    "Your freight partnership with Cascadia Rail [^4] adds a twist that the Sparks yard did not have. Rail "
    "arrivals come in bunches, so a late train can push a dozen containers onto the road at once. When that "
    "happens, the gate sees a wave instead of a trickle, and the check-in desk is the first thing to break. "
    "A check-in that starts before the truck arrives lets the dock spread that wave across doors and shifts "
    "instead of absorbing it at the gate. I do not know how much of your Reno volume comes from rail today, "
    "so this part may matter less to you than it did to them.",

    "There are a few things that tend to go wrong, and you should hear them from me rather than find them "
    "later. Some carriers will not install anything, so a text message link has to work as well as an app. "
    "Drivers who share a phone between trucks need a way to switch loads without calling the office. Your "
    "yard management system, if you have one, will want the arrival data in its own format, which usually "
    "means an afternoon of setup with whoever owns that system. And the first week is always messy, because "
    "supervisors have to trust the screen instead of the clipboard they have used for years. We usually plan "
    "for a slow first week, a better second one, and a normal third. It helps to pick one shift and one "
    "group of carriers to start with, so the rest of the dock keeps running the old way until the new one "
    "has earned some trust.",

    "I also want to be honest about where this does not help. If most of your late arrivals come from "
    "traffic on the interstate rather than from paperwork at the gate, earlier check-ins will only tell you "
    "sooner that a truck is late. They will not make it early. In that case the value is in planning the "
    "doors and the shift, not in shortening the wait, and the savings are smaller. From what you said about "
    "the overtime being caused by late check-ins rather than late trucks, I think most of your hours are the "
    "fixable kind, but you know your dock far better than I do. A simple way to tell is to count, for one "
    "week, how many trucks were on time at the road but late at the door.",

    "If you want to see what this looks like before anyone commits to anything, there are two easy ways. The "
    "first is a two-minute video that follows one truck from the carrier's phone to the door, with the "
    "screens your supervisors would see. The second is a short call with the operations lead at the Sparks "
    "yard, who is happy to talk shop with other dock managers and will tell you what she would do "
    "differently. Either one takes less time than a single late truck at the gate, and neither one needs "
    "your team to change anything yet. I would send the video today.",

    "Would the video be useful for your Reno team, or is the gate not where the hours go? Either answer "
    "helps, and a one-line reply is plenty. If the timing is wrong because the new building is still "
    "settling in, tell me when would be better and I will write again then with something new rather than "
    "the same note. Thank you for reading this far, since I know it is longer than most of what lands in "
    "your inbox.",
]

LONG_FIRST_TOUCH = ("Subject: Reno cross-dock check-ins\n\nHi Dana,\n\n" + "\n\n".join(LONG_PARAGRAPHS)
                    + "\n\nBest,\nJordan Lee\nAccount Executive, Dockly\n+1 (555) 010-2030")

# (label, template, kind, previous, calls)
CASES = [
    ("first touch", FIRST_TOUCH, "first-touch", None, SHORT_CALLS),
    ("follow-up", FOLLOW_UP, "follow-up", PREVIOUS, SHORT_CALLS),
    ("long first touch", LONG_FIRST_TOUCH, "first-touch", None, LONG_CALLS),
]


# -- helpers ---------------------------------------------------------------------------------
def fresh_texts(template: str, count: int, base: int = 0) -> list[str]:
    """count distinct new string objects from template: one per timed call."""
    assert "{n}" in template
    return [template.replace("{n}", str(base + i)) for i in range(count)]


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


def summary(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), p95(samples)


def time_each(fn, texts: list[str]) -> list[float]:
    """ms per call of fn(text), one fresh text per call."""
    clock = time.perf_counter
    out = []
    for text in texts:
        start = clock()
        fn(text)
        out.append((clock() - start) * 1000)
    return out


def load_proselint():
    """proselint's per-text lint function, or None (with a clear message) when it is not installed."""
    try:
        from proselint.checks import __register__
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile
        from proselint.version import __version__
    except ImportError as exc:
        print(f"proselint is not importable ({exc}): its columns are left out.\n"
              "Install the benchmark extra into the venv:  .venv/bin/pip install -e '.[bench]'"
              "  (or: .venv/bin/pip install 'proselint>=0.16')\n")
        return None, None
    CheckRegistry().register_many(__register__)
    return (lambda text: LintFile("<bench>", text).lint()), __version__


# -- part 3: the composer --------------------------------------------------------------------
def composer_for(facts: list[dict], home: Path, qapp):
    """A real ComposerPane on a real ProspectSession: a temporary workspace with the prospect and the
    example facts (saved in order, so they get ids 1, 2, 3 as the drafts cite them), selected and loaded."""
    from app.services.workspace_service import WorkspaceService
    from app.storage.database import open_store
    from app.storage.repo import WorkspaceRepo
    from app.ui.composer_pane import ComposerPane
    from app.ui.session import ProspectSession

    store = open_store(home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    prospect = repo.add_prospect(COMPANY, "harborpine.example", CONTACT)
    for d in facts:
        fact, _ = repo.add_fact(prospect.id, d["kind"], d["text"], d.get("source_url", ""), d.get("source_title", ""),
                                d.get("published") or None)
        assert fact.id == d["id"], "the drafts cite the example facts by their ids"
    store.conn.close()
    service = WorkspaceService(home / "earned.db", seed_demo=False)
    opened = []
    service.open().success(opened.append)
    while not opened:
        qapp.processEvents()
    session = ProspectSession(service)
    session.select(prospect.id)
    while not session.is_loaded:
        qapp.processEvents()
    return ComposerPane(session), service


def keystrokes(facts: list[dict], spelling: bool) -> dict:
    import tempfile

    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import Qt, qInstallMessageHandler
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import app.ui.composer_pane as composer_pane

    def qt_messages(mode, context, message):  # the offscreen plugin says this for every window
        if "does not support propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(qt_messages)
    qapp = QApplication.instance() or QApplication([sys.argv[0]])
    draft = FIRST_TOUCH.replace("{n}", "480")
    head, body = draft.split("\n\n", 1)
    subject = head.removeprefix("Subject: ")
    cut = body.rfind(" ", 0, len(body) * 2 // 3)  # two thirds, at a word boundary
    preset, typed = body[:cut], body[cut:]
    assert typed.isascii(), "QTest.keyClicks types ASCII only"

    home = Path(tempfile.mkdtemp(prefix="earned-bench-"))
    pane, service = composer_for(facts, home, qapp)
    if spelling:  # the shared dictionary, loaded as the window loads it (off the UI thread there)
        from app.compose.spelling import default_speller

        pane.body.highlighter.set_speller(default_speller())
    pane.resize(900, 700)
    pane.show()
    QTest.qWaitForWindowExposed(pane)
    pane.subject.setText(subject)
    pane.body.setPlainText(preset)
    cursor = pane.body.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    pane.body.setTextCursor(cursor)
    pane.body.setFocus()
    for _ in range(3):  # the first layout and paint are not a keystroke's cost
        qapp.processEvents()

    # Instrumentation (benchmark process only): how much of a keystroke is the rule engine, and how
    # often the underlines were re-applied. Two perf_counter calls per keystroke: negligible.
    engine_ms: list[float] = []
    applied = [0]

    def timed_check(*args, **kwargs):
        start = time.perf_counter()
        result = check_text(*args, **kwargs)
        engine_ms.append((time.perf_counter() - start) * 1000)
        return result

    real_set_extra = pane.body.setExtraSelections

    def counted_set_extra(selections):
        applied[0] += 1
        real_set_extra(selections)

    composer_pane.check_text = timed_check
    pane.body.setExtraSelections = counted_set_extra
    clock = time.perf_counter
    samples = []
    try:
        for ch in typed:
            start = clock()
            if ch == "\n":
                QTest.keyClick(pane.body, Qt.Key.Key_Return)
            else:
                QTest.keyClicks(pane.body, ch)
            qapp.processEvents()
            samples.append((clock() - start) * 1000)
    finally:
        composer_pane.check_text = check_text
        del pane.body.setExtraSelections

    final = pane.body.toPlainText()
    rules = pane.result.rules
    misspelled = sum(1 for i in range(pane.body.document().blockCount())
                     for r in pane.body.document().findBlockByNumber(i).layout().formats()
                     if r.format.underlineStyle() == r.format.UnderlineStyle.SpellCheckUnderline)
    out = {
        "samples": samples,
        "engine": engine_ms,
        "applied": applied[0],
        "typed": len(typed),
        "preset_chars": len(preset),
        "ok": final == body,
        "rules": [(r.id, r.status, len(r.spans)) for r in rules],
        "underlines": len(pane.body.extraSelections()),
        "misspelled": misspelled,
        "pyside": pyside_version,
    }
    pane.session.flush()
    pane.close()
    service.close()
    return out


# -- main ------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10x fewer calls (a smoke run, noisier)")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    facts = default_pack().example_defaults["facts"]

    def engine(kind, previous):
        return lambda text: check_text(text, kind, facts, previous=previous, company=COMPANY, today=TODAY)

    # Warm-up: loads and compiles the rule pack (and fills the caches of fixed inputs: the
    # previous message's words, the facts' words), as the composer does once per session.
    for _, template, kind, previous, _ in CASES:
        engine(kind, previous)(template.replace("{n}", "0"))
    lint, proselint_version = load_proselint()
    if lint:
        for _, template, *_ in CASES:
            lint(template.replace("{n}", "0"))

    rows = []
    for label, template, kind, previous, calls in CASES:
        calls //= scale
        check = engine(kind, previous)
        words = check(template.replace("{n}", "0"))["words"]
        c_med, c_p95 = summary(time_each(check, fresh_texts(template, calls, base=1)))
        p_med = p_p95 = None
        if lint:
            p_med, p_p95 = summary(time_each(lint, fresh_texts(template, calls, base=calls + 1)))
        rows.append((label, kind, words, calls, c_med, c_p95, p_med, p_p95))

    plain = keystrokes(facts, spelling=False)
    keys = keystrokes(facts, spelling=True)
    k_med, k_p95 = summary(keys["samples"])
    e_med, e_p95 = summary(keys["engine"])
    n_med, n_p95 = summary(plain["samples"])

    print(f"Python {platform.python_version()}, PySide6 {keys['pyside']}, {os.cpu_count()} CPUs, "
          f"QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}"
          + (f", proselint {proselint_version}" if lint else ", proselint not installed"))
    print(f"Calls per text: {SHORT_CALLS // scale} (short), {LONG_CALLS // scale} (long)"
          f"{' [--quick]' if args.quick else ''}; a fresh string per call; times in ms per call\n")
    print(f"{'':18} {'':11} {'':>5}   {'check_text':>15}   {'proselint':>15}   {'ratio':>7}")
    print(f"{'text':18} {'kind':11} {'words':>5}   {'median':>7} {'p95':>7}   {'median':>7} {'p95':>7}   "
          f"{'med p/c':>7}")
    for label, kind, words, calls, c_med, c_p95, p_med, p_p95 in rows:
        prose = f"{p_med:7.2f} {p_p95:7.2f}   {p_med / c_med:6.1f}x" if lint else f"{'-':>7} {'-':>7}   {'-':>7}"
        print(f"{label:18} {kind:11} {words:5d}   {c_med:7.3f} {c_p95:7.3f}   {prose}")

    print(f"\nComposer, per keystroke ({keys['typed']} keys typed after {keys['preset_chars']} preset characters; "
          f"key event + processEvents):")
    print(f"  end to end      median {k_med:6.3f}   p95 {k_p95:6.3f}   max {max(keys['samples']):6.3f}"
          f"   (spell check on; {keys['misspelled']} misspelling(s) underlined at the end)")
    print(f"  spell check off median {n_med:6.3f}   p95 {n_p95:6.3f}   max {max(plain['samples']):6.3f}"
          f"   (same keys, same run: spelling costs {k_med - n_med:+.3f} ms at the median)")
    print(f"  of which check_text     median {e_med:6.3f}   p95 {e_p95:6.3f}   ({len(keys['engine'])} calls: "
          "Return on an empty line re-checks twice)")
    print(f"  underlines re-applied (setExtraSelections) on {keys['applied']} of {keys['typed']} keys")
    print(f"  final body equals the intended body: {'yes' if keys['ok'] else 'NO'}; "
          f"{keys['underlines']} underline(s) shown")
    print("  final checklist: " + ", ".join(
        f"{rid} {status}" + (f" ({n} span{'s' * (n != 1)})" if n else "") for rid, status, n in keys["rules"]))

    short, _, long_ = rows
    verdicts = [
        (f"check_text median <= {TARGET_SHORT_MS} ms, 125-word email", f"{short[4]:.3f} ms",
         short[4] <= TARGET_SHORT_MS),
        (f"check_text median <= {TARGET_LONG_MS:.0f} ms, 1,250-word text", f"{long_[4]:.3f} ms",
         long_[4] <= TARGET_LONG_MS),
    ]
    for label, _, _, _, c_med, _, p_med, _ in rows:
        verdicts.append((f">= {TARGET_RATIO:.0f}x faster than proselint, {label}",
                         f"{p_med / c_med:.1f}x" if lint else "n/a", bool(lint) and p_med / c_med >= TARGET_RATIO))
    verdicts.append((f"keystroke p95 <= {TARGET_KEY_P95_MS:.0f} ms, spell check on", f"{k_p95:.3f} ms",
                     k_p95 <= TARGET_KEY_P95_MS))
    print("\nTargets:")
    for label, value, ok in verdicts:
        print(f"  {'PASS' if ok else 'MISS'}  {label:47} {value}")
    return 0 if keys["ok"] and plain["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
