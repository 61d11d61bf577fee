"""News API answers with the wrong JSON types: a plain error naming what was wrong, or the bad
items skipped; never "failed unexpectedly".

Each answer is served on 127.0.0.1 and read through the real fetcher and pipeline. The good
shapes they break follow the providers' documentation:
- NewsAPI: https://newsapi.org/docs/endpoints/everything ({"status": "ok", "articles": [{source:
  {id, name}, title, description, url, publishedAt, ...}]}) and https://newsapi.org/docs/errors
  ({"status": "error", "code": "...", "message": "..."}).
- GNews: https://docs.gnews.io/endpoints/search-endpoint ({"totalArticles": n, "articles": [{title,
  description, url, publishedAt, source: {name, url}}]}) and https://docs.gnews.io/error-handling
  ({"errors": ["..."]} or {"errors": {"field": "..."}}).
- GDELT DOC 2.0: https://blog.gdeltproject.org/gdelt-doc-2-0-api-debuts/ (mode=ArtList, format=json:
  {"articles": [{url, title, seendate "20261105T120000Z", domain, language, ...}]}).
"""
import json

import pytest

from app.research.fetcher import Fetcher
from app.research.pipeline import ResearchOptions, Researcher
from tests.fixtures.http_server import LocalServer

NAME = "Northwind Robotics"
KEYS = {"newsapi": "6f1c0a9e2b7d4c38a5e1f0b9d2c7a4e8", "gnews": "0d3b8e2f7a1c4b69e5d0a8f3c2b7e1d4"}


@pytest.fixture
def api(no_gdelt_spacing):
    with LocalServer() as server:
        yield server


def research(server: LocalServer, source: str, answer) -> tuple[list, list]:
    """One research run that asks only `source`, which answers `answer` (JSON) with HTTP 200."""
    server.route("/" + source, body=json.dumps(answer), content_type="application/json")
    sources = {"site": False, "feeds": False, "gdelt": False, "newsapi": False, "gnews": False, "sec": False,
               source: True}
    opts = ResearchOptions(name=NAME, sources=sources, keys=dict(KEYS),
                           endpoints={s: f"{server.base}/{s}" for s in ("gdelt", "newsapi", "gnews")})
    result = Researcher(opts, fetcher=Fetcher(crawl_delay=0.0, deadline=5, redact=tuple(KEYS.values()))).run()
    assert server.hits("/" + source) == 1  # the answer was really fetched and read
    assert not any("unexpectedly" in e.message for e in result.errors)
    return result.facts, result.errors


WHOLE_ANSWER_WRONG = [
    ("newsapi", {"status": "ok", "articles": "x"}, "NewsAPI's answer had 'articles' as text, not a list"),
    ("newsapi", [{"title": "Northwind Robotics"}], "NewsAPI's answer was a list, not the object its documentation "
                                                    "describes"),
    ("newsapi", {"status": "ok", "articles": 7}, "NewsAPI's answer had 'articles' as a number, not a list"),
    ("gnews", {"totalArticles": 1, "articles": {"0": {"title": "x"}}},
     "GNews's answer had 'articles' as an object, not a list"),
    ("gnews", ["Northwind"], "GNews's answer was a list, not the object its documentation describes"),
    ("gdelt", {"articles": {"k": 1}}, "GDELT's answer had 'articles' as an object, not a list"),
    ("gdelt", {"articles": True}, "GDELT's answer had 'articles' as true/false, not a list"),
    ("gdelt", [1, 2], "GDELT's answer was a list, not the object its documentation describes"),
]


@pytest.mark.parametrize("source, answer, said", WHOLE_ANSWER_WRONG)
def test_a_wrongly_shaped_answer_is_one_plain_error(api, source, answer, said):
    facts, errors = research(api, source, answer)
    [error] = errors
    assert facts == []
    assert (error.source, error.kind) == (source, "parse-failed")
    assert error.message == f"{said}, so its news could not be read."


