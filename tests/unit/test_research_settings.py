"""The rep's setting for intranet research reaches the fetcher: a redirect to another port is
refused by default and followed once the setting allows it."""
from app.config import research_options
from app.research.pipeline import Researcher
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from tests.fixtures.http_server import LocalServer

PAGE = ("<html><head><title>Acme Robotics</title></head><body><main><p>Acme Robotics opened a second factory in "
        "Tacoma in September 2026, doubling output to 1,200 forklifts a year.</p></main></body></html>")
SITE_ONLY = {"site": True, "feeds": False, "gdelt": False, "newsapi": False, "gnews": False, "sec": False}


def _run(tmp_path, allow: bool):
    repo = WorkspaceRepo(open_store(tmp_path / f"ws-{allow}" / "earned.db").conn)
    repo.set_setting("research_sources", SITE_ONLY)
    if allow:
        repo.set_setting("allow_private_redirects", True)
    with LocalServer() as site, LocalServer() as moved:
        moved.route("/", body=PAGE)
        site.route("/", status=302, headers={"Location": moved.base + "/"}, content_type="")
        options = research_options(repo, "Acme Robotics", site.base + "/", news=False)
        options.crawl_delay = 0.0
        result = Researcher(options).run()
    return result


def test_a_redirect_to_another_port_is_refused_by_default(tmp_path):
    result = _run(tmp_path, allow=False)
    assert not result.facts
    assert [e.kind for e in result.errors] == ["blocked"] and "another port" in result.errors[0].message


def test_the_setting_lets_research_follow_it(tmp_path):
    result = _run(tmp_path, allow=True)
    assert any("second factory in Tacoma" in f.text for f in result.facts), result.errors
