"""A page's text as blocks (paragraphs, headings, list items, table cells), each with its date.

Two passes over the page's one tree. Precision first: trafilatura's main-text extraction, which
drops navigation, footers and sidebars on a well-marked page. When that finds next to nothing
(older table layouts, contact pages, pages of short blocks), a recall pass walks the whole body
block by block, leaving out only what is plainly furniture, and ranking decides what is worth
citing. A line break (<br>) stays inside its block as "\\n": the sentence splitter decides
whether it ends a sentence.
"""
from __future__ import annotations

import re
import warnings
from copy import copy
from dataclasses import dataclass, replace

from .dates import date_in, is_date_line
from .htmltree import INVISIBLE, classes, elements

# Below this much main text in precision mode, the page gets the recall pass.
THIN_TEXT = 400
THIN_SENTENCES = 3

_BLOCK_TAGS = frozenset({
    "p", "div", "td", "th", "li", "dt", "dd", "tr", "table", "tbody", "thead", "tfoot", "ul", "ol", "dl",
    "blockquote", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "center",
    "address", "figure", "figcaption", "caption", "hr", "body", "aside", "details", "summary", "fieldset", "legend",
})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_FINISHED = re.compile(r"[.!?…:;。！？][\"'”’)\]]*$")
_END = object()  # marks where a block element closes, in the walk below
# Furniture in any layout: menus, footers, form controls. (Not <form> itself: ASP.NET pages wrap
# the whole page in one.)
_SKIP_TAGS = frozenset({"nav", "footer", "select", "button", "menu", "dialog", "label", "option", "input",
                        "textarea", "map"}) | INVISIBLE
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|menubar|breadcrumbs?|footer|cookies?|consent|gdpr|skip|copyright"
    r"|social|share|sharing|newsletter|signup|login|search|pagination|pager|sitemap|topbar|toolbar|cart|basket)"
    r"(?:$|[\s_-]|\d)", re.I)


# Customers' words in a box of their own: a quotation, not the company's claim.
_QUOTE = re.compile(r"(?:^|[\s_-])(?:testimonials?|testemonials?|reviews?|quotes?|feedback|endorsements?)(?:$|[\s_-]|\d)",
                    re.I)


@dataclass(frozen=True)
class Block:
    text: str  # white space collapsed, except "\n" where the page had a line break
    kind: str  # "p", "heading", "item", "cell", "quote" (a quotation or testimonial)
    date: str | None = None  # ISO date of the dated item this block belongs to


def page_blocks(tree, url: str) -> tuple[list[Block], str]:
    """The page's blocks and the pass that found them ("precision" or "recall")."""
    blocks = precision_blocks(tree, url)
    if _thin(blocks):
        return with_dates(run_on(recall_blocks(tree))), "recall"
    return with_dates(run_on(blocks)), "precision"


def run_on(blocks: list[Block]) -> list[Block]:
    """Paragraphs that are lines of one sentence (a page that sets each line in its own <p>) joined:
    an unfinished paragraph followed by one that starts in lower case."""
    out: list[Block] = []
    for block in blocks:
        if (out and block.kind == out[-1].kind and block.kind in ("p", "item") and block.text[:1].islower()
                and not _FINISHED.search(out[-1].text)):
            out[-1] = replace(out[-1], text=f"{out[-1].text}\n{block.text}")
        else:
            out.append(block)
    return out


def _thin(blocks: list[Block]) -> bool:
    prose = [b.text for b in blocks if b.kind != "heading"]
    long_lines = sum(1 for t in prose if len(t.split()) >= 8)
    return sum(len(t) for t in prose) < THIN_TEXT or long_lines < THIN_SENTENCES


# -- precision: trafilatura ---------------------------------------------------------------------
def precision_blocks(tree, url: str) -> list[Block]:
    # fast: no second opinion from readability/justext; the recall pass is ours. trafilatura's <quote>
    # holds <pre> text as well as quotations: content cues decide (rank.py).
    return [Block(text, kind) for text, kind in trafilatura_paragraphs(tree, url, {"quote": "p"}, fast=True,
                                                                       favor_precision=True)]


def trafilatura_paragraphs(tree, url: str, kinds: dict | None = None, **options) -> list[tuple[str, str]]:
    """(text, kind) of each paragraph, heading, list item, cell and quote trafilatura keeps as the page's
    main text (options: its own, e.g. fast, favor_precision); kinds renames kinds ({"quote": "p"})."""
    from trafilatura import bare_extraction  # heavy import, needed only once a page is read

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            # deduplicate stays off: trafilatura's de-duplication remembers text across calls in a
            # process-wide cache, so researching a company twice would lose its paragraphs.
            doc = bare_extraction(copy(tree), url=url, include_comments=False, include_tables=False,
                                  deduplicate=False, with_metadata=False, **options)
        except Exception:  # noqa: BLE001 - a page trafilatura chokes on has no main text for us
            return []
    body = getattr(doc, "body", None) if doc is not None else None
    if body is None:
        return []
    names = {"p": "p", "head": "heading", "item": "item", "cell": "cell", "quote": "quote", **(kinds or {})}
    out: list[tuple[str, str]] = []
    for el in elements(body):
        if el.tag not in names or any(a.tag in ("p", "head", "item", "cell", "quote") for a in el.iterancestors()):
            continue
        text = collapse("".join(_xml_text(el)))
        if text:
            out.append((text, names[el.tag]))
    return out


