"""Take docs/screenshots/*.png: the real Earned window, on a virtual X display, with made-up workspaces.

Run it from the repository root:

    .venv/bin/python docs/screenshots.py

It writes, for a 1366x768 and a 1024x768 screen:
  compose-1366x768.png, compose-1024x768.png      a first touch being written: facts listed, a draft that cites
                                                  two of them, the checklist passing and Copy on
  follow-up-1366x768.png, follow-up-1024x768.png  a prospect contacted a week ago: the composer in follow-up mode
                                                  (Fwd: subject, the forwarded original, suggested facts)
  research-1366x768.png                           a prospect with facts of every kind and a note, one fact
                                                  selected, and a draft in progress with a misspelling ("recieve")

The Xvfb screen is the size in the name; the app sizes its own window (on a first start it fits itself to the
screen: about 92% x 90% of it, centred) and the picture is that window, cropped from the screen. With
--maximize the window is first stretched over the whole screen (as a rep's "maximise" would; Xvfb has no window
manager to do it), and the picture is the whole screen.

Options: --only NAME (repeatable; a shot "compose-1024x768" or a scene "compose"), --outdir DIR (default
docs/screenshots), --maximize, --settle SECONDS (minimum wait after the window appears, default 6: the status
bar shows the temporary workspace path for its first 5 seconds), --keep-workspace (keep and print the
temporary EARNED_HOME of each shot).

What it does, per shot:
  1. builds a fresh workspace in a temporary EARNED_HOME (fictional companies, .example addresses) and a
     settings.ini whose session/prospect selects the prospect to show; no window geometry is saved, so the
     app fits itself to the screen as on a first start;
  2. starts its own Xvfb at the shot's screen size (a free display number, picked by Xvfb itself) and
     launches the real app on it: `python -m app` with QT_QPA_PLATFORM=xcb;
  3. waits for the window, presses the shot's keys if it has any (xdotool), waits until the picture stops
     changing, grabs it with ImageMagick's `import` and writes the PNG (optipng, or ImageMagick -strip);
  4. closes the app with Ctrl+Q (xdotool) so it shuts down normally, SIGTERM if that does not work, then
     stops Xvfb and deletes the temporary workspace.

Debian/Ubuntu packages it needs (apt-get install -y ...):
  xvfb                 Xvfb, the virtual X server
  imagemagick          `import` (screen grab) and `compare` (wait until the picture is stable)
  x11-utils            `xwininfo` (find the window and its geometry)
  xdotool              keys (select a fact), --maximize, and quitting with Ctrl+Q
  fonts-dejavu-core    a font, or every label renders as boxes
  optipng              optional: smaller PNGs
Qt's xcb platform plugin also needs: libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0
  (if the app does not start, run again with QT_DEBUG_PLUGINS=1 in the environment to see what is missing).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUTDIR = REPO / "docs" / "screenshots"
WINDOW_TITLE = "Earned"

XCB_PACKAGES = (
    "libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 "
    "libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 fonts-dejavu-core"
)
REQUIRED_TOOLS = {  # program -> apt package
    "Xvfb": "xvfb",
    "import": "imagemagick",
    "compare": "imagemagick",
    "xwininfo": "x11-utils",
    "xdotool": "xdotool",
}


class ScreenshotError(Exception):
    pass


# -- 1. the workspaces ---------------------------------------------------------------------------------------

def days_ago(n: int) -> str:
    """Dates relative to the day the picture is taken, so its facts never look stale (unless meant to)."""
    return (date.today() - timedelta(days=n)).isoformat()


def sent_days_ago(n: int) -> datetime:
    return datetime.now().astimezone().replace(hour=9, minute=40, second=0, microsecond=0) - timedelta(days=n)


def _open(home: Path):
    sys.path.insert(0, str(REPO))
    from app.storage.database import open_store
    from app.storage.repo import WorkspaceRepo

    store = open_store(home / "earned.db")
    return store, WorkspaceRepo(store.conn)


def _select(home: Path, prospect_id: int) -> None:
    # session/prospect: the prospect the app reopens. No window/geometry: the app fits itself to the screen.
    (home / "settings.ini").write_text(f"[session]\nprospect={prospect_id}\n", encoding="utf-8")


def _base(repo) -> dict[str, int]:
    """The prospects every workspace has (a rep a week in): company -> id."""
    ids = {}
    for company, website, contact, role, status in (
        ("Alder & Finch Packaging", "https://alderfinch.example", "Tomás Reyes", "COO", "contacted"),
        ("Bluegill Marine Supply", "https://bluegillmarine.example", "Priya Natarajan", "Head of Fulfillment", "new"),
        ("Copperline Tooling", "https://copperline.example", "Sam Okoye", "Plant Manager", "new"),
        ("Kestrel Ridge Logistics", "https://kestrelridge.example", "Maya Lindqvist",
         "Director of Warehouse Operations", "researching"),
        ("Meridian Cold Chain", "https://meridiancold.example", "Hannah Brandt", "VP Supply Chain", "replied"),
    ):
        p = repo.add_prospect(company, website, contact, role)
        if status != "new":
            repo.set_status(p.id, status)
        ids[company] = p.id
    alder = ids["Alder & Finch Packaging"]
    f, _ = repo.add_fact(alder, "site", "Alder & Finch lists three distribution sites on its locations page.",
                         "https://alderfinch.example/locations", "Locations | Alder & Finch Packaging")
    repo.record_touch(alder, "first-touch", "Three sites, one schedule",
                      "Hi Tomás,\n\nYou run three distribution sites...\n\nBest,\nJordan", [f.id],
                      sent_at=sent_days_ago(1))
    return ids


def _kestrel_facts(repo, pid: int) -> dict[str, int]:
    joliet, _ = repo.add_fact(
        pid, "news",
        "Kestrel Ridge opened a 410,000 sq ft fulfillment center in Joliet, Illinois this month, adding about "
        "220 jobs.",
        "https://midwestfreight.example/2025/03/kestrel-ridge-joliet",
        "Kestrel Ridge opens Joliet fulfillment center - Midwest Freight Journal", days_ago(12),
    )
    hiring, _ = repo.add_fact(
        pid, "hiring",
        "The careers page lists 14 open shift-supervisor roles in Joliet and Columbus, most of them for second and "
        "third shift.",
        "https://kestrelridge.example/careers", "Careers | Kestrel Ridge Logistics",
    )
    repo.add_fact(
        pid, "feed",
        "Blog post 'Peak season 2024 in numbers': on-time outbound fell to 91% in November, against a 97% target.",
        "https://kestrelridge.example/blog/peak-2024-in-numbers",
        "Peak season 2024 in numbers - Kestrel Ridge blog", days_ago(55),
    )
    repo.add_fact(
        pid, "news",
        "CEO Aaron Whitfield told Supply Chain Weekly they plan to double e-commerce volume for mid-size retail "
        "clients by 2026.",
        "https://supplychainweekly.example/interviews/kestrel-ridge-whitfield",
        "Interview: Kestrel Ridge bets on mid-market e-commerce - Supply Chain Weekly", days_ago(70),
    )
    repo.add_fact(
        pid, "site", "Their sustainability page commits to cutting forklift idle hours by 25% by 2026.",
        "https://kestrelridge.example/sustainability", "Sustainability | Kestrel Ridge Logistics",
    )
    repo.add_note(pid, "Met Maya at ProMat 2025: she said overtime on the Joliet night shift is her biggest "
                       "headache right now.")
    return {"joliet": joliet.id, "hiring": hiring.id}


def build_compose(home: Path) -> int:
    """A first touch being written to Kestrel Ridge: six facts, a draft citing two, checklist passing."""
    store, repo = _open(home)
    from app.core.models import Draft

    try:
        with repo.transaction():
            ids = _base(repo)
            pid = ids["Kestrel Ridge Logistics"]
            f = _kestrel_facts(repo, pid)
            repo.save_draft(Draft(
                pid, "first-touch", "Joliet night shift",
                "Hi Maya,\n\n"
                f"Congratulations on your new Joliet fulfillment center [^{f['joliet']}]. Your careers page lists "
                f"14 open shift-supervisor roles, most of them on second and third shift [^{f['hiring']}]. That "
                "usually means your nights carry a lot of the load.\n\n"
                "We help 3PLs plan shifts that cut overtime without adding headcount. "
                "Would a 15-minute call next week be useful?\n\n"
                "Best,\nJordan",
            ))
    finally:
        store.conn.close()
    _select(home, pid)
    return pid


def build_follow_up(home: Path) -> int:
    """Copperline Tooling, a first touch sent a week ago and no reply: the app opens a follow-up, whose draft
    cites a fact the first email did not."""
    store, repo = _open(home)
    from app.core.models import Draft
    from app.core.outgoing import plain_message

    try:
        with repo.transaction():
            ids = _base(repo)
            _kestrel_facts(repo, ids["Kestrel Ridge Logistics"])
            pid = ids["Copperline Tooling"]
            press, _ = repo.add_fact(
                pid, "news",
                "Copperline Tooling installed a second 800-ton transfer press at its Dayton, Ohio plant, doubling "
                "stamping capacity for automotive brackets.",
                "https://ohiomanufacturing.example/2025/copperline-dayton-press",
                "Copperline adds second transfer press in Dayton - Ohio Manufacturing News", days_ago(20),
            )
            changeover, _ = repo.add_fact(
                pid, "site",
                "Their capabilities page says die changeovers on the Dayton line take 'under 90 minutes'.",
                "https://copperline.example/capabilities", "Capabilities | Copperline Tooling",
            )
            contract, _ = repo.add_fact(
                pid, "news",
                "Copperline won a three-year contract to supply seat-frame brackets to an EV maker, starting in "
                "the third quarter.",
                "https://stampingtoday.example/news/copperline-ev-contract",
                "Copperline lands EV seat-frame contract - Stamping Today", days_ago(4),
            )
            repo.add_fact(
                pid, "hiring",
                "Copperline is hiring four die setters and a maintenance planner for the Dayton plant.",
                "https://copperline.example/jobs", "Jobs | Copperline Tooling",
            )
            repo.add_note(pid, "Sam's LinkedIn: he posted about quick die change training for the night crew.")
            # As Copy logs it: the text the prospect got (app.core.outgoing), citation markers removed.
            repo.record_touch(
                pid, "first-touch", "Press line changeovers", plain_message(
                "Hi Sam,\n\n"
                f"Congratulations on the second transfer press in Dayton [^{press.id}]. Your capabilities page "
                f"promises die changeovers in under 90 minutes [^{changeover.id}]; with two presses sharing one "
                "crew, that window usually gets harder to hold.\n\n"
                "We help stamping plants schedule changeovers around crew shifts. Would a short call next week "
                "be useful?\n\nBest,\nJordan"),
                [press.id, changeover.id], sent_at=sent_days_ago(7),
            )
            repo.save_draft(Draft(
                pid, "follow-up", "",
                f"Saw that the EV seat-frame contract starts next quarter [^{contract.id}]. "
                "Is changeover time on the Dayton line a priority before then?",
            ))
    finally:
        store.conn.close()
    _select(home, pid)
    return pid


def build_research(home: Path) -> int:
    """Bluegill Marine Supply, freshly researched: facts of every kind (one pinned, one stale), a note, and a
    first touch just started, with a misspelling the spell check underlines."""
    store, repo = _open(home)
    from app.core.models import Draft

    try:
        with repo.transaction():
            ids = _base(repo)
            _kestrel_facts(repo, ids["Kestrel Ridge Logistics"])
            pid = ids["Bluegill Marine Supply"]
            repo.set_status(pid, "researching")
            season, _ = repo.add_fact(
                pid, "news",
                "Bluegill Marine Supply expects record spring orders and has moved its boating-season peak "
                "forward by three weeks, to early March.",
                "https://coastaltrade.example/2025/bluegill-spring-outlook",
                "Bluegill braces for an early boating season - Coastal Trade Review", days_ago(9),
            )
            repo.set_pinned(season.id, True)
            pickers, _ = repo.add_fact(
                pid, "hiring",
                "Eight seasonal pickers and a returns coordinator wanted at the Mobile, Alabama warehouse.",
                "https://bluegillmarine.example/careers", "Careers | Bluegill Marine Supply",
            )
            repo.add_fact(
                pid, "filing",
                "The annual report names 'order accuracy during peak' as a risk after a 2.1% mis-pick rate last "
                "spring.",
                "https://bluegillmarine.example/investors/annual-report-2024.pdf",
                "Annual Report 2024 | Bluegill Marine Supply", days_ago(120),
            )
            repo.add_fact(
                pid, "feed",
                "Blog: 'Why we ship same day, even in May' — every order placed by 3 pm leaves the building that "
                "day.",
                "https://bluegillmarine.example/blog/same-day-even-in-may",
                "Why we ship same day, even in May - Bluegill blog", days_ago(40),
            )
            repo.add_fact(
                pid, "site",
                "Bluegill stocks 18,000 parts for outboard motors and ships to 1,200 marinas on the Gulf Coast.",
                "https://bluegillmarine.example/about", "About us | Bluegill Marine Supply",
            )
            repo.add_fact(
                pid, "news",
                "Bluegill opened a second warehouse in Pensacola to shorten deliveries to Florida marinas.",
                "https://gulfbusiness.example/2023/bluegill-pensacola",
                "Bluegill Marine opens Pensacola warehouse - Gulf Business", days_ago(700),
            )
            repo.add_note(pid, "Priya spoke on a 3PL webinar: returns pile up for weeks after the spring rush.")
            repo.save_draft(Draft(
                pid, "first-touch", "Spring comes early",
                "Hi Priya,\n\n"
                f"With your peak moving to early March [^{season.id}], the Mobile team will recieve a lot of "
                f"orders. Your eight new seasonal pickers [^{pickers.id}] may not be up to speed by then.\n\n",
            ))
    finally:
        store.conn.close()
    _select(home, pid)
    return pid


@dataclass(frozen=True)
class Shot:
    scene: str
    screen: tuple[int, int]
    keys: tuple[str, ...] = ()  # xdotool key names, pressed once the window is up (a fact selected, ...)

    @property
    def name(self) -> str:
        return f"{self.scene}-{self.screen[0]}x{self.screen[1]}"


SCENES = {"compose": build_compose, "follow-up": build_follow_up, "research": build_research}
SELECT_FIRST_FACT = ("ctrl+2", "Home")  # Go > Facts, then the first card: Cite fact and the fact buttons come on
SHOTS = (
    Shot("compose", (1366, 768)),
    Shot("compose", (1024, 768)),
    Shot("follow-up", (1366, 768)),
    Shot("follow-up", (1024, 768)),
    Shot("research", (1366, 768), SELECT_FIRST_FACT),
)


# -- 2. the display and the app ------------------------------------------------------------------------------

def check_tools() -> None:
    missing = {tool: pkg for tool, pkg in REQUIRED_TOOLS.items() if shutil.which(tool) is None}
    if missing:
        pkgs = " ".join(sorted(set(missing.values())))
        raise ScreenshotError(
            f"missing {', '.join(missing)}. Install with:\n    apt-get install -y {pkgs}\n"
            "(ImageMagick's 'import' takes the screen grab; a stand-in 'convert' is not enough.)"
        )
    version = subprocess.run(["import", "-version"], capture_output=True, text=True).stdout
    if "ImageMagick" not in version:
        raise ScreenshotError("'import' on PATH is not ImageMagick's. Install with: apt-get install -y imagemagick")


def start_xvfb(width: int, height: int) -> tuple[subprocess.Popen, str]:
    """Start Xvfb on a display number it picks itself (-displayfd), return (process, ':N')."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp",
         "-dpi", "96", "-br"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    os.close(write_fd)
    deadline = time.monotonic() + 15
    data = b""
    with os.fdopen(read_fd, "rb") as pipe:
        os.set_blocking(pipe.fileno(), False)
        while not data.endswith(b"\n"):
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace")
                raise ScreenshotError(f"Xvfb exited at start (status {proc.returncode}):\n{err}")
            if time.monotonic() > deadline:
                proc.kill()
                raise ScreenshotError("Xvfb did not report a display within 15 s.")
            chunk = pipe.read()
            if chunk:
                data += chunk
            else:
                time.sleep(0.05)
    return proc, ":" + data.decode().strip()


