"""A whole research run against a company site, its feed and news APIs on 127.0.0.1."""
import json
import time

import pytest

from app.research.fetcher import Fetcher
from app.research.pipeline import ResearchOptions, Researcher
from tests.fixtures.company_site import endpoints
from tests.fixtures.http_server import LocalServer


def run(site, **kw):
    opts = ResearchOptions(**{"name": "Northwind Robotics", "url": site.base + "/", "endpoints": endpoints(site),
                              "crawl_delay": 0.0, **kw})
    events = []
    result = Researcher(opts, fetcher=Fetcher(crawl_delay=0.0, deadline=5, redact=tuple(opts.keys.values())),
                        on_event=lambda kind, payload: events.append((kind, payload))).run()
    return result, events


def texts(result, kind=None):
    return [f.text for f in result.facts if kind is None or f.kind == kind]


def test_end_to_end_site_feed_and_news(site):
    result, events = run(site)
    out = result.to_json()
    assert out["company"] == {"name": "Northwind Robotics", "website": site.base + "/",
                              "description": "Northwind Robotics builds autonomous forklifts for mid-size warehouses."}
    urls = {p["url"] for p in out["pages"]}
    assert {site.base + "/", site.base + "/about", site.base + "/news", site.base + "/careers"} <= urls
    site_facts = " | ".join(texts(result, "site"))
    assert "second factory in Tacoma" in site_facts and "$45 million Series C" in site_facts
    assert "12 field service technicians" in site_facts
    assert "Northwind Robotics was founded in 2014." in texts(result, "site")
    # Content, not navigation, footer, or robots-disallowed pages.
    assert "All rights reserved" not in site_facts and "newsletter" not in site_facts
    assert "Secret plans" not in site_facts and site.hits("/private/plans") == 0
    news_page = next(p for p in out["pages"] if p["url"] == site.base + "/news")
    assert news_page["published"].startswith("2026-10-14")
    # The feed, and news that names the company (the unrelated GDELT story is dropped).
    assert any("Tacoma factory" in t for t in texts(result, "feed"))
    assert texts(result, "news") == ["Northwind Robotics lands order from Cascadia Cold Chain"]
    gdelt_fact = next(f for f in result.facts if f.kind == "news")
    # GDELT's seendate is when it saw the link, not a publication date: said so, not claimed.
    assert gdelt_fact.published is None
    assert gdelt_fact.source_title == "freightwaves.example (seen by GDELT on 2026-11-05; publication date unknown)"
    # Every fact cites where it came from.
    assert all(f.source_url.startswith(site.base) for f in result.facts)
    # The JavaScript-only page is listed as such, with what its metadata offered.
    assert any(e.kind == "js-only" and e.url.endswith("/products") for e in result.errors)
    assert any("2,000 kg" in t for t in texts(result, "site"))
    assert ("fact", result.facts[0]) in events and any(k == "progress" for k, _ in events)
    json.dumps(out)  # the CLI's shape is JSON-able


def test_url_only_finds_the_name_for_news(site):
    result, _ = run(site, name=None)
    assert result.company["name"] == "Northwind Robotics"
    assert texts(result, "news") == ["Northwind Robotics lands order from Cascadia Cold Chain"]


def test_max_pages_is_respected(site):
    result, _ = run(site, max_pages=2)
    assert len(result.pages) == 2


def test_gdelt_throttle_text_is_an_error_not_a_crash(site):
    site.route("/gdelt", body="Please limit requests to one every 5 seconds.", content_type="text/plain")
    result, _ = run(site)
    [error] = [e for e in result.errors if e.source == "gdelt"]
    assert error.kind == "rate-limited" and "one every 5 seconds" in error.message
    assert texts(result, "site")  # the other sources' facts are kept


def test_malformed_feed_and_malformed_jsonld_keep_partial_results(site):
    site.route("/news/feed.xml", body="<rss><channel><item><title>broken", content_type="application/rss+xml")
    result, _ = run(site)
    assert texts(result, "site")
    assert not texts(result, "feed") or all("broken" not in t for t in texts(result, "feed"))


