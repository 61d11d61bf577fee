"""Take docs/screenshot.png: the real Earned main window, on a virtual X display, with a made-up workspace.

Run it from the repository root:

    .venv/bin/python docs/screenshot.py

Options: --output PATH (default docs/screenshot.png), --size WxH (window size, default 1200x760),
--settle SECONDS (minimum wait after the window appears, default 6: the status bar shows the temporary
workspace path for the first 5 seconds), --keep-workspace (print and keep the
temporary EARNED_HOME instead of deleting it).

What it does:
  1. builds a fresh workspace in a temporary EARNED_HOME (fictional prospects, research facts, a saved draft
     that cites two facts, so the checklist passes and Copy is on), plus a settings.ini that selects that
     prospect and sets the window size;
  2. starts its own Xvfb (a free display number, picked by Xvfb itself) and launches the real app on it:
     `python -m app` with QT_QPA_PLATFORM=xcb;
  3. waits until the window is mapped and the picture stops changing, grabs the screen with ImageMagick's
     `import`, crops it to the window and writes the PNG;
  4. closes the app with Ctrl+Q (xdotool) so it shuts down normally, SIGTERM if that does not work, then
     stops Xvfb and deletes the temporary workspace.

Debian/Ubuntu packages it needs (apt-get install -y ...):
  xvfb                 Xvfb, the virtual X server
  imagemagick          `import` (screen grab) and `compare` (wait until the picture is stable)
  x11-utils            `xwininfo` (find the window and its geometry)
  xdotool              optional: quit the app with Ctrl+Q instead of SIGTERM
  fonts-dejavu-core    a font, or every label renders as boxes
Qt's xcb platform plugin also needs: libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0
  (if the app does not start, run again with QT_DEBUG_PLUGINS=1 in the environment to see what is missing).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO / "docs" / "screenshot.png"
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
}


class ScreenshotError(Exception):
    pass


# -- 1. the workspace ----------------------------------------------------------------------------------------

FEATURED = {
    "company": "Kestrel Ridge Logistics",
    "website": "https://kestrelridge.example",
    "contact": "Maya Lindqvist",
    "role": "Director of Warehouse Operations",
}

OTHERS = [  # company, website, contact, role, status
    ("Alder & Finch Packaging", "https://alderfinch.example", "Tomás Reyes", "COO", "contacted"),
    ("Bluegill Marine Supply", "https://bluegillmarine.example", "Priya Natarajan", "Head of Fulfillment", "new"),
    ("Copperline Tooling", "https://copperline.example", "Sam Okoye", "Plant Manager", "contacted"),
    ("Meridian Cold Chain", "https://meridiancold.example", "Hannah Brandt", "VP Supply Chain", "replied"),
]



def days_ago(n: int) -> str:
    """Dates relative to the day the picture is taken, so its facts never look stale."""
    return (date.today() - timedelta(days=n)).isoformat()

def build_workspace(home: Path) -> None:
    """A workspace as a rep would have it a week in: five prospects, one researched with a draft ready."""
    sys.path.insert(0, str(REPO))
    from app.core.models import Draft
    from app.storage.database import open_store
    from app.storage.repo import WorkspaceRepo

    store = open_store(home / "earned.db")
    repo = WorkspaceRepo(store.conn)
    try:
        with repo.transaction():
            for company, website, contact, role, status in OTHERS:
                p = repo.add_prospect(company, website, contact, role)
                repo.set_status(p.id, status)
                if company.startswith("Copperline"):  # a first touch sent a week ago: its follow-up is due
                    repo.record_touch(p.id, "first-touch", "Press line changeovers", "(sent)", [],
                                      sent_at=datetime.now().astimezone() - timedelta(days=7))
                repo.add_fact(
                    p.id, "site", f"{company} lists three distribution sites on its locations page.",
                    f"{website}/locations", f"Locations | {company}",
                )

            p = repo.add_prospect(FEATURED["company"], FEATURED["website"], FEATURED["contact"], FEATURED["role"])
            repo.set_status(p.id, "researching")
            joliet, _ = repo.add_fact(
                p.id, "news",
                "Kestrel Ridge opened a 410,000 sq ft fulfillment center in Joliet, Illinois this month, "
                "adding about 220 jobs.",
                "https://midwestfreight.example/2025/03/kestrel-ridge-joliet",
                "Kestrel Ridge opens Joliet fulfillment center - Midwest Freight Journal", days_ago(12),
            )
            hiring, _ = repo.add_fact(
                p.id, "site",
                "The careers page lists 14 open shift-supervisor roles in Joliet and Columbus, "
                "most of them for second and third shift.",
                "https://kestrelridge.example/careers", "Careers | Kestrel Ridge Logistics",
            )
            repo.add_fact(
                p.id, "feed",
                "Blog post 'Peak season 2024 in numbers': on-time outbound fell to 91% in November, "
                "against a 97% target.",
                "https://kestrelridge.example/blog/peak-2024-in-numbers",
                "Peak season 2024 in numbers - Kestrel Ridge blog", days_ago(55),
            )
            repo.add_fact(
                p.id, "news",
                "CEO Aaron Whitfield told Supply Chain Weekly they plan to double e-commerce volume for "
                "mid-size retail clients by 2026.",
                "https://supplychainweekly.example/interviews/kestrel-ridge-whitfield",
                "Interview: Kestrel Ridge bets on mid-market e-commerce - Supply Chain Weekly", days_ago(70),
            )
            repo.add_fact(
                p.id, "site",
                "Their sustainability page commits to cutting forklift idle hours by 25% by 2026.",
                "https://kestrelridge.example/sustainability", "Sustainability | Kestrel Ridge Logistics",
            )
            repo.add_note(
                p.id,
                "Met Maya at ProMat 2025: she said overtime on the Joliet night shift is her biggest "
                "headache right now.",
            )
            repo.save_draft(Draft(
                p.id, "first-touch", "Joliet night shift",
                "Hi Maya,\n\n"
                f"Congratulations on opening the Joliet fulfillment center [^{joliet.id}]. I also noticed "
                f"14 open shift-supervisor roles, most of them for second and third shift [^{hiring.id}], "
                "which usually means nights are carrying a lot of the load.\n\n"
                "We help 3PLs plan shifts that cut overtime without adding headcount. "
                "Would a 15-minute call next week be useful?\n\n"
                "Best,\nJordan",
            ))
    finally:
        store.conn.close()

    # The app reopens the prospect it showed last (session/prospect); with no saved geometry it opens at
    # its default size, 1200x760 (main() resizes the window when --size asks for another).
    (home / "settings.ini").write_text(f"[session]\nprospect={p.id}\n", encoding="utf-8")


# -- 2. the display and the app ------------------------------------------------------------------------------

def check_tools() -> bool:
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
    has_xdotool = shutil.which("xdotool") is not None
    if not has_xdotool:
        print("note: xdotool not found (apt-get install -y xdotool); the app will be stopped with SIGTERM.")
    return has_xdotool


def start_xvfb(width: int, height: int) -> tuple[subprocess.Popen, str]:
    """Start Xvfb on a display number it picks itself (-displayfd), return (process, ':N')."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp",
         "-dpi", "96"],
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