def app_env(home: Path, display: str, runtime: Path) -> dict[str, str]:
    env = dict(os.environ)
    for var in ("WAYLAND_DISPLAY", "QT_SCALE_FACTOR", "QT_SCREEN_SCALE_FACTORS", "QT_STYLE_OVERRIDE"):
        env.pop(var, None)
    env.update({
        "EARNED_HOME": str(home),
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "XDG_RUNTIME_DIR": str(runtime),
        "QT_AUTO_SCREEN_SCALE_FACTOR": "0",
        "LANG": env.get("LANG") or "C.UTF-8",
    })
    return env


def find_window(display: str) -> dict[str, int] | None:
    """Geometry of the mapped top-level window titled 'Earned', or None while it is not up."""
    env = dict(os.environ, DISPLAY=display)
    out = subprocess.run(["xwininfo", "-root", "-children"], capture_output=True, text=True, env=env).stdout
    for m in re.finditer(r"^\s+(0x[0-9a-f]+) \"([^\"]*)\"", out, re.MULTILINE):
        if m.group(2) != WINDOW_TITLE:
            continue
        info = subprocess.run(["xwininfo", "-id", m.group(1)], capture_output=True, text=True, env=env).stdout
        if "IsViewable" not in info:
            continue
        fields = dict(re.findall(r"^\s+(Absolute upper-left X|Absolute upper-left Y|Width|Height):\s+(-?\d+)",
                                 info, re.MULTILINE))
        return {"id": int(m.group(1), 16), "x": int(fields["Absolute upper-left X"]),
                "y": int(fields["Absolute upper-left Y"]), "w": int(fields["Width"]), "h": int(fields["Height"])}
    return None


