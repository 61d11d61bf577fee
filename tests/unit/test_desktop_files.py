"""Linux desktop integration: the .desktop file, AppStream metainfo and icons validate and agree."""
import shutil
import subprocess
import xml.etree.ElementTree as ET

from app import APP_ID, __version__
from tests.conftest import ROOT, skip_or_fail

LINUX = ROOT / "resources" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"


def test_app_id_is_reverse_dns_and_names_the_files():
    parts = APP_ID.split(".")
    assert len(parts) >= 3 and all(p and p[0].isalpha() for p in parts)
    assert DESKTOP.exists() and METAINFO.exists()


def test_desktop_file_validates():
    tool = shutil.which("desktop-file-validate")
    if not tool:
        skip_or_fail("desktop-file-validate is not installed (Debian package desktop-file-utils)")
    proc = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True)
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr
    text = DESKTOP.read_text()
    assert f"Icon={APP_ID}" in text and "Exec=earned" in text


def test_metainfo_validates_and_matches_the_app():
    tool = shutil.which("appstreamcli")
    if not tool:
        skip_or_fail("appstreamcli is not installed (Debian package appstream)")
    proc = subprocess.run([tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == DESKTOP.name
    assert root.find("content_rating") is not None and root.findtext("project_license")
    versions = [r.get("version") for r in root.iter("release")]
    assert versions[0] == __version__  # the newest release is the one we ship
    assert root.find("screenshots/screenshot/image") is not None


def test_icons_exist_in_svg_and_png_sizes():
    icons = ROOT / "resources" / "icons"
    assert (icons / "earned.svg").read_text().startswith("<svg")
    for size in (16, 32, 48, 64, 128, 256):
        png = icons / f"earned-{size}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        # the PNG header says its width and height
        data = png.read_bytes()
        assert int.from_bytes(data[16:20], "big") == size == int.from_bytes(data[20:24], "big")