def test_keys_never_reach_results_or_errors(site):
    key_a, key_b = "newsapi-key-planted-9f8e7d", "gnews-key-planted-1a2b3c"

    def newsapi(req):
        assert req.headers.get("X-Api-Key") == key_a and key_a not in req.path
        return 401, {"Content-Type": "application/json"}, json.dumps(
            {"status": "error", "message": f"Your API key {key_a} is invalid."}).encode()

    site.routes["/newsapi"] = newsapi
    site.route("/gnews", status=403, body=f"bad apikey={key_b}", content_type="text/plain")
    result, _ = run(site, keys={"newsapi": key_a, "gnews": key_b})
    dumped = json.dumps(result.to_json())
    assert key_a not in dumped and key_b not in dumped
    assert {e.source for e in result.errors} >= {"newsapi", "gnews"}


def test_newsapi_and_gnews_items_become_news_facts(site):
    site.route("/newsapi", body=json.dumps({"status": "ok", "articles": [
        {"title": "Northwind Robotics opens Rotterdam office", "description": "The forklift maker expands. More.",
         "url": site.base + "/a", "publishedAt": "2026-11-10T08:00:00Z", "source": {"name": "Logistics Weekly"}}]}),
               content_type="application/json")
    site.route("/gnews", body=json.dumps({"articles": [
        {"title": "Northwind Robotics hires EMEA sales head", "description": "",
         "url": site.base + "/b", "publishedAt": "2026-11-12T08:00:00Z", "source": {"name": "Robot Report"}}]}),
               content_type="application/json")
    result, _ = run(site, keys={"newsapi": "k1", "gnews": "k2"})
    news_facts = {f.text: f for f in result.facts if f.kind == "news"}
    assert "Northwind Robotics opens Rotterdam office: The forklift maker expands." in news_facts
    assert news_facts["Northwind Robotics hires EMEA sales head"].published == "2026-11-12"


def test_google_news_is_gone_and_an_old_setting_for_it_is_ignored(site, tmp_path):
    from app.config import research_options
    from app.storage.database import open_store
    from app.storage.repo import WorkspaceRepo

    repo = WorkspaceRepo(open_store(tmp_path / "earned.db").conn)
    repo.set_setting("research_sources", {"google-news": True, "gdelt": False})
    options = research_options(repo, "Northwind Robotics", site.base + "/")
    assert "google-news" not in options.sources and options.sources["gdelt"] is False
    result, events = run(site, sources=options.sources)
    assert not any(payload[0] == "google-news" for kind, payload in events if kind == "progress")


def test_offline_run_reports_offline(no_gdelt_spacing):
    with LocalServer() as s:
        base = s.base
    opts = ResearchOptions(name="Northwind", url=base + "/", endpoints={"gdelt": base + "/gdelt", "sec": base},
                           contact="Jo Park jo@example.com", crawl_delay=0)
    result = Researcher(opts, fetcher=Fetcher(crawl_delay=0.0, deadline=3)).run()
    assert result.facts == [] and {e.kind for e in result.errors} == {"offline"}


def test_cancel_stops_quickly_and_keeps_what_was_found(site):
    site.route("/robots.txt", body="User-agent: *\nCrawl-delay: 5\n", content_type="text/plain")
    opts = ResearchOptions(name="Northwind Robotics", url=site.base + "/", endpoints=endpoints(site),
                           sources={"gdelt": False})
    researcher = Researcher(opts, fetcher=Fetcher(crawl_delay=0.0, deadline=10))
    import threading

    threading.Timer(0.5, researcher.cancel.set).start()
    started = time.monotonic()
    result = researcher.run()
    assert time.monotonic() - started < 3
    assert result.cancelled and texts(result, "site")  # the home page's facts are kept


def test_needs_a_name_or_a_url():
    with pytest.raises(ValueError):
        Researcher(ResearchOptions())


def test_researching_twice_in_one_session_finds_the_same_facts(site):
    first, _ = run(site)
    second, _ = run(site)
    assert texts(first, "site") == texts(second, "site")


