"""One registry of research sources, read by the settings, the CLI, the pipeline and the docs."""
import json
from pathlib import Path

from app.cli import build_parser, run
from app.research.sources import DEFAULT_SOURCES, KEY_SOURCES, SOURCES, describe
from app.secrets import KNOWN_KEYS

ROOT = Path(__file__).resolve().parents[2]


def test_readme_lists_every_source_as_the_registry_describes_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What leaves your machine", 1)[1].split("\n## ", 1)[0]
    for src in SOURCES:
        assert describe(src) in section, f"README does not describe {src.name} as the registry does"
    assert "google" not in readme.lower()


def test_the_cli_lists_the_registry(capsys):
    assert run(build_parser().parse_args(["sources", "--json"])) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in listed] == [s.name for s in SOURCES]
    gdelt = next(s for s in listed if s["name"] == "gdelt")
    assert gdelt["min_seconds_between_requests"] == 5.0 and gdelt["env"] == "EARNED_GDELT_URL"
    assert run(build_parser().parse_args(["sources"])) == 0
    assert capsys.readouterr().out.splitlines() == [describe(s) for s in SOURCES]


def test_settings_keys_and_defaults_come_from_the_registry():
    assert KNOWN_KEYS == KEY_SOURCES == ("newsapi", "gnews")
    assert set(DEFAULT_SOURCES) == {"site", "feeds", *(s.name for s in SOURCES)}