def _xml_text(el):
    """Text of one of trafilatura's output elements, its <lb/> line breaks kept as "\\n"."""
    if el.text:
        yield el.text
    for child in el:
        if child.tag == "lb":
            yield "\n"
        elif child.tag in ("item", "cell", "row", "list"):
            yield "\n"  # a list or table inside a paragraph
            yield from _xml_text(child)
        else:
            yield from _xml_text(child)
        if child.tail:
            yield child.tail


# -- recall: every block of the body -----------------------------------------------------------------
def recall_blocks(tree) -> list[Block]:
    """Every block of text in the body, in order, furniture left out."""
    body = next(elements(tree, "body"), None)
    if body is None:
        return []
    out: list[Block] = []
    buffer: list[str] = []
    kinds = ["p"]
    # A "menu" or "nav" box that holds most of the page is the page (old sites wrap it all in one).
    most = 0.4 * len(body.text_content())

    def flush() -> None:
        text = collapse("".join(buffer))
        buffer.clear()
        if text:
            out.append(Block(text, kinds[-1]))

    stack: list = list(reversed(body))  # elements to visit, strings (text, tails), and _END marks
    if body.text:
        buffer.append(body.text)
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            buffer.append(item)
        elif item is _END:  # a block element closes
            flush()
            kinds.pop()
        elif not isinstance(item.tag, str) or _furniture(item, most):
            if item.tail:
                buffer.append(item.tail)
        elif item.tag in _BLOCK_TAGS:
            flush()
            kinds.append("quote" if kinds[-1] == "quote" or item.tag == "blockquote" or _QUOTE.search(classes(item))
                         else "heading" if item.tag in _HEADINGS else "item" if item.tag == "li"
                         else "cell" if item.tag in ("td", "th") else "p")
            # Popped in order: its text, its children, its end, then its tail.
            if item.tail:
                stack.append(item.tail)
            stack.append(_END)
            stack.extend(reversed(item))
            if item.text:
                stack.append(item.text)
        else:  # inline: text, children and tail run on in the same block
            if item.tail:
                stack.append(item.tail)
            if item.tag == "br":
                buffer.append("\n")
            elif item.tag == "sup" and (item.text or "").strip().isdigit():
                continue  # a footnote mark, which would glue to the next word ("24See")
            else:
                stack.extend(reversed(item))
                if item.text:
                    buffer.append(item.text)
    flush()
    return out


def _furniture(el, most: float) -> bool:
    if el.tag in _SKIP_TAGS:
        return True
    if el.get("hidden") is not None or "display:none" in (el.get("style") or "").replace(" ", "").lower():
        return True
    role = (el.get("role") or "").lower()
    if role in ("navigation", "search", "banner", "contentinfo", "menu", "menubar", "dialog"):
        return True
    marker = classes(el)
    return bool(marker.strip()) and bool(_FURNITURE.search(marker)) and len(el.text_content()) < most


_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u3000]+")
_BREAKS = re.compile(r" *\n[ \n]*")


def collapse(text: str) -> str:
    """White space collapsed to single spaces; line breaks kept as one "\\n" (two or more as "\\n\\n")."""
    text = _SPACES.sub(" ", text)
    text = _BREAKS.sub(lambda m: "\n\n" if m.group().count("\n") > 1 else "\n", text)
    return text.strip(" \n")


# -- dates of items ------------------------------------------------------------------------------------
def with_dates(blocks: list[Block]) -> list[Block]:
    """Each block dated by the item it belongs to: an item starts at a heading or at a date line,
    and takes the first date found in it (a date line, or a date opening a block)."""
    items: list[list[int]] = []
    after_heading = False
    for i, block in enumerate(blocks):
        starts = block.kind == "heading" or (is_date_line(block.text) and not after_heading)
        if starts or not items:
            items.append([])
        items[-1].append(i)
        after_heading = block.kind == "heading"
    dated = list(blocks)
    for item in items:
        found = next((d for d in (date_in(blocks[i].text, leading_only=not is_date_line(blocks[i].text))
                                  for i in item) if d), None)
        if found:
            for i in item:
                dated[i] = replace(blocks[i], date=found)
    return dated
