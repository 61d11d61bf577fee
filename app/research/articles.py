"""Reading a news article found about a company: its text, and the sentences that say what happened to it.

A news source gives a headline and a line of description; the article itself says what happened,
usually in its first sentences (the lede). article_quote() reads the page (in the parse worker's
child process: the bytes are a website's) and picks the one or two sentences that name the company
and carry an event, a number, a date or words said about it; captions, bylines, "Read more" lines,
subscription prompts and other people's quotes that say nothing about the company are never picked.
quoted_fact() fetches the article and turns a news fact into one that quotes it, with a snapshot of
where and when the quote was read.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from app.core import dates
from app.core.tokens import ALNUM_RE

from . import language, names
from .blocks import THIN_SENTENCES, THIN_TEXT, collapse, trafilatura_paragraphs
from .errors import Cancelled, FetchError
from .facts import FoundFact, Snapshot
from .htmltree import INVISIBLE, classes, decode_html, elements, inner_text, parse_tree
from .metadata import extract_metadata
from .sentences import split_sentences, trim, words

TARGET = "app.research.articles:article_quote"  # what the parse worker runs
MIN_WORDS = 6  # shorter than this is a label, a caption or a fragment
MAX_WORDS = 50  # one sentence longer than this is cut at a clause (sentences.trim), ending in "…"
MAX_QUOTE_WORDS = 60  # a second sentence is added only while the quote stays this short
LEDE = 3  # the first sentences of an article: where a news story says what happened


@dataclass(frozen=True)
class Para:
    text: str
    kind: str  # "p", "heading", "item", "quote", "cell"


# -- the article's text -------------------------------------------------------------------------------
def article_paragraphs(tree, url: str, description: str | None = None) -> list[Para]:
    """The article's own paragraphs: trafilatura's precision pass (not its fast mode: on news pages the
    slower pass keeps more of the story and less of the page around it); its default pass when that
    finds next to nothing. description: the page's own summary (meta description), which is often
    the lede: when the extraction missed the paragraph it begins, that paragraph is put first."""
    paragraphs = _extracted(tree, url, favor_precision=True)
    if _thin(paragraphs):
        fuller = _extracted(tree, url)
        if sum(len(p.text) for p in fuller) > sum(len(p.text) for p in paragraphs):
            paragraphs = fuller
    lede = _lede(tree, description, paragraphs) if description else None
    return [lede, *paragraphs] if lede else paragraphs


def _extracted(tree, url: str, **options) -> list[Para]:
    return [Para(text, kind) for text, kind in trafilatura_paragraphs(tree, url, **options)]


# Inline elements: a paragraph's text runs on through them.
_INLINE = frozenset({"a", "em", "strong", "b", "i", "u", "span", "small", "sup", "sub", "abbr", "cite", "q", "mark",
                     "time", "font", "code", "s", "del", "ins", "bdi", "bdo", "data", "dfn", "kbd", "var", "wbr"})
_AROUND = frozenset({"header", "footer", "nav", "aside", "form", "menu", "figcaption"})
_AROUND_CLASS = re.compile(r"(?:^|[\s_-])(?:header|footer|nav\w*|menu|sidebar|related|promo|teaser|newsletter)"
                           r"(?:$|[\s_-])", re.IGNORECASE)
LEDE_KEY_WORDS = 8  # the description's first words that must open the paragraph found


def _key(text: str) -> str:
    return " ".join(ALNUM_RE.findall(text.lower()))


def _lede(tree, description: str, paragraphs: list[Para]) -> Para | None:
    """The paragraph on the page that the description opens, when the extraction left it out (a lede
    set in a <div> of its own, a "leader" span): the text from its start up to a blank line or a block."""
    key = " ".join(_key(description).split()[:LEDE_KEY_WORDS])
    if len(key.split()) < LEDE_KEY_WORDS or key in _key(" ".join(p.text for p in paragraphs)):
        return None
    opening = " ".join(key.split()[:3])
    body = next(elements(tree, "body"), None)
    for el in elements(body) if body is not None else ():
        if el.tag in INVISIBLE or not el.text or not _key(el.text).startswith(opening):
            continue
        if any(a.tag in _AROUND or _AROUND_CLASS.search(classes(a)) for a in (el, *el.iterancestors())):
            continue  # the site's tagline in its header or footer is no lede
        text = _inline_run(el)
        if _key(text).startswith(key):
            return Para(text, "p")
    return None


def _inline_run(el) -> str:
    """el's text up to its first block child or blank line (two <br>s)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            if child.tag == "br":
                parts.append("\n")
            elif child.tag in _INLINE:
                parts.append(inner_text(child))
            else:
                break
        parts.append(child.tail or "")
    return collapse("".join(parts)).split("\n\n")[0].strip()