def test_planted_keys_reach_no_database_log_or_message(site, tmp_path, caplog):
    import logging

    from app.storage.database import open_store
    from app.storage.repo import WorkspaceRepo

    key_a, key_b = "newsapi-key-planted-5c4d", "gnews-key-planted-7e8f"
    site.route("/newsapi", body=json.dumps({"status": "ok", "articles": [
        {"title": "Northwind Robotics opens Rotterdam office", "description": f"echo {key_a}",
         "url": site.base + f"/a?apiKey={key_a}", "publishedAt": "2026-11-10T08:00:00Z"}]}),
               content_type="application/json")
    site.route("/gnews", status=500, body=f"upstream failed for apikey={key_b}", content_type="text/plain")
    caplog.set_level(logging.DEBUG)
    result, events = run(site, keys={"newsapi": key_a, "gnews": key_b})
    store = open_store(tmp_path / "earned.db")
    repo = WorkspaceRepo(store.conn)
    pid = repo.add_prospect("Northwind Robotics").id
    for f in result.facts:
        repo.add_fact(pid, f.kind, f.text, f.source_url, f.source_title, f.published)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.conn.close()
    on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    everything = json.dumps(result.to_json()) + caplog.text + repr(events)
    for key in (key_a, key_b):
        assert key not in everything and key.encode() not in on_disk


def test_a_name_alone_finds_the_site_only_when_the_page_is_that_company(site):
    from app.research.resolve import candidate_sites

    assert candidate_sites("Northwind Robotics, Inc.") == [
        "https://www.northwindrobotics.com/", "https://www.northwind-robotics.com/", "https://www.northwind.com/"]
    site.route("/other", body="<html><head><title>Southwind Pumps</title></head><body><p>Pumps.</p></body></html>")
    result, _ = run(site, url=None, site_candidates=[site.base + "/other", site.base + "/"])
    assert result.company["website"] == site.base + "/"
    assert any("second factory in Tacoma" in t for t in texts(result, "site"))
    result, _ = run(site, url=None, name="Acme Widgets", site_candidates=[site.base + "/other", site.base + "/"])
    assert texts(result, "site") == []
    assert any("Couldn't find the company's website" in e.message for e in result.errors)


def test_a_source_that_crashes_is_one_plain_line_and_the_others_facts_are_kept(site, monkeypatch):
    import app.research.sources.gdelt as gdelt

    def broken(ctx):
        raise KeyError("seendate")  # a bug of ours, not a failure the source reported

    monkeypatch.setattr(gdelt, "fetch", broken)
    result, events = run(site)
    assert [(e.source, e.kind, e.message) for e in result.errors if e.source == "gdelt"] == [
        ("gdelt", "parse-failed", "GDELT news search failed unexpectedly (KeyError); what the other sources found is "
                                  "kept. Try Research again; if it keeps failing, turn it off in Settings > Research.")]
    assert "Traceback" not in " ".join(e.message for e in result.errors)
    assert any("second factory in Tacoma" in t for t in texts(result, "site"))
    assert any("Tacoma factory" in t for t in texts(result, "feed"))
    # The keyed sources this run has no key for say why they were not asked (in the progress, not as problems).
    assert ("progress", ("newsapi", "skipped: no key saved (Settings > Research)")) in events
    assert not any(e.source in ("newsapi", "gnews") for e in result.errors)


def test_the_articles_read_are_shared_between_the_news_sources(site):
    # Each source answers four fresh items about the company; their articles are not served (a 404: the
    # headline stays), but every read is a request the server counts. Three articles a run in all.
    def items(prefix):
        return [{"title": f"Northwind Robotics news {prefix}{i}", "description": "", "url": f"{site.base}/{prefix}{i}",
                 "publishedAt": f"2026-11-1{i}T08:00:00Z", "source": {"name": "Trade Press"}} for i in range(4)]

    site.route("/newsapi", body=json.dumps({"status": "ok", "articles": items("na")}), content_type="application/json")
    site.route("/gnews", body=json.dumps({"articles": items("gn")}), content_type="application/json")
    result, _ = run(site, keys={"newsapi": "k1", "gnews": "k2"}, read_articles=3,
                    sources={"gdelt": False, "feeds": False})
    newsapi_read = sum(site.hits(f"/na{i}") for i in range(4))
    gnews_read = sum(site.hits(f"/gn{i}") for i in range(4))
    # Whichever answers first reads two and leaves one for the other (it used to read all three).
    assert sorted([newsapi_read, gnews_read]) == [1, 2]
    assert len([f for f in result.facts if f.kind == "news"]) == 8  # unread ones stay as headlines
