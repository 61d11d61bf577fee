"""API keys stay secret: redaction of whole and partial echoes, in logs too, and never sent to
another host by a redirect.

The news APIs here are LocalServers on 127.0.0.1 shaped after the providers' documentation:
NewsAPI https://newsapi.org/docs/endpoints/everything and https://newsapi.org/docs/errors
({"status": "ok", "articles": [...]}, {"status": "error", "code": ..., "message": ...}), and
GNews https://docs.gnews.io/endpoints/search-endpoint ({"totalArticles": n, "articles": [...]}).
"""
import io
import json
import logging
import secrets
from urllib.parse import quote, quote_plus

import pytest

from app.core.redact import MASK, RedactingFilter, install_log_filter, redact, register
from app.research.errors import FetchError
from app.research.fetcher import Fetcher
from app.research.pipeline import ResearchOptions, Researcher
from app.secrets import SecretStore
from tests.fixtures.http_server import LocalServer
from tests.fixtures.sources import fetch_source
from tests.unit.test_secrets import MemoryKeyring

NAME = "Northwind Robotics"


def new_key() -> str:
    """Shaped like NewsAPI's and GNews's keys: 32 random hex characters."""
    return secrets.token_hex(16)


def pieces(key: str, size: int = 6) -> list[str]:
    return [key[i:i + size] for i in range(len(key) - size + 1)]


def shows_part_of(text: str, key: str) -> bool:
    return any(p in text for p in pieces(key))


@pytest.fixture
def key():
    value = new_key()
    register(value)
    return value


# -- redact() ---------------------------------------------------------------------------
def test_whole_key_and_key_in_a_url_query_are_masked(key):
    assert redact(f"Your API key {key} is invalid.") == f"Your API key {MASK} is invalid."
    url = f"https://gnews.io/api/v4/search?q=acme&apikey={key}&max=10"
    assert redact(url) == f"https://gnews.io/api/v4/search?q=acme&apikey={MASK}&max=10"


@pytest.mark.parametrize("echo", [
    lambda k: f"Invalid key {k[:8]}... for account",  # a prefix
    lambda k: f"key ending in {k[-8:]} was revoked",  # a suffix
    lambda k: f"mismatch near '{k[10:20]}'",  # the middle
    lambda k: f"{k[:12]}{k[-12:]}",  # two pieces run together
])
def test_partial_echoes_of_eight_or_more_characters_are_masked(key, echo):
    text = echo(key)
    assert not shows_part_of(redact(text), key)
    assert MASK in redact(text)


def test_url_encoded_forms_are_masked():
    raw = "Ab+cD/9x=" + new_key()  # a key with characters that URLs encode
    register(raw)
    for encoded in (quote(raw, safe=""), quote_plus(raw)):
        assert encoded != raw and redact(f"?key={encoded}&q=x") == f"?key={MASK}&q=x"


def test_ordinary_text_is_left_alone(key):
    prose = ("Northwind Robotics opened a second factory in Tacoma in September 2026, doubling output to "
             "1,200 forklifts a year. https://news.example/2026/11/05/northwind-raises-45m?ref=rss#top "
             "Order 20261105T120000Z, invoice 4f-7a.")
    assert redact(prose) == prose


def test_short_values_are_not_secrets_and_short_keys_match_shorter_runs():
    register("ab")  # no real key is this short: registering it must not garble text
    assert redact("ab cab tab") == "ab cab tab"
    short = "Zq7Xw2Vk"  # 8 characters: an echo of half of it counts
    register(short)
    assert redact("saw Zq7X in the error") == f"saw {MASK} in the error"


# -- SecretStore registers what it reads and stores ----------------------------------------
def test_secret_store_registers_every_key_it_stores_or_reads():
    stored, read = new_key(), new_key()
    backend = MemoryKeyring()
    store = SecretStore(backend)
    store.set("newsapi", stored)
    assert redact(f"echo {stored}") == f"echo {MASK}"
    backend.items[(store.service, "gnews")] = read  # put there by another process (the CLI)
    assert redact(f"echo {read}") == f"echo {read}"
    assert store.get("gnews") == read
    assert redact(f"echo {read[:9]}") == f"echo {MASK}"