def _thin(paragraphs: list[Para]) -> bool:
    prose = [p.text for p in paragraphs if p.kind != "heading"]
    return sum(len(t) for t in prose) < THIN_TEXT or sum(1 for t in prose if len(t.split()) >= 8) < THIN_SENTENCES


def article_text(paragraphs: list[Para]) -> str:
    """The article's text as read, one paragraph a line, captions, bylines and prompts ("Read more",
    "Subscribe") left out: what the snapshot's hash is taken of, so that a later copy of the same
    story hashes the same when only the page around it changed."""
    return "\n".join(" ".join(p.text.split()) for p in paragraphs if not _not_story(p.text))


# -- what is not the story --------------------------------------------------------------------------------
# Captions and credits, bylines and datelines, links to other stories, subscription and sharing prompts.
# (Narrow on purpose: "By 2025, Acme will...", "Acme sued over copyright" and "Acme's new cookies" are news.)
_CAPTION = re.compile(
    r"\b(?:getty images|ap photo|afp (?:via getty|photo)|afp/|/afp|\(afp\)|reuters/|/reuters|shutterstock|istock\w*"
    r"|alamy|bloomberg via|image credit|photo credit|file photo|photograph(?:ed)? by|photo(?:s|graph)? by|image by"
    r"|illustration by"
    r"|video by|credit:|\((?:photo|image|file|pictured)\b|pictured(?: above| below| left| right| here)?:)"
    r"|^(?:photo|image|picture|photograph|caption|video|watch|listen|gallery|illustration|graphic)\s*[:|]",
    re.IGNORECASE)
_BYLINE = re.compile(
    r"\b(?:contributed (?:to )?this (?:report|story|article)|is a (?:staff |senior |freelance )?(?:reporter|writer"
    r"|correspondent|editor|columnist|contributor) (?:at|for|with)|reach (?:him|her|them) at|follow (?:him|her|them)"
    r" on|\d+\s+min(?:ute)?s?\s+read)\b"
    r"|^(?:(?:last )?updated|last modified|published|posted)\s*(?:on|:|at)?\s*\w+\s+\d", re.IGNORECASE)
# "By Jo Park", "Reporting by Jo Park; Editing by Sam Lee": a short line of names.
_BYLINE_START = re.compile(r"^(?:(?:posted|written|words|reporting|reported|editing|edited|compiled|story|additional"
                           r" reporting|with reporting|text|photos?) )?by\s", re.IGNORECASE)
_NAME_JOINERS = frozenset({"and", "by", "&", "editing", "reporting", "additional", "with", "de", "van", "von", "da",
                           "del", "in", "for", "the"})
_PROMPT = re.compile(
    r"\b(?:read more|read also|also read|read next|related(?: stories| articles| coverage)?:|see also|recommended"
    r"(?: for you)?:|click here|tap here|sign up (?:for|to|now|here)|subscribe (?:to|now|today|for|here)"
    r"|subscribers? only|already a subscriber|become a (?:member|subscriber)|(?:our|free|daily|weekly) newsletter"
    r"|start (?:your|a) free trial|log ?in to|sign in to|create an account|follow us|like us on"
    r"|share this (?:article|story|post|page)|share on (?:facebook|twitter|linkedin|whatsapp|x\b)"
    r"|download (?:the|our) app|sponsored content"
    r"|paid content|all rights reserved|copyright (?:©|\d{4})|this (?:article|story) (?:was|has been|originally"
    r"|first) (?:\w+ )?(?:published|appeared|updated|corrected)|continue reading|keep reading|get the latest"
    r"|don't miss|want more\?|support (?:our|independent) journalism|(?:uses|accept|our) cookies|cookie (?:policy"
    r"|settings)|enable javascript|we (?:may )?earn (?:a )?(?:commission|affiliate)|affiliate links?"
    r"|contact (?:us|the author)|email us|tips? (?:to|at) \S+@|send (?:us )?(?:a )?tips?)\b"
    r"|^(?:advertisement|sponsored|more from|related)\b|©", re.IGNORECASE)