def xdotool(display: str, *args: str) -> None:
    subprocess.run(["xdotool", *args], env=dict(os.environ, DISPLAY=display), capture_output=True, timeout=10)


def grab(display: str, box: dict[str, int], out: Path) -> None:
    env = dict(os.environ, DISPLAY=display)
    crop = f"{box['w']}x{box['h']}+{max(0, box['x'])}+{max(0, box['y'])}"
    r = subprocess.run(["import", "-silent", "-window", "root", "-crop", crop, "+repage", str(out)],
                       capture_output=True, text=True, env=env)
    if r.returncode != 0 or not out.exists():
        raise ScreenshotError(f"import failed (status {r.returncode}): {r.stderr.strip()}")


def pixels_differ(a: Path, b: Path) -> int:
    r = subprocess.run(["compare", "-metric", "AE", str(a), str(b), "null:"], capture_output=True, text=True)
    try:
        return int(float(r.stderr.strip().split()[0]))
    except (ValueError, IndexError):
        return 10**9  # different sizes, or compare failed: treat as changed


def colours(path: Path) -> int:
    r = subprocess.run(["identify", "-format", "%k", str(path)], capture_output=True, text=True)
    return int(r.stdout.strip() or 0)


def wait_for_window(app: subprocess.Popen, display: str, timeout: float) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.poll() is not None:
            raise ScreenshotError(app_failed(app))
        win = find_window(display)
        if win:
            return win
        time.sleep(0.2)
    raise ScreenshotError(f"no window titled {WINDOW_TITLE!r} appeared within {timeout:.0f} s.")