ERRORS = [
    ("newsapi", {"status": "error", "message": {"a": 1}}, "NewsAPI reported an error without saying what it was."),
    ("newsapi", {"status": "error", "code": "rateLimited", "message": 429},
     "NewsAPI said: rateLimited"),
    ("newsapi", {"status": "error", "code": "apiKeyMissing", "message": "Your API key is missing."},
     "NewsAPI said: Your API key is missing."),
    ("gnews", {"errors": {"q": "The query is required."}}, "GNews said: q: The query is required."),
    ("gnews", {"errors": ["You have reached your request limit for today."]},
     "GNews said: You have reached your request limit for today."),
    ("gnews", {"errors": 42}, "GNews reported an error without saying what it was."),
]


@pytest.mark.parametrize("source, answer, said", ERRORS)
def test_error_answers_of_any_shape_say_what_the_api_said(api, source, answer, said):
    facts, errors = research(api, source, answer)
    [error] = errors
    assert facts == [] and error.message == said and error.kind == "http-status"


def test_malformed_newsapi_and_gnews_items_are_skipped_and_good_ones_kept(api):
    good = {"title": "Northwind Robotics opens Rotterdam office", "description": "It expands.",
            "url": api.base + "/good", "publishedAt": "2026-11-10T08:00:00Z", "source": {"name": "Logistics Weekly"}}
    answer = {"status": "ok", "articles": [
        {"title": 5, "url": [], "source": "str"},
        {"title": "Northwind Robotics wins an award", "url": api.base + "/odd", "source": "str",
         "description": 12, "publishedAt": 20261110},  # odd fields: kept, without them
        {"title": ["Northwind Robotics"], "url": api.base + "/list-title"},
        {"title": "Northwind Robotics link", "url": {"href": api.base + "/x"}},
        {"title": "Northwind Robotics script", "url": "javascript:alert(1)"},
        "Northwind Robotics", 3, None, [], good,
    ]}
    for source in ("newsapi", "gnews"):
        facts, errors = research(api, source, answer)
        assert errors == []
        assert [(f.text, f.source_url, f.source_title, f.published) for f in facts] == [
            ("Northwind Robotics wins an award", api.base + "/odd", "127.0.0.1", None),
            ("Northwind Robotics opens Rotterdam office: It expands.", api.base + "/good", "Logistics Weekly",
             "2026-11-10"),
        ]


def test_malformed_gdelt_items_are_skipped_and_good_ones_kept(api):
    answer = {"articles": [
        {"url": api.base + "/1", "title": "Northwind Robotics lands order", "seendate": 20261105120000,
         "domain": 7},  # a number where the documentation says text: read what is safe
        {"url": api.base + "/2", "title": "Northwind Robotics hires", "seendate": ["20261105T120000Z"],
         "domain": "freightwaves.example"},
        {"url": [api.base + "/3"], "title": "Northwind Robotics list url"},
        {"url": api.base + "/4", "title": None},
        "Northwind Robotics", None,
        {"url": api.base + "/5", "title": "Northwind Robotics in ports", "seendate": "20261101T120000Z",
         "domain": "example.com"},
    ]}
    facts, errors = research(api, "gdelt", answer)
    assert errors == []
    assert [(f.text, f.source_title, f.published) for f in facts] == [
        ("Northwind Robotics lands order", "127.0.0.1", None),
        ("Northwind Robotics hires", "freightwaves.example", None),
        # (seendate is when GDELT saw the link: said, not claimed as the publication date)
        ("Northwind Robotics in ports", "example.com (seen by GDELT on 2026-11-01; publication date unknown)", None),
    ]


def test_gdelt_with_nothing_found_is_no_news_and_no_error(api):
    facts, errors = research(api, "gdelt", {})  # GDELT answers an empty object when nothing matched
    assert facts == [] and errors == []
