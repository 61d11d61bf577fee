"""Reading a news article: the quote about the company, its snapshot, and every way the read can fail.

Real articles (../shared/corpus/articles) and pages written here are served on 127.0.0.1 and read
as research reads them (Fetcher, then article_quote in this process or in the parse worker's child).
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from app.research import articles
from app.research.errors import Cancelled
from app.research.facts import FoundFact, Snapshot
from app.research.fetcher import Fetcher
from app.research.htmltree import parse_tree
from app.research.metadata import extract_metadata
from app.research.worker import ParseWorker
from tests.conftest import skip_or_fail
from tests.fixtures.http_server import LocalServer

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "articles"
COMPANY = "Harbor & Pine Logistics"
HEADLINE = "Harbor & Pine opens Reno cross-dock"
LEDE = "Harbor & Pine Logistics opened a second cross-dock in Reno, Nevada, on Tuesday, adding 120 jobs at the site."
NEXT = "The company expects the Reno building to handle 40,000 pallets a month by the end of 2027."
STORY = [
    LEDE,
    NEXT,
    "“We are thrilled to be part of this community,” said Dana Wu, the chief executive of Harbor & Pine.",
    "Freight volumes across northern Nevada have grown for three years running, according to the state's trade "
    "office, and warehouse space near the interstate is scarce.",
    "Local officials said the new jobs would pay above the regional median wage, and that road improvements near "
    "the site were planned for next spring.",
]
NOW = datetime(2026, 11, 2, 15, 30, 5, tzinfo=timezone.utc)


def html(paragraphs: list[str], headline: str = HEADLINE, published: str = "2026-10-20T09:00:00Z") -> str:
    """A news page: navigation, a byline, a captioned photo, the story, then a "Read more" link, a
    subscription prompt and a footer, each naming the company where a careless reader would quote it."""
    esc = [p.replace("&", "&amp;") for p in paragraphs]
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{headline.replace('&', '&amp;')} | Sierra Business Journal</title>
<meta property="article:published_time" content="{published}"></head><body>
<header><nav><a href="/">Home</a> <a href="/business">Business</a></nav></header>
<article><h1>{headline.replace('&', '&amp;')}</h1><p class="byline">By Jo Park</p>
<figure><img src="/dock.jpg"><figcaption>Harbor &amp; Pine's new Reno cross-dock opened in 2026.
(Photo: Getty Images)</figcaption></figure>
{''.join(f'<p>{p}</p>' for p in esc)}
<p>Read more: Harbor &amp; Pine's 2024 expansion in Sparks</p>
<p>Subscribe to our newsletter for more news about Harbor &amp; Pine and other Nevada companies.</p>
</article><footer><p>Copyright 2026 Sierra Business Journal. All rights reserved.</p></footer></body></html>"""


@pytest.fixture
def server():
    with LocalServer() as s:
        s.route("/robots.txt", body="User-agent: *\nDisallow: /members/\n", content_type="text/plain")
        yield s


def fetcher(**kw) -> Fetcher:
    return Fetcher(**{"crawl_delay": 0.0, "deadline": 10.0, "read_timeout": 5.0, **kw})


def news_fact(url: str, published: str | None = "2026-10-21") -> FoundFact:
    """What a news source reports: the headline (and a line of description) at the publication's name."""
    return FoundFact("news", f"{HEADLINE}: The logistics firm is growing in Nevada.", url, "Sierra Business Journal",
                     published, score=10.0)


# -- a page written here: exact answers ------------------------------------------------------------------
def test_the_quote_is_the_lede_and_the_sentence_that_goes_on_about_the_company(server):
    server.route("/news/42", status=301, headers={"Location": "/2026/10/harbor-pine-reno"}, content_type="")
    server.route("/2026/10/harbor-pine-reno", body=html(STORY))
    fact = news_fact(server.base + "/news/42")

    quoted = articles.quoted_fact(fetcher(), None, fact, COMPANY, now=NOW, headline=HEADLINE)

    final = server.base + "/2026/10/harbor-pine-reno"
    assert quoted.text == f"{LEDE} {NEXT}"
    assert (quoted.kind, quoted.source_url, quoted.source_title) == ("news", final, HEADLINE)
    assert quoted.published == "2026-10-21"  # the news source's date is kept
    assert (quoted.lang, quoted.score, quoted.off_site) == ("en", 10.0, False)
    # The text as read: the headline and the story, without the byline, caption, "Read more" or prompt.
    read = "\n".join([HEADLINE, *STORY])
    assert quoted.snapshot == Snapshot(f"{LEDE} {NEXT}", final, "2026-11-02T15:30:05+00:00",
                                       hashlib.sha256(read.encode("utf-8")).hexdigest())