_CODEISH = re.compile(r"https?://|www\.\w|\S+@\S+\.\w+|\S{40,}|[{}<>=\\|]")

# What makes a sentence news about the company: something it did or that happened to it.
_EVENT = re.compile(
    r"\b(?:announc\w*|launch\w*|unveil\w*|introduc\w*|releas\w*|debut\w*|acquir\w*|acquisition|bought|buy(?:s|ing)?"
    r"|sold|sell(?:s|ing)?|merg\w*|takeover|deal|agreement|agreed|agrees|signed|signs|inks?|inked|partner\w*"
    r"|order(?:s|ed)?|contract\w*|awarded|won|wins|win|opened|opens|opening|closed|closes|closing|shut\w*"
    r"|expand\w*|expansion|invest\w*|raised|raises|raising|funding|round|ipo|listing|listed|filed|files|filing"
    r"|lawsuit|sued|sues|settle\w*|fined|fine[sd]?|charged|recall\w*|reported|reports|posted|revenue|sales"
    r"|profit\w*|loss(?:es)?|earnings|quarter\w*|results|forecast\w*|guidance|shares?|stock|valuation|valued"
    r"|hir(?:e|es|ed|ing)|jobs?|lay(?:s|ing)? off|laid off|layoffs?|cuts?|cutting|job cuts|workforce|employees"
    r"|staff|appoint\w*|named|names|resign\w*|steps? down|stepped down|ceo|chief executive|founder|plans?|planned"
    r"|will|expects?|expected|aims?|moves?|moved|relocat\w*|build\w*|built|develop\w*|test\w*|began|begins?"
    r"|start\w*|complet\w*|delay\w*|cancel\w*|approv\w*|reject\w*|ban\w*|investigat\w*|probe|bankrupt\w*"
    r"|debt|loan|bid|bids|offer(?:s|ed)?|price[sd]?|pricing|customers|users|subscribers|record|growth|grew"
    r"|rose|fell|jumped|dropped|increas\w*|decreas\w*|doubl\w*|restructur\w*|spin[- ]?off|rebrand\w*|add(?:s|ed|ing)"
    r"|joins?|joined|found|discover\w*|detect\w*|confirm\w*|reveal\w*|show(?:s|ed)|spotted|warn\w*|reportedly"
    r"|accus\w*|arrest\w*|convicted|pleaded|guilty|elected|voted|chosen|selected|picked)\b",
    re.IGNORECASE)
_NUMBER = re.compile(r"[$€£¥₹]\s?\d|\d[\d,.]*\s?(?:%|percent|per cent|million|billion|trillion|bn|m\b|k\b)"
                     r"|\b\d[\d,.]*\b|\b(?:two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?"
                     r"|millions?|billions?|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b",
                     re.IGNORECASE)
# Something reported as done ("has spotted", "was sued"): a weaker sign of news than an event word.
_DONE = re.compile(r"\b[a-z]{2,}[^\We]ed\b|\b(?:has|have|had|will|was|were) (?:\w+ly )?[a-z]+(?:en|wn|t)\b")
# What a company is rather than what happened to it: the "About Acme" paragraph that ends a press
# release, and other profile lines.
_PROFILE = re.compile(r"\b(?:is|are) (?:a|an|the) (?:\w+ )?(?:leading|global|world|premier|provider|supplier|developer"
                      r"|manufacturer|maker|company|firm|solutions?)\b|\bheadquartered in\b|\bis based in\b"
                      r"|\bemploys (?:about |around |over |more than |some )?[\d,]+|\b(?:is|are) (?:listed|traded) on\b"
                      r"|\b(?:for|to learn) more (?:information|about)\b|\bour (?:vision|mission)\b"
                      r"|\b(?:vision|mission) of\b|\bstrives?\b", re.IGNORECASE)
