"""What the news APIs share: their items as facts about the company, and reading their answers.

An item counts only when its title or description names the company as whole words, legal endings
ignored ("Acme, Inc." is "Acme"; "General Motors" is not "general election"). NewsAPI marks deleted
articles "[Removed]": they are dropped.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from app.core import dates

from ..errors import FetchError
from ..facts import FoundFact
from ..rank import recency
from ..sentences import split_sentences
from .api import said
from .base import domain, link, names_company, plain

MAX_ITEMS = 10
# A backslash and the character after it, as a pair: an escaped backslash never starts another escape.
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_ARTICLES = re.compile(r'"articles"\s*:\s*\[')
_RECORD_START = re.compile(r"\s*\{")
_NEXT_RECORD = re.compile(r"\}\s*,\s*(?=\{)")
_BETWEEN = re.compile(r"\s*,")


@dataclass(frozen=True)
class NewsItem:
    title: str
    description: str
    url: str
    publication: str  # the publication's name or domain
    published: str | None  # ISO date the article was published, when the API says so
    seen: str | None = None  # when the API saw it, when that is all it says (GDELT)


def first_sentence(text: str, limit: int = 240) -> str:
    """The description's first sentence (abbreviations and initials don't end it), at most limit characters."""
    text = " ".join(text.split())
    parts = split_sentences(text)
    first = parts[0] if parts else text
    return first if len(first) <= limit else first[:limit].rsplit(" ", 1)[0] + "…"


def facts(items: list[NewsItem], company: str) -> list[FoundFact]:
    """The items about the company, as facts (headline, and the description's first sentence)."""
    out = []
    for item in items:
        if not item.title or item.title.strip() == "[Removed]" or not item.url:
            continue
        if not names_company(company, f"{item.title} {item.description}"):
            continue
        text = item.title if not item.description else f"{item.title}: {first_sentence(item.description)}"
        where = item.publication or domain(item.url)
        if item.seen and not item.published:
            where = f"{where} (seen by GDELT on {item.seen}; publication date unknown)"
        out.append(FoundFact("news", text, item.url, where, item.published,
                             score=recency(item.published or item.seen), headline=item.title))
        if len(out) >= MAX_ITEMS:
            break
    return out


def json_object(body: bytes, url: str, label: str, lenient: bool = False) -> dict:
    """The answer as a JSON object, or a plain FetchError saying what came instead. lenient: raw control
    characters inside strings and invalid escapes ("\\'") are read rather than losing the whole answer."""
    text = body.decode("utf-8", "replace").strip()
    if text and not text.startswith(("{", "[", "<")):
        # An API talking in plain text (an error, throttling): what it said is the message.
        raise FetchError("http-status", url, f"{label} said: {said(body)}")
    try:
        data = json.loads(text, strict=not lenient)
    except ValueError as e:
        data, error = None, e
        if lenient:
            repaired = _ESCAPE.sub(_escape, text)
            try:
                data = json.loads(repaired, strict=False)
            except ValueError as e2:
                data, error = _one_by_one(repaired), e2
        if data is None:
            raise FetchError("parse-failed", url, f"{label} sent an answer that is not valid JSON "
                                                  f"({error.args[0][:80]}).") from None
    if not isinstance(data, dict):
        raise FetchError("parse-failed", url, f"{label}'s answer was {kind_of(data)}, not the object its "
                                              "documentation describes, so its news could not be read.")
    return data


def _escape(match: re.Match) -> str:
    """A valid JSON escape as it is; an invalid one ("\\'") as the character it meant ("'")."""
    return match.group(0) if match.group(1) in '"\\/bfnrtu' else match.group(1)


def _one_by_one(text: str) -> dict | None:
    """{"articles": [...]} with each record that reads on its own, when the whole does not: one
    broken record (an unescaped quote in a title) costs only itself. None when none reads.
    The records are flat objects, so "}, {" is where the next one starts."""
    start = _ARTICLES.search(text)
    if not start:
        return None
    decoder = json.JSONDecoder(strict=False)
    articles, pos = [], start.end()
    while at := _RECORD_START.match(text, pos):
        try:
            record, pos = decoder.raw_decode(text, at.end() - 1)
        except ValueError:
            skip = _NEXT_RECORD.search(text, at.end())
            if not skip:
                break
            pos = skip.end()
            continue
        articles.append(record)
        between = _BETWEEN.match(text, pos)
        if not between:
            break
        pos = between.end()
    return {"articles": articles} if articles else None


def kind_of(value) -> str:
    """A JSON value's type in plain words."""
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number", type(None): "empty (null)"}.get(type(value), type(value).__name__)


def article_list(data: dict, url: str, label: str) -> list:
    """data["articles"]: a list, or nothing at all (GDELT answers {} when nothing matched)."""
    articles = data.get("articles")
    if articles is None:
        return []
    if not isinstance(articles, list):
        raise FetchError("parse-failed", url, f"{label}'s answer had 'articles' as {kind_of(articles)}, not a "
                                              "list, so its news could not be read.")
    return [a for a in articles if isinstance(a, dict)]


def common_articles(data: dict, url: str, label: str) -> list[NewsItem]:
    """NewsAPI and GNews answer in one shape: {"articles": [{title, description, url, publishedAt,
    source: {name, ...}}]}."""
    items = []
    for a in article_list(data, url, label):
        title, where = plain(a.get("title")), link(a.get("url"))
        if not title or not where:
            continue
        publication = a.get("source")
        publication = plain(publication.get("name")) if isinstance(publication, dict) else ""
        items.append(NewsItem(title, plain(a.get("description")), where, publication or domain(where),
                              dates.day(a.get("publishedAt"))))
    return items