def app_failed(app: subprocess.Popen) -> str:
    err = app.stderr.read().decode(errors="replace") if app.stderr else ""
    return (
        f"the app exited before showing its window (status {app.returncode}).\n{err.strip()}\n"
        "If Qt says it could not load the 'xcb' platform plugin, install its libraries:\n"
        f"    apt-get install -y {XCB_PACKAGES}\n"
        "and run again with QT_DEBUG_PLUGINS=1 to see which one is missing."
    )


def settle_and_grab(app, display: str, work: Path, whole_screen: tuple[int, int] | None,
                    timeout: float = 15.0) -> tuple[Path, dict[str, int]]:
    """Grab until two shots in a row match (a blinking caret aside): the prospect, facts and draft are in."""
    previous = None
    deadline = time.monotonic() + timeout
    n = 0
    while True:
        if app.poll() is not None:
            raise ScreenshotError(app_failed(app))
        win = find_window(display)
        if win is None:
            raise ScreenshotError("the window went away before it could be captured.")
        box = win if whole_screen is None else {"x": 0, "y": 0, "w": whole_screen[0], "h": whole_screen[1]}
        shot = work / f"shot{n}.png"
        grab(display, box, shot)
        if previous is not None and pixels_differ(previous, shot) < 400:
            break
        if time.monotonic() > deadline:
            print("note: the window kept changing; keeping the last capture.")
            break
        previous, n = shot, n + 1
        time.sleep(0.6)
    if colours(shot) < 8:
        raise ScreenshotError(f"the capture looks blank ({colours(shot)} colours); see {shot}.")
    return shot, box