def grab(display: str, win: dict[str, int], out: Path) -> None:
    env = dict(os.environ, DISPLAY=display)
    crop = f"{win['w']}x{win['h']}+{max(0, win['x'])}+{max(0, win['y'])}"
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


def settle_and_grab(app, display: str, out: Path, work: Path, settle: float, timeout: float = 15.0) -> None:
    """Grab until two shots in a row match (a blinking caret aside): the prospect, facts and draft are in."""
    time.sleep(settle)
    previous = None
    deadline = time.monotonic() + timeout
    n = 0
    while True:
        if app.poll() is not None:
            raise ScreenshotError(app_failed(app))
        win = find_window(display)
        if win is None:
            raise ScreenshotError("the window went away before it could be captured.")
        shot = work / f"shot{n}.png"
        grab(display, win, shot)
        if previous is not None and pixels_differ(previous, shot) < 400:
            break
        if time.monotonic() > deadline:
            print("note: the window kept changing; keeping the last capture.")
            break
        previous, n = shot, n + 1
        time.sleep(0.6)
    if colours(shot) < 8:
        raise ScreenshotError(f"the capture looks blank ({colours(shot)} colours); see {shot}.")
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, out)
    print(f"wrote {out} ({win['w']}x{win['h']})")


def stop_app(app: subprocess.Popen, display: str, has_xdotool: bool) -> None:
    if app.poll() is not None:
        return
    win = find_window(display)
    if has_xdotool and win:
        env = dict(os.environ, DISPLAY=display)
        subprocess.run(["xdotool", "windowfocus", "--sync", str(win["id"]), "key", "--clearmodifiers", "ctrl+q"],
                       env=env, capture_output=True, timeout=10)
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


# -- main ----------------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Take docs/screenshot.png of the real Earned window under Xvfb.")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--size", default="1200x760", help="window size WxH (default: the app's own default)")
    parser.add_argument("--settle", type=float, default=6.0,
                        help="seconds to wait after the window appears (default 6: the status bar shows the "
                             "temporary workspace path for 5 s after opening)")
    parser.add_argument("--keep-workspace", action="store_true")
    args = parser.parse_args(argv)
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        parser.error("--size must look like 1200x760")
    output = args.output if args.output.is_absolute() else Path.cwd() / args.output

    try:
        has_xdotool = check_tools()
    except ScreenshotError as e:
        print(f"screenshot: {e}", file=sys.stderr)
        return 2

    home = Path(tempfile.mkdtemp(prefix="earned-screenshot-"))
    work = home / "_capture"
    runtime = home / "_runtime"
    for d in (work, runtime):
        d.mkdir(mode=0o700)
    xvfb = app = None
    try:
        build_workspace(home)
        xvfb, display = start_xvfb(width + 200, height + 140)
        print(f"Xvfb on {display}; workspace in {home}")
        app = subprocess.Popen(
            [sys.executable, "-m", "app"], cwd=REPO, env=app_env(home, display, runtime),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        win = wait_for_window(app, display, timeout=30)
        if (win["w"], win["h"]) != (width, height):
            if not has_xdotool:
                raise ScreenshotError(f"window is {win['w']}x{win['h']}; resizing to --size needs xdotool.")
            subprocess.run(["xdotool", "windowsize", "--sync", str(win["id"]), str(width), str(height)],
                           env=dict(os.environ, DISPLAY=display), capture_output=True, timeout=10)
        settle_and_grab(app, display, output, work, args.settle)
        return 0
    except ScreenshotError as e:
        print(f"screenshot: {e}", file=sys.stderr)
        return 1
    finally:
        if app is not None:
            stop_app(app, display, has_xdotool)
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
        if args.keep_workspace:
            print(f"kept workspace: {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
