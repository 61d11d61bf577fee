"""`earned research`: the JSON contract, saving, exit statuses, offline."""
import json
import sqlite3

import pytest

from tests.conftest import run_app
from tests.fixtures.http_server import LocalServer


def research(home, site, *args):
    env = {"EARNED_GDELT_URL": site.base + "/gdelt"}
    return run_app(home, "research", *args, env=env, timeout=120)


def test_json_contract(site, earned_home):
    proc = research(earned_home, site, "--name", "Northwind Robotics", "--url", site.base, "--json",
                    "--max-pages", "3")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"company", "pages", "facts", "errors"}
    assert set(out["company"]) == {"name", "website", "description"}
    assert len(out["pages"]) == 3
    for p in out["pages"]:
        assert set(p) == {"url", "title", "site_name", "published", "description"}
    kinds = {f["kind"] for f in out["facts"]}
    assert kinds == {"site", "feed", "news"}
    for f in out["facts"]:
        assert set(f) == {"kind", "text", "source_url", "source_title", "published", "lang", "off_site", "score",
                          "snapshot"}
    for e in out["errors"]:
        assert set(e) == {"source", "url", "kind", "message"}


def test_save_stores_facts_once(site, earned_home):
    pid = run_app(earned_home, "prospect", "add", "--company", "Northwind Robotics").stdout.strip()
    first = research(earned_home, site, "--url", site.base, "--no-news", "--save", pid)
    assert first.returncode == 0, first.stderr
    assert "Saved" in first.stdout
    db = sqlite3.connect(earned_home / "earned.db")
    count = db.execute("SELECT count(*) FROM facts WHERE prospect_id = ?", (pid,)).fetchone()[0]
    assert count > 3 and db.execute("SELECT count(*) FROM facts WHERE kind = 'news'").fetchone()[0] == 0
    research(earned_home, site, "--url", site.base, "--no-news", "--save", pid)
    assert db.execute("SELECT count(*) FROM facts").fetchone()[0] == count


@pytest.mark.parametrize("args, phrase", [
    ([], "--name or --url"),
    (["--url", "ftp://acme.example"], "http:// and https://"),
    (["--url", "not a url"], "not a web address"),
    (["--name", "Acme", "--max-pages", "0"], "--max-pages"),
    (["--name", "Acme", "--save", "99"], "no prospect with id 99"),
])
def test_bad_input_exits_2(site, earned_home, args, phrase):
    proc = research(earned_home, site, *args)
    assert proc.returncode == 2 and phrase in proc.stderr and "Traceback" not in proc.stderr


def test_offline_completes_with_errors_exits_1_and_changes_nothing(earned_home):
    pid = run_app(earned_home, "prospect", "add", "--company", "Acme").stdout.strip()
    run_app(earned_home, "notes", "add", "--prospect", pid, "--text", "keep me")
    with LocalServer() as s:
        base = s.base
    proc = run_app(earned_home, "research", "--name", "Acme", "--url", base, "--json", "--save", pid,
                   env={"EARNED_GDELT_URL": base + "/gdelt"})
    # Every source failed: a script must be able to tell that from "nothing to find".
    assert proc.returncode == 1, proc.stderr
    assert "research found nothing" in proc.stderr and "gdelt" in proc.stderr and "site" in proc.stderr
    out = json.loads(proc.stdout)
    assert out["facts"] == [] and {e["kind"] for e in out["errors"]} - {"needs-setting"} == {"offline"}
    # SEC filings are skipped, with what to do, until the rep's contact is set.
    assert any(e["source"] == "sec" and e["kind"] == "needs-setting" for e in out["errors"])
    facts = json.loads(run_app(earned_home, "notes", "list", "--prospect", pid, "--json").stdout)
    assert [f["text"] for f in facts] == ["keep me"]
