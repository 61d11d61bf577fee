"""One fetched page, taken apart: metadata, main text, dates, snippets, language, links and feeds.

The page is parsed once (htmltree.parse_tree) and every step reads that one tree.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from app.core import urls

from . import language, names, structure
from .blocks import page_blocks
from .fetcher import Fetched
from .htmltree import decode_html, feed_links, page_links, parse_tree, sniff_encoding  # noqa: F401 - re-exported
from .metadata import PageMeta, extract_metadata
from .snippets import Snippet, best_snippets, pick, ranked_sentences  # noqa: F401 - best_snippets re-exported
from .sources import boards as job_boards

# A page of customers' words about the company: none of it is the company's own claim.
_TESTIMONIAL_PAGE = re.compile(r"testimonial|testemonial|reviews?\b|what[-_ ]our[-_ ](?:customers|clients)[-_ ]say"
                               r"|kind[-_ ]words|success[-_ ]stories", re.IGNORECASE)


@dataclass(frozen=True)
class PageResult:
    url: str  # the final URL: what facts cite
    category: str  # home, about, news, careers, products
    meta: PageMeta
    published: str | None
    text: str
    snippets: tuple[Snippet, ...]
    links: tuple[tuple[str, str], ...]
    feeds: tuple[str, ...]
    lang: str | None = None  # the language most of the page's text is in ("en"), None when unsure
    extraction: str = "precision"  # which pass found the text: "precision", or "recall" on a thin page
    names_company: bool | None = None  # whether the page names the company it was read for (None: no name)
    other_links: tuple[str, ...] = ()  # same-site links of no category (contact, history, a service page...)
    testimonials: bool = False  # a page of customers' words (nothing on it is the company's own claim)
    names: tuple[str, ...] = ()  # what the page calls the company: the rep's name, the site's, its brand
    # Statements written from the page's title, main heading and labelled lists (structure.py): shown
    # when the page's own sentences give few facts.
    structure: tuple[str, ...] = ()
    # Hiring signals: the public job boards the page links to, embeds or loads (sources.base.Board), and
    # its JobPosting JSON-LD as plain records (metadata.PageMeta.job_postings).
    boards: tuple = ()
    job_postings: tuple = ()


def main_text(html: str, url: str) -> str:
    """The page's own content (not navigation, footer or cookie banners), one block per line."""
    blocks, _ = page_blocks(parse_tree(html), url)
    return "\n".join(" ".join(b.text.split()) for b in blocks)


def page_date(html, meta: PageMeta, category: str = "news") -> str | None:
    """The page's own date: from its metadata, else (news pages only: elsewhere a date in the text
    is a copyright year or an event, not the page's) htmldate's best guess. html may be the tree."""
    if meta.published:
        return meta.published
    if category not in ("news", "page"):
        return None
    from htmldate import find_date  # imported late: it is only needed when the page gives no date

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return find_date(html, extensive_search=False, original_date=True)
        except Exception:  # noqa: BLE001 - a date is a bonus; a broken page must not lose its facts
            return None


def analyze_page(fetched: Fetched, home: str, category: str, seen: list | None = None,
                 snippet_limit: int = 5, company: str | None = None) -> PageResult:
    """company: the prospect's name, if the rep gave one (ranking and the wrong-site check use it)."""
    html, _ = decode_html(fetched.body, fetched.charset)
    url = fetched.final_url
    tree = parse_tree(html)
    every_link = page_links(tree, url, home, other=True)
    links = tuple((u, c) for u, c in every_link if c != "other")
    other_links = tuple(u for u, c in every_link if c == "other")
    feeds = tuple(feed_links(tree, url))
    meta = extract_metadata(None, url, tree=tree)
    blocks, extraction = ([], "none") if meta.js_only else page_blocks(tree, url)
    text = "\n".join(" ".join(b.text.split()) for b in blocks)
    page_lang = language.detect(text[:6000] or (meta.description or ""), meta.lang)
    org = meta.organization or {}
    host = urls.site(url)
    site_label = host.split(".")[0] if host and not host.replace(".", "").isdigit() else None  # "toledocars"
    body = next(iter(tree.iter("body")), tree)
    seen_text = " ".join(body.itertext())
    known = [company, meta.site_name, org.get("name"), org.get("legalName")]
    # A title's parts are mostly topics ("Wet Room Installation"); a part counts as a name of the
    # company when nothing else names it, or when the page repeats it (the brand the site goes by).
    titled = [t for t in names.title_names(meta.title, alone=True)
              if not any(known) or len(re.findall(rf"(?i)\b{re.escape(t)}\b", seen_text)) >= 2]
    known = [n for n in dict.fromkeys(known + [site_label] + titled) if n]
    firm = names.company(known, short_forms=True)
    testimonial_page = bool(_TESTIMONIAL_PAGE.search(urls.path(url) + " " + (meta.title or "")))
    published = page_date(tree, meta, category)
    ranked = ranked_sentences(blocks, firm, page_lang, testimonial_page)
    # A listing with dated items dates each of its sentences itself; the page's own date is only for
    # a page that is one item.
    dated_items = len({b.date for b in blocks if b.date})
    fallback = published if dated_items <= 1 else None
    snippets = tuple(Snippet(s.text, s.score, s.published or fallback, s.lang, s.reasons)
                     for s in pick(ranked, snippet_limit, seen))
    derived: tuple[str, ...] = ()
    if category not in ("news", "careers") and not testimonial_page and not meta.js_only:
        # (Not the title's own parts as names here: "Acme | Roof Repair" would make "Roof Repair" a name.)
        own = names.company([company, meta.site_name, org.get("name"), org.get("legalName"), site_label],
                            short_forms=True)
        derived = tuple(structure.structure_facts(tree, own, [company, meta.site_name, org.get("name")], page_lang))
    names_company = None
    if company:
        named = names.company([company], short_forms=True)
        # Anywhere on the page a reader sees, headers included (not only the main text).
        names_company = named.named_in(" ".join(filter(None, (meta.title, meta.site_name, meta.description,
                                                              org.get("name"), seen_text, host.replace(".", " ")))))
    return PageResult(url, category, meta, published, text, snippets, links, feeds, page_lang, extraction,
                      names_company, other_links, testimonial_page, tuple(known), derived,
                      tuple(job_boards.detect(tree, url)), meta.job_postings)