def test_the_page_gives_the_date_and_headline_when_the_news_source_did_not(server):
    server.route("/a", body=html(STORY, published="2026-09-30T23:10:00-07:00"))
    quoted = articles.quoted_fact(fetcher(), None, news_fact(server.base + "/a", published=None), COMPANY, now=NOW)
    assert quoted.published == "2026-09-30"
    assert quoted.source_title == HEADLINE  # the page's own headline (its <h1>/title), not the publication
    # The news source's headline, carried on the fact, comes first.
    with_headline = replace(news_fact(server.base + "/a"), headline="Harbor & Pine adds 120 jobs in Reno")
    quoted = articles.quoted_fact(fetcher(), None, with_headline, COMPANY, now=NOW)
    assert quoted.source_title == "Harbor & Pine adds 120 jobs in Reno" and quoted.text == f"{LEDE} {NEXT}"


def test_captions_bylines_prompts_and_other_peoples_words_are_never_the_quote(server):
    # The company is named only in the caption, the "Read more" link, the subscription prompt and in the
    # attribution of a quote that says nothing about it; the story itself is about the region.
    story = [
        "Freight volumes across northern Nevada have grown for three years running, according to the state's trade "
        "office.",
        "“It is a good time to be in Reno,” said Dana Wu, the chief executive of Harbor & Pine.",
        "Local officials said road improvements near the interstate were planned for next spring.",
        "Warehouse space near the interstate is scarce, and rents rose 8 percent last year.",
    ]
    server.route("/region", body=html(story, headline="Reno's freight boom"))
    fact = news_fact(server.base + "/region")
    assert articles.quoted_fact(fetcher(), None, fact, COMPANY, now=NOW) is None
    assert articles.article_quote(html(story).encode(), "utf-8", server.base + "/region", COMPANY) is None


def test_a_page_that_never_names_the_company_gives_nothing(server):
    server.route("/other", body=html(STORY))
    assert articles.quoted_fact(fetcher(), None, news_fact(server.base + "/other"), "Cascadia Rail", now=NOW) is None


def test_an_article_that_is_gone_or_disallowed_gives_nothing(server):
    assert articles.quoted_fact(fetcher(), None, news_fact(server.base + "/missing"), COMPANY, now=NOW) is None
    server.route("/members/story", body=html(STORY))
    assert articles.quoted_fact(fetcher(), None, news_fact(server.base + "/members/story"), COMPANY, now=NOW) is None
    assert server.hits("/members/story") == 0  # robots.txt said no: never asked for


def test_cancel_propagates_from_the_fetch_and_from_the_parse(server):
    server.route("/a", body=html(STORY))
    stop = threading.Event()
    stop.set()
    with pytest.raises(Cancelled):
        articles.quoted_fact(fetcher(cancel=stop), None, news_fact(server.base + "/a"), COMPANY, now=NOW)

    class CancelledParse:  # the parse worker's answer when Cancel is pressed while it reads
        def call(self, *args, **kwargs):
            raise Cancelled()

    with pytest.raises(Cancelled):
        articles.quoted_fact(fetcher(), CancelledParse(), news_fact(server.base + "/a"), COMPANY, now=NOW)


def test_the_page_is_read_in_the_parse_worker_child_when_one_is_given(server):
    server.route("/a", body=html(STORY))
    fact = news_fact(server.base + "/a")
    worker = ParseWorker(preload=())
    try:
        in_child = articles.quoted_fact(fetcher(), worker, fact, COMPANY, now=NOW, headline=HEADLINE)
        assert worker.pid is not None  # a child process did the reading
    finally:
        worker.close()
    assert in_child == articles.quoted_fact(fetcher(), None, fact, COMPANY, now=NOW, headline=HEADLINE)
    assert in_child.text == f"{LEDE} {NEXT}"