_DATE = re.compile(r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december"
                   r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s+\d|\b(?:19|20)\d\d\b"
                   r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow"
                   r"|this (?:week|month|year|quarter)|last (?:week|month|year|quarter)|next (?:week|month|year"
                   r"|quarter)|earlier this)\b", re.IGNORECASE)
# A quotation with its attribution ('"...," said Jo Park, an analyst.'): the words are the speaker's.
_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]{3,})[\"“”„«»]")
_SAID = re.compile(r"\b(?:said|says|say|told|tells|added|adds|according to|wrote|writes|explained|noted|stated"
                   r"|commented|asked|argued|believes?)\b", re.IGNORECASE)
# An opener that points back to the sentence before: a second sentence may start so, a first may not.
_DANGLING = re.compile(r"^(?:but|and|or|so|also|however|meanwhile|still|yet|instead|then|that|this|these|those"
                       r"|such|both|which|it|its|they|their|he|she|his|her)\b", re.IGNORECASE)
# The company, unnamed, in the sentence after one that names it.
_REFERS = re.compile(r"^(?:the|its|this) (?:company|firm|group|business|carrier|airline|automaker|carmaker|maker"
                     r"|retailer|startup|start-up|bank|lender|insurer|chain|brand|manufacturer|giant|deal"
                     r"|agreement|acquisition|order|move|plan|partnership|contract|investment|expansion|plant"
                     r"|factory|facility|site|store|project|product|service|platform|app)\b|^(?:it|its|they|the two)\b",
                     re.IGNORECASE)
_FUNCTION = re.compile(r"\b(?:the|a|an|of|to|in|for|with|and|is|are|was|were|has|have|had|that|by|on|at|as|from"
                       r"|it|its|be|will|which|who)\b", re.IGNORECASE)
_FINISHED = re.compile(r"[.!。！][\"'”’»)\]]*$")
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|my|me)\b")


# -- choosing the sentences ------------------------------------------------------------------------
@dataclass(frozen=True)
class _Sentence:
    text: str
    index: int  # its place among the article's prose sentences (0: the first)
    para: int  # which paragraph it is in


def _sentences(paragraphs: list[Para]) -> list[_Sentence]:
    """The article's prose sentences in order: subheadings, labels and paragraphs that are captions,
    bylines or prompts left out (so that the lede is sentence 0 however the page begins)."""
    out: list[_Sentence] = []
    for i, para in enumerate(paragraphs):
        if para.kind == "heading" or _not_story(para.text):
            continue
        for text in split_sentences(para.text):
            if len(words(text)) >= MIN_WORDS:
                out.append(_Sentence(text, len(out), i))
    return out


SHORT = 220  # characters: a caption or a prompt is a line, not a paragraph that mentions "Getty" or "email us"


def _not_story(text: str) -> bool:
    """A caption, byline or prompt: no part of the story."""
    if _BYLINE.search(text) or _byline_line(text):
        return True
    prompt = _PROMPT.search(text)
    if prompt and (prompt.start() == 0 or len(text) < SHORT):
        return True
    return bool(_CAPTION.search(text)) and len(text) < SHORT


def _byline_line(text: str) -> bool:
    """A line of names after "By" ("By Jo Park and Sam Lee, Reuters"); not "By 2025, Acme will...")."""
    start = _BYLINE_START.match(text)
    if not start or len(text) > 160:
        return False
    rest = re.findall(r"[^\s,;|/()]+", text[start.end():])
    return bool(rest) and all(w[:1].isupper() or w.lower() in _NAME_JOINERS for w in rest)


def _unusable(text: str) -> bool:
    """Never part of a quote: page furniture, links, questions, cut-off or shouted text, and short
    unfinished lines (a list item, a label)."""
    return bool(_not_story(text) or _CODEISH.search(text) or text.rstrip("\"'”’)").endswith("?")
                or (not _FINISHED.search(text) and len(words(text)) < 15) or _keyword_list(text)
                or text.endswith(("...", "…")) or "\ufffd" in text
                or sum(c.isupper() for c in text) > 0.5 * sum(c.isalpha() for c in text))