def test_fetcher_registers_its_keys_and_clean_masks_partial_echoes():
    value = new_key()
    fetcher = Fetcher(redact=(value,))
    assert fetcher.clean(f"bad key {value[4:14]}") == f"bad key {MASK}"
    assert redact(value) == MASK  # the same process-wide helper


# -- logs -----------------------------------------------------------------------------------
def test_log_records_from_any_logger_are_redacted_once_the_filter_is_installed(key, caplog):
    caplog.set_level(logging.INFO)
    install_log_filter()  # on the root logger's handlers, which include caplog's
    log = logging.getLogger("earned.research.somewhere")
    log.info("NewsAPI said %s for key %s", "no", key)
    log.warning(f"partial echo {key[:10]}...")
    try:
        raise ValueError(f"backend echoed {key}")
    except ValueError:
        log.exception("storing failed")
    assert "NewsAPI said no for key ***" in caplog.text and "storing failed" in caplog.text
    assert not shows_part_of(caplog.text, key)


def test_the_filter_on_a_plain_handler():
    value = new_key()
    register(value)
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RedactingFilter())
    log = logging.getLogger("test_api_keys.plain")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.error("url was https://gnews.example/search?apikey=%s&q=x", value)
    finally:
        log.removeHandler(handler)
    assert out.getvalue() == "url was https://gnews.example/search?apikey=***&q=x\n"


# -- redirects never carry a key to another origin ------------------------------------------------
def newsapi_answer(base: str) -> bytes:
    return json.dumps({"status": "ok", "totalResults": 1, "articles": [
        {"source": {"id": None, "name": "Logistics Weekly"}, "author": None,
         "title": "Northwind Robotics opens Rotterdam office", "description": "The forklift maker expands.",
         "url": base + "/a", "urlToImage": None, "publishedAt": "2026-11-10T08:00:00Z", "content": "..."}]}).encode()


@pytest.fixture
def two_servers():
    with LocalServer() as api, LocalServer() as other:
        other.routes["*"] = lambda req: (200, {"Content-Type": "application/json"}, newsapi_answer(other.base))
        yield api, other


def fetcher():
    return Fetcher(crawl_delay=0.0, deadline=5.0, read_timeout=2.0)


def test_newsapi_redirect_to_another_host_stops_and_sends_it_nothing(two_servers):
    api, other = two_servers
    value = new_key()
    api.route("/v2/everything", status=302, headers={"Location": other.base + "/v2/everything"}, content_type="")
    with pytest.raises(FetchError) as info:
        fetch_source("newsapi", fetcher(), NAME, api.base + "/v2/everything", value)
    assert info.value.message == (f"NewsAPI.org redirected to 127.0.0.1:{other.port}; Earned sends your key only to "
                                  "the service's own address, so it stopped here.")
    assert other.log == []  # not the API call, not even robots.txt: nothing at all


def test_gnews_redirect_to_another_host_stops_and_sends_it_nothing(two_servers):
    api, other = two_servers

    def moved(req):  # keeps the query, apikey included, as a careless proxy would
        return 301, {"Location": other.base + req.path}, b""

    api.routes["/api/v4/search"] = moved
    value = new_key()
    with pytest.raises(FetchError) as info:
        fetch_source("gnews", fetcher(), NAME, api.base + "/api/v4/search", value)
    assert "GNews.io redirected to 127.0.0.1" in info.value.message
    assert not shows_part_of(info.value.message + info.value.url, value)
    assert other.log == []


def test_same_origin_redirects_still_work_and_keep_the_key(two_servers):
    api, _ = two_servers
    value = new_key()
    got = {}

    def everything(req):
        got["key"] = req.headers.get("X-Api-Key")
        return 200, {"Content-Type": "application/json"}, newsapi_answer(api.base)

    api.route("/v1/everything", status=308, headers={"Location": "/v2/everything"}, content_type="")
    api.routes["/v2/everything"] = everything
    facts = fetch_source("newsapi", fetcher(), NAME, api.base + "/v1/everything", value)
    assert [f.headline for f in facts] == ["Northwind Robotics opens Rotterdam office"] and got["key"] == value

    def gnews_new(req):
        got["gnews"] = req.headers.get("X-Api-Key")
        return 200, {"Content-Type": "application/json"}, newsapi_answer(api.base)

    api.routes["/gnews-old"] = lambda req: (302, {"Location": "/gnews-new?" + req.path.split("?", 1)[1]}, b"")
    api.routes["/gnews-new"] = gnews_new
    assert fetch_source("gnews", fetcher(), NAME, api.base + "/gnews-old", value)
    # GNews gets its key in the X-Api-Key header: never in a URL, where logs and proxies would keep it.
    assert got["gnews"] == value and not any(value in path for _, path, _ in api.log)