def save_png(shot: Path, out: Path) -> None:
    """Smallest lossless PNG of the real pixels: optipng if there is one, else ImageMagick's -strip."""
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["convert", str(shot), "-strip", str(out)], check=True, capture_output=True)
    if shutil.which("optipng"):
        subprocess.run(["optipng", "-quiet", "-o2", "-strip", "all", str(out)], capture_output=True)


def stop_app(app: subprocess.Popen, display: str) -> None:
    if app.poll() is not None:
        return
    win = find_window(display)
    if win:
        xdotool(display, "windowfocus", "--sync", str(win["id"]), "key", "--clearmodifiers", "Escape", "ctrl+q")
        try:
            app.wait(timeout=8)
            return
        except subprocess.TimeoutExpired:
            print("note: Ctrl+Q did not close the app; sending SIGTERM.")
    app.send_signal(signal.SIGTERM)
    try:
        app.wait(timeout=8)
    except subprocess.TimeoutExpired:
        app.kill()
        app.wait()


def take(shot: Shot, outdir: Path, settle: float, maximize: bool, keep: bool) -> Path:
    """One PNG: a fresh workspace, a fresh Xvfb of the shot's screen size, the real app."""
    width, height = shot.screen
    home = Path(tempfile.mkdtemp(prefix=f"earned-{shot.name}-"))
    work, runtime = home / "_capture", home / "_runtime"
    for d in (work, runtime):
        d.mkdir(mode=0o700)
    xvfb = app = None
    display = ""
    try:
        SCENES[shot.scene](home)
        xvfb, display = start_xvfb(width, height)
        app = subprocess.Popen(
            [sys.executable, "-m", "app"], cwd=REPO, env=app_env(home, display, runtime),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        win = wait_for_window(app, display, timeout=30)
        if maximize:
            xdotool(display, "windowmove", "--sync", str(win["id"]), "0", "0")
            xdotool(display, "windowsize", "--sync", str(win["id"]), str(width), str(height))
        time.sleep(settle)
        if shot.keys:
            xdotool(display, "windowfocus", "--sync", str(win["id"]))
            for key in shot.keys:
                xdotool(display, "key", "--clearmodifiers", key)
                time.sleep(0.3)
        picture, box = settle_and_grab(app, display, work, (width, height) if maximize else None)
        out = outdir / f"{shot.name}.png"
        save_png(picture, out)
        print(f"wrote {out.relative_to(REPO) if out.is_relative_to(REPO) else out} "
              f"({box['w']}x{box['h']}, {out.stat().st_size // 1024} KB; screen {width}x{height})")
        return out
    finally:
        if app is not None:
            stop_app(app, display)
            if app.returncode not in (0, None):
                err = app.stderr.read().decode(errors="replace").strip() if app.stderr else ""
                if err:
                    print(f"app stderr:\n{err}", file=sys.stderr)
        if xvfb is not None:
            xvfb.terminate()
            try:
                xvfb.wait(timeout=5)
            except subprocess.TimeoutExpired:
                xvfb.kill()
        if keep:
            print(f"kept workspace: {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)


# -- main ----------------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Take docs/screenshots/*.png of the real Earned window under Xvfb.")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="a shot (compose-1024x768) or a scene (compose); repeatable")
    parser.add_argument("--outdir", type=Path, default=DEFAULT_OUTDIR)
    parser.add_argument("--maximize", action="store_true",
                        help="stretch the window over the whole screen before the picture")
    parser.add_argument("--settle", type=float, default=6.0,
                        help="seconds to wait after the window appears (default 6: the status bar shows the "
                             "temporary workspace path for 5 s after opening)")
    parser.add_argument("--keep-workspace", action="store_true")
    args = parser.parse_args(argv)
    shots = [s for s in SHOTS if not args.only or s.name in args.only or s.scene in args.only]
    if not shots:
        parser.error(f"--only matches no shot; the shots are: {', '.join(s.name for s in SHOTS)}")
    outdir = args.outdir if args.outdir.is_absolute() else Path.cwd() / args.outdir

    try:
        check_tools()
        for shot in shots:
            take(shot, outdir, args.settle, args.maximize, args.keep_workspace)
    except ScreenshotError as e:
        print(f"screenshots: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