def _keyword_list(text: str) -> bool:
    """Tags or keywords run together ("stock car 2018, stock car brasil, stock car interlagos, ..."):
    commas everywhere and next to no function words."""
    commas = text.count(",")
    return commas >= 4 and len(words(text)) / (commas + 1) < 4 and len(_FUNCTION.findall(text)) < commas


def _what_it_says(sentence: str, firm: names.Company) -> tuple[str, bool] | None:
    """The part of the sentence that carries its content, and whether it is someone's quoted words;
    None for someone's words that say nothing about the company (the company named only in the
    attribution: '"It's a great day," said Jo Park, Acme's chief executive.')."""
    quoted = " ".join(m.group(1) for m in _QUOTED.finditer(sentence))
    if not quoted:
        return sentence, False
    outside = _QUOTED.sub(" ", sentence)
    attribution = len(words(outside)) <= 16 and bool(_SAID.search(outside))
    if not attribution:
        return sentence, False  # a reporter's sentence with a quoted phrase in it
    if not firm.named_in(quoted) and not (_NUMBER.search(quoted) or _EVENT.search(quoted)):
        return None
    return quoted, True


def _score(s: _Sentence, total: int, firm: names.Company, headline_words: set[str],
           english: bool = True) -> float | None:
    """How well the sentence says what happened to the company; None when it can't be the quote.
    english: the words that make an event are English; in another language, a sentence of the lede
    that names the company counts without them (numbers and dates count in any language)."""
    text = s.text
    if not firm.named_in(text) or _unusable(text):
        return None
    said = _what_it_says(text, firm)
    if said is None:
        return None
    content, quoted = said
    event, number, date = bool(_EVENT.search(content)), bool(_NUMBER.search(content)), bool(_DATE.search(content))
    done = bool(_DONE.search(content))
    if not (event or number or date or done or quoted or (not english and s.index < LEDE)):
        return None  # names the company and says nothing about it ("Acme is one of many")
    value = 2.0 * event + 1.5 * number + 1.0 * date + 0.5 * done
    # The lede first: a news story says what happened at its start.
    value += (5.0, 4.0, 3.5)[s.index] if s.index < LEDE else 2.0 if s.index < 6 else 1.0 if s.index < 10 else 0.0
    if total >= 10 and s.index >= 0.8 * total:
        value -= 1.5  # the end of a story: background, or the "About Acme" paragraph of a press release
    # The company as the subject ("Acme opened...") rather than a passing mention.
    position = firm_position(text, firm)
    if position is not None and position < 0.4:
        value += 1.0
    value += min(2.0, 0.5 * len(headline_words & _content_words(text)))
    if _PROFILE.search(text):
        value -= 2.0  # what the company is, not what happened to it
    if quoted:
        value -= 1.5  # someone's words: the reporter's account of what happened is better
    if _FIRST_PERSON.search(_QUOTED.sub(" ", text)):
        value -= 2.0  # a columnist's own view
    if _DANGLING.match(text):
        value -= 1.5  # needs the sentence before it
    if len(words(text)) > MAX_WORDS:
        value -= 1.0
    return value


def firm_position(text: str, firm: names.Company) -> float | None:
    """Where in the sentence the company is first named, as a fraction of its words (0: the start)."""
    tokens = text.split()
    for i in range(len(tokens)):
        if firm.named_in(" ".join(tokens[: i + 1])):
            return i / max(1, len(tokens))
    return None


def _content_words(text: str) -> set[str]:
    return {w.lower().strip("'’") for w in words(text) if len(w) >= 4}


def _follows(first: _Sentence, second: _Sentence, firm: names.Company) -> bool:
    """Whether the sentence after the chosen one belongs in the quote: it goes on about the company
    (names it, or opens with "The company", "It") and adds a number, a date or an event."""
    if second.index != first.index + 1 or second.para - first.para > 1:
        return False
    if len(words(first.text)) + len(words(second.text)) > MAX_QUOTE_WORDS or _unusable(second.text):
        return False
    said = _what_it_says(second.text, firm)
    if said is None or said[1] or _PROFILE.search(second.text):
        return False  # (someone's words only as the quote's own sentence)
    if not (firm.named_in(second.text) or _REFERS.match(second.text)):
        return False
    return bool(_NUMBER.search(second.text) or _DATE.search(second.text) or _EVENT.search(second.text))