def test_pages_without_a_key_still_follow_redirects_to_other_hosts(two_servers):
    api, other = two_servers
    other.route("/", body="<html><head><title>Moved</title></head><body><p>Here now.</p></body></html>")
    api.route("/", status=301, headers={"Location": other.base + "/"}, content_type="")
    # Two ports of 127.0.0.1 stand for two hosts here: the rep's setting allows such redirects.
    f = fetcher()
    f.allow_private_redirects = True
    assert f.fetch(api.base + "/").final_url == other.base + "/"


def test_a_redirect_to_another_port_stops_in_a_research_run(two_servers, no_gdelt_spacing):
    api, other = two_servers
    value = new_key()
    api.route("/newsapi", status=302, headers={"Location": other.base + "/newsapi"}, content_type="")
    opts = ResearchOptions(name=NAME, sources={"site": False, "feeds": False, "gdelt": False, "sec": False, "newsapi": True,
                                               "gnews": False}, keys={"newsapi": value},
                           endpoints={"newsapi": api.base + "/newsapi"})
    result = Researcher(opts, fetcher=Fetcher(crawl_delay=0.0, deadline=5, redact=(value,))).run()
    [error] = result.errors
    assert error.source == "newsapi" and "Earned sends your key only to the service's own address" in error.message
    assert other.log == []


# -- an API that echoes the key in its errors --------------------------------------------------
def run_news(server: LocalServer, keys: dict):
    opts = ResearchOptions(name=NAME, sources={"site": False, "feeds": False, "gdelt": False, "sec": False,
                                               **{source: True for source in keys}},
                           keys=keys, endpoints={"newsapi": server.base + "/newsapi", "gnews": server.base + "/gnews"})
    events = []
    result = Researcher(opts, fetcher=Fetcher(crawl_delay=0.0, deadline=5, redact=tuple(keys.values())),
                        on_event=lambda kind, payload: events.append((kind, payload))).run()
    return result, events


def test_research_errors_carry_no_part_of_an_echoed_key(no_gdelt_spacing):
    newsapi_key, gnews_key = new_key(), new_key()
    with LocalServer() as server:
        # A plain-text error (the body is read on HTTP 200, as GDELT-style APIs answer) ...
        server.route("/gnews", body=f"Invalid key {gnews_key[:8]}... for account {gnews_key}",
                     content_type="text/plain")
        # ... and a documented-shape JSON error whose message quotes part of the key.
        server.route("/newsapi", body=json.dumps({
            "status": "error", "code": "apiKeyInvalid",
            "message": f"Your API key ...{newsapi_key[-10:]} hasn't been entered correctly ({newsapi_key})."}),
                     content_type="application/json")
        result, events = run_news(server, {"newsapi": newsapi_key, "gnews": gnews_key})
    by_source = {e.source: e for e in result.errors}
    assert by_source["newsapi"].message == (f"NewsAPI said: Your API key ...{MASK} hasn't been entered "
                                            f"correctly ({MASK}).")
    assert by_source["gnews"].message == f"GNews said: Invalid key {MASK}... for account {MASK}"
    everything = json.dumps(result.to_json()) + repr(events)
    assert not shows_part_of(everything, newsapi_key) and not shows_part_of(everything, gnews_key)


def test_facts_carry_no_part_of_an_echoed_key(no_gdelt_spacing):
    value = new_key()
    with LocalServer() as server:
        server.route("/newsapi", body=json.dumps({"status": "ok", "articles": [
            {"source": {"name": f"Feed {value[:10]}"}, "title": f"Northwind Robotics news {value[5:15]}",
             "description": "", "url": f"{server.base}/a?apiKey={value}", "publishedAt": "2026-11-10"}]}),
                     content_type="application/json")
        result, _ = run_news(server, {"newsapi": value})
    [fact] = result.facts
    assert fact.text == f"Northwind Robotics news {MASK}" and fact.source_url.endswith(f"/a?apiKey={MASK}")
    assert not shows_part_of(json.dumps(result.to_json()), value)
