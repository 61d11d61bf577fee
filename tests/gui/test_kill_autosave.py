"""A draft survives the app being killed outright (SIGKILL) once its autosave is done."""
import json
import os
import signal
import subprocess
import sys

from tests.conftest import ROOT, cli_env


def test_draft_survives_sigkill(earned_home):
    env = cli_env(earned_home)
    text = "Saw the Reno cross-dock news. How are check-ins going"
    with subprocess.Popen([sys.executable, "-m", "tests.fixtures.drive_app", "type", text], cwd=ROOT, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as proc:
        try:
            saved = None
            while saved != text:  # blocks until the app says the whole text is saved in the workspace
                line = proc.stdout.readline()
                assert line, "the app exited before saving the draft"
                if line.startswith("SAVED "):
                    saved = json.loads(line.split(" ", 1)[1])
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    again = subprocess.run([sys.executable, "-m", "tests.fixtures.drive_app", "read"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout.strip().splitlines()[-1]) == text


def test_the_app_exits_cleanly_after_a_copy(earned_home):
    """Qt deletes the clipboard's contents at process exit, after Python: a Python-made QMimeData
    left there crashed the interpreter on the way out (exit status 139)."""
    text = "Saw the Reno cross-dock opening [^2]. How are the new dock supervisors ramping up?"
    proc = subprocess.run([sys.executable, "-m", "tests.fixtures.drive_app", "copy", text], cwd=ROOT,
                          env=cli_env(earned_home), capture_output=True, text=True, timeout=60)
    assert "COPIED" in proc.stdout, proc.stderr
    assert proc.returncode == 0, f"exit status {proc.returncode}: {proc.stderr[-2000:]}"