def choose_quote(paragraphs: list[Para], company: str, headline: str = "", lang: str | None = "en") -> str | None:
    """The one or two sentences of the article that say what happened to the company; None when it
    says nothing about it. lang: the article's language (None: unknown, read as English)."""
    firm = names.company([company])
    if not firm:
        return None
    sentences = _sentences(paragraphs)
    headline_words = _content_words(firm.without(headline or ""))
    scored = [(value, s) for s in sentences
              if (value := _score(s, len(sentences), firm, headline_words, lang in (None, "en"))) is not None]
    if not scored:
        return None
    best = max(scored, key=lambda pair: (pair[0], -pair[1].index))[1]
    first = best.text if len(words(best.text)) <= MAX_WORDS else (trim(best.text, MAX_WORDS) or best.text)
    chosen = [first]
    following = sentences[best.index + 1] if best.index + 1 < len(sentences) else None
    if first == best.text and following is not None and _follows(best, following, firm):
        chosen.append(following.text)
    return " ".join(chosen)


# -- the parse (runs in the parse worker's child) ------------------------------------------------------
def article_quote(body: bytes, charset: str | None, url: str, company: str, headline: str = "") -> dict | None:
    """Read an article and pick its quote about the company: {"quote", "text_sha256" (of the
    article's text as read: article_text), "published" (YYYY-MM-DD, when the page says), "headline"
    (the page's own), "lang"}; None when the page has no article text or it says nothing about the
    company. headline: the one the news source gave (it helps pick the sentences about the story).
    A plain dict: it crosses the parse worker's process boundary."""
    html, _ = decode_html(body, charset)
    tree = parse_tree(html)
    meta = extract_metadata(None, url, tree=tree)
    paragraphs = article_paragraphs(tree, url, None if meta.description_from_text else meta.description)
    text = article_text(paragraphs)
    if not text:
        return None
    page_headline = next((a.get("headline") for a in meta.articles if a.get("headline")), None) or meta.title
    lang = language.detect(text[:6000], meta.lang)
    quote = choose_quote(paragraphs, company, headline or page_headline or "", lang)
    if quote is None:
        return None
    return {
        "quote": quote,
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "published": dates.day(_page_date(tree, meta)),
        "headline": page_headline,
        "lang": language.detect(quote, lang),
    }


def _page_date(tree, meta) -> str | None:
    from .extract import page_date  # (extract imports the site's whole toolchain: only when a page is read)

    return page_date(tree, meta, "news")


# -- fetch and read (runs in research's threads) ---------------------------------------------------------
def quoted_fact(fetcher, parser, fact: FoundFact, company: str, now: datetime | None = None,
                headline: str | None = None) -> FoundFact | None:
    """The fact, quoting its article: text the quote, source_title the headline, source_url the
    article's final URL, and a snapshot of the quote as read. None when the article can't be read or
    says nothing about the company (keep the headline fact then). Cancelled propagates.

    parser: a worker.ParseWorker (None: parse in this process). headline: the article's headline as
    the news source gave it (default: fact.headline, else the page's own). now: when the article is
    read (default: now), recorded in UTC as the snapshot's retrieved_at."""
    headline = headline or fact.headline
    try:
        got = fetcher.fetch(fact.source_url, kind="page")
    except Cancelled:
        raise
    except FetchError:
        return None
    when = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")
    args = (got.body, got.charset, got.final_url, company, headline or "")
    try:
        if parser is None:
            found = article_quote(*args)
        else:
            found = parser.call(TARGET, *args, url=got.final_url, cancel=fetcher.cancel)
    except Cancelled:
        raise
    except Exception:  # noqa: BLE001 - a page that can't be read (too slow, a crash, an error) keeps the headline
        return None
    if not found:
        return None
    quote = found["quote"]
    published = fact.published or found.get("published")
    return replace(fact, text=quote, source_url=got.final_url,
                   source_title=headline or found.get("headline") or fact.source_title, published=published,
                   lang=found.get("lang") or fact.lang,
                   snapshot=Snapshot(quote, got.final_url, when, found["text_sha256"]))