def test_a_page_the_parser_fails_on_keeps_the_headline(server):
    server.route("/a", body=html(STORY))

    class FailingParse:
        def call(self, *args, **kwargs):
            from app.research.worker import WorkerError
            raise WorkerError("RecursionError", "maximum recursion depth exceeded")

    assert articles.quoted_fact(fetcher(), FailingParse(), news_fact(server.base + "/a"), COMPANY, now=NOW) is None


def test_a_long_lede_is_cut_at_a_clause_and_a_second_sentence_needs_the_company():
    long_lede = ("Harbor & Pine Logistics, the freight company founded in Sparks in 1998 by two former railroad "
                 "dispatchers, opened a second cross-dock in Reno on Tuesday, adding 120 jobs, three loading bays "
                 "for refrigerated trucks, a training room for new drivers and a yard for 60 trailers near the "
                 "interstate, which it had bought last year.")
    story = [long_lede, "Rents near the interstate rose 8 percent last year, brokers said.", *STORY[3:]]
    quote = articles.article_quote(html(story).encode(), "utf-8", "http://127.0.0.1/a", COMPANY)["quote"]
    assert quote.startswith("Harbor & Pine Logistics, the freight company founded in Sparks") and quote.endswith("…")
    assert len(quote.split()) <= articles.MAX_WORDS
    assert "Rents" not in quote  # the next sentence is not about the company


# -- real articles ----------------------------------------------------------------------------------------
# (article id, the company asked about, how its quote starts): the lede, or the sentence that says it.
REAL = [
    ("bc13ff87b2630ffb", "WeWork", "More than a third of WeWork’s 12,000 employees will likely receive notice"),
    ("374ac9a59a85196c", "Emirates", "DUBAI, United Arab Emirates — Dubai's flagship carrier Emirates Airline "
                                     "finalized a deal to purchase 30 of Boeing's 787-9 Dreamliner jets"),
    ("d48aeb9cf2f2ff15", "Instagram", "Instagram began testing hiding public like counts globally on Thursday"),
    ("8634d1211c3f2b73", "GateHouse Media", "The merger of the big newspaper chains Gannett and GateHouse Media"),
    # The lede is set in a <div> of its own, which extraction leaves out; the page's description finds it.
    ("232a43fb15abde80", "Apple", "Following the 16-inch MacBook Pro, Apple plans to release a new 13-inch MacBook"),
    # A press release: its own announcement, not the "About Ascom" boilerplate at its end.
    ("5ae11e580afc12d3", "Ascom", "Ascom and GE Healthcare announce a strategic distribution partnership"),
]


@pytest.fixture(scope="module")
def corpus_server():
    if not CORPUS.is_dir():
        skip_or_fail(f"the article corpus is not at {CORPUS} (it lives in ../shared next to the repo)")
    with LocalServer() as s:
        s.route("/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")
        for folder in CORPUS.iterdir():
            if (folder / "source.html").is_file():
                s.route(f"/{folder.name}", body=(folder / "source.html").read_bytes(), content_type="text/html")
        yield s


@pytest.mark.parametrize("article, company, start", REAL, ids=[r[0] for r in REAL])
def test_real_articles_are_quoted_from_their_story(corpus_server, article, company, start):
    expected = json.loads((CORPUS / article / "expected.json").read_text(encoding="utf-8"))
    fact = FoundFact("news", "a headline", f"{corpus_server.base}/{article}", "A publication", None)

    quoted = articles.quoted_fact(fetcher(), None, fact, company, now=NOW)

    assert quoted is not None and quoted.text.startswith(start)
    assert quoted.snapshot.quote == quoted.text and quoted.snapshot.url == f"{corpus_server.base}/{article}"
    body = (CORPUS / article / "source.html").read_bytes()
    tree = parse_tree(body)
    meta = extract_metadata(None, fact.source_url, tree=tree)
    description = None if meta.description_from_text else meta.description
    read = articles.article_text(articles.article_paragraphs(tree, fact.source_url, description))
    assert quoted.snapshot.sha256 == hashlib.sha256(read.encode("utf-8")).hexdigest()
    # Every sentence of the quote is the story's own (the human reader's text), word for word.
    story = words_of(expected["articleBody"])
    if article != "5ae11e580afc12d3":  # (its standfirst, above the body a reader extracted)
        for sentence in articles.split_sentences(quoted.text.rstrip("…")):
            assert words_of(sentence) in story


def words_of(text: str) -> str:
    return " ".join(re.findall(r"\w+", text))
