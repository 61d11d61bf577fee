"""Facts written from a page's own structure, for pages whose sentences say little.

Small business sites often say what they do only in their page title ("Acme Homes | Custom Home
Builder in Wisconsin"), their main heading ("SAN DIEGO INTERIOR DESIGNER"), or a labelled list of
service or product lines (a "Services" menu, an "Our Products" heading over a list) or of locations.
From those, and only those, this module writes plain statements, each saying no more than the page:

    "Acme Homes: Custom Home Builder in Wisconsin."           (a title part beside the company's name)
    "Acme Roofing offers Roof Repair, Gutter Installation and Skylights."     (a labelled list)
    "Acme Dental has locations in Austin, Dallas and Houston."           (a labelled locations list)

A phrase is used only when it names a line of business (a trade word: "builder", "roofing",
"products", "dentistry"...), is no navigation ("Home", "About Us", "Blog"...), no call to action,
contact line, claim or policy (rank.phrase_rejected), and the title or list isn't keyword stuffing.
The vocabulary is English: pages in another language get none of these. Scored below every sentence
the page itself says (rank.STRUCTURE_SCORE).
"""
from __future__ import annotations

import re

from . import rank
from .htmltree import elements
from .names import Company, norm
from .sentences import words

MAX_FACTS = 3  # per page
MAX_ITEMS = 6  # list items named in one fact
_SEPARATORS = re.compile(r"\s+[|:–—»·-]+\s+|\s*[|»·]\s*|\s+--\s+|:\s+")
_HEADING_LEVEL = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}

# Navigation, page furniture and words that name no line of business.
_NAV = frozenset(norm(w) for w in """
home|homepage|about|about us|about me|who we are|our story|our history|history|contact|contact us|contact me
|get in touch|blog|the blog|our blog|news|latest news|news and events|events|press|media|press room|videos|video
|gallery|photo gallery|photos|portfolio|testimonials|reviews|faq|faqs|help|support|login|log in|sign in|sign up
|register|my account|account|cart|basket|checkout|search|site map|sitemap|privacy|privacy policy|terms|links
|resources|downloads|careers|jobs|team|our team|staff|our staff|meet the team|welcome|menu|more|back|next
|previous|top|directions|map|specials|special offers|offers|deals|sale|pricing|prices|partners|shop|store
|forum|community|newsletter|subscribe|feedback|enquiries|inquiries|request a quote|get a quote|quote
|locations|our locations|find us|overview|introduction|info|information|details|features|benefits|features
and benefits|why us|why choose us|what we do|our services|services|products|our products|courses|programs
|solutions|specialties|default|index|main|page|untitled|new|recent|popular|related|categories|tags|archive
|archives|calendar|rss|share|print|email|español|english|francais|deutsch
""".replace("\n", " ").split("|"))

# A line of business: a trade, a product or service kind, a kind of firm.
_TRADE_WORDS = re.compile(
    r"\b(?:products?|services?|supplies|supplier|equipment|systems|software|repairs?|installations?|installers?"
    r"|construction|renovations?|remodel\w*|maintenance|restoration|cleaning|care|treatments?|surgery|therapy"
    r"|therapies|dentistry|dental|dermatology|orthodontics|medicine|medical|clinic|law|legal|attorneys?"
    r"|lawyers?|solicitors?|counsel|real estate|realty|propert(?:y|ies)|homes|housing|apartments?|rentals?"
    r"|mortgages?|loans?|lending|savings|insurance|banking|finance|financial|investments?|accounting|tax"
    r"|courses?|classes|training|tuition|degrees?|programs?|programmes?|certificates?|school|academy|college"
    r"|agency|firm|studio|shop|store|boutique|salon|spa|restaurant|caf[eé]|bakery|hotel|inn|tours?|travel"
    r"|tickets?|catering|furniture|furnishings|windows|doors|glass|cabinets?|cabinetry|kitchens?"
    r"|bathrooms?|flooring|roofing|roofs?|plumbing|heating|cooling|air conditioning|hvac|electrical|landscaping"
    r"|cars?|trucks?|vehicles?|auto(?:motive)?|parts|tools|machinery|chemicals?|materials"
    r"|printing|signs|packaging|logistics|freight|storage|removals|staffing|recruit\w*|consult\w*|marketing"
    r"|photography|design|designers?|architects?|engineering|manufactur\w*|wholesale|retail|distribut\w*"
    r"|clothing|apparel|jewell?ery|gifts|decor|lighting|flowers|florists?"
    r"|pricing|sales|leasing|hire|rental|builders?|contractors?"
    r"|plumbers?|electricians?|dentists?|physicians|doctors|surgeons|accountants|brokers?|agents?|dealers?"
    r"|makers?|manufacturers?|suppliers|distributors?|retailers?|wholesalers?|stockists?|specialists?)\b",
    re.IGNORECASE)

# The label of a list of service or product lines, and of a list of places.
_OFFER_LABEL = re.compile(r"^(?:our |my )?(?:services|service lines|products|product (?:lines|range)|treatments"
                          r"|procedures|courses|training courses|programs|programmes|solutions|specialties"
                          r"|specialities|practice areas|areas of (?:practice|expertise)|capabilities|brands"
                          r"|what we (?:do|offer|make|sell|supply)|(?:the )?ranges?)$", re.IGNORECASE)
_PLACE_LABEL = re.compile(r"^(?:our |other )?(?:locations|offices|branches|stores|showrooms|clinics|practices"
                          r"|(?:areas|cities|towns|counties|communities|regions) (?:we )?serve[ds]?|service areas"
                          r"|areas covered|where we are)$", re.IGNORECASE)
_JOINERS = frozenset({"and", "&", "of", "the", "on", "upon", "in", "de", "la", "le", "st", "st."})


def _clean(text: str, shout: bool = True) -> str:
    text = " ".join(text.split()).strip(" .,;:-–—|»·•*›>")
    text = re.sub(r"(?:\.\.\.|…)$", "", text).strip(" ,;")
    if shout and text.isupper() and len(text) > 4:  # "SAN DIEGO INTERIOR DESIGNER": shouting, not an acronym
        text = text.title()
        text = re.sub(r"\b(And|Of|The|For|In|With|On|To)\b", lambda m: m.group().lower(), text)
        text = text[:1].upper() + text[1:]
    return text


def _navigation(phrase: str) -> bool:
    flat = norm(phrase)
    return flat in _NAV or bool(re.match(r"(?i)(?:our|my|your|about|contact|welcome|meet|view|more|see|all|shop all)\b",
                                         phrase)) \
        or bool(re.search(r"(?i)\bfaqs?\b|\bfrequently asked\b|\bquestions\b|\bblog\b|\bnews\b|\blog ?in\b"
                          r"|\b(?:we|us|our)\b|\bcategor(?:y|ies)\b", phrase))


def _usable(phrase: str, company: Company, max_words: int = 10) -> bool:
    """A short phrase that names a line of business and nothing a rep can't cite."""
    n = len(words(phrase))
    if not 1 <= n <= max_words or not any(c.isalpha() for c in phrase):
        return False
    if _navigation(phrase) or rank.phrase_rejected(phrase):
        return False
    if company and norm(company.without(phrase)).strip() == "":
        return False  # only the company's name
    if company and not _beyond_name(phrase, company, 1):
        return False  # "Acme Roofing: Roofing Services" says nothing the name doesn't
    seen = [w.lower() for w in words(phrase) if len(w) > 2]
    if len(seen) != len(set(seen)):
        return False  # "NYC Apartments & NYC Rentals": a keyword said twice is a search engine's phrase
    return True


def _name_words(company: Company) -> set[str]:
    return {w.rstrip("s") for p in company.phrases for w in p.split()}


def _beyond_name(phrase: str, company: Company, least: int) -> bool:
    """Whether the phrase has at least this many particular words that aren't words of the company's name."""
    names = _name_words(company) if company else set()
    return sum(w.lower().rstrip("s") not in names for w in rank.specific_words(phrase)) >= least


def _stuffed(parts: list[str]) -> bool:
    """Keyword stuffing: the same word again and again across a title's parts, or a run of terms."""
    counts: dict[str, int] = {}
    for part in parts:
        for w in {w.lower().rstrip("s") for w in words(part) if len(w) > 3}:
            if w.lower() not in ("with", "from", "your", "their"):
                counts[w] = counts.get(w, 0) + 1
    items = sum(len(p.split(",")) for p in parts)
    return any(c >= 2 for c in counts.values()) or items > 5 or sum(len(words(p)) for p in parts) > 16


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _raw_title(tree) -> str:
    for el in elements(tree, "title"):
        return " ".join((el.text_content() or "").split())
    return ""


def _split(text: str, shout: bool = True) -> list[str]:
    return [p for p in (_clean(p, shout) for p in _SEPARATORS.split(text)) if p]


def title_fact(title: str, company: Company, who: str) -> str | None:
    """"Acme Homes | Custom Home Builder in Wisconsin" -> "Acme Homes: Custom Home Builder in Wisconsin.":
    a part of a title whose other part names the company, when it names a line of business."""
    parts = _split(title)
    if len(parts) < 2 or not company:
        return None
    named = [p for p in parts if company.named_in(p) and len(words(company.without(p))) <= 1]
    rest = [p for p in parts if p not in named]
    if not named or not rest or _stuffed(rest):
        return None
    for part in rest:
        items = [_clean(i) for i in part.split(",")]
        if len(items) > 1:  # "Savings, Mortgages, Current Accounts": product lines, each usable
            # (Mostly lines of business: "Programs, Universities, Rankings" is a directory's topics.)
            trade = sum(bool(_TRADE_WORDS.search(i)) for i in items)
            if all(i and _usable(i, company, 5) for i in items) and trade >= len(items) / 2:
                return f"{who}: {_join(items)}."
            continue
        if _usable(part, company) and _TRADE_WORDS.search(part) and _beyond_name(part, company, 2):
            return f"{who}: {part}."
    return None


def heading_fact(tree, company: Company, who: str) -> str | None:
    """The page's main heading (its first <h1>) when it is the company's line of business:
    "SAN DIEGO INTERIOR DESIGNER" -> "Home and Office Makeovers: San Diego Interior Designer."."""
    for el in elements(tree, "h1"):
        text = " ".join(el.text_content().split())
        if not text:
            continue
        if rank.finished(text):
            return None  # a sentence: the page's sentences are scored as such
        parts = _split(text)
        rest = [p for p in parts if not (company and company.named_in(p) and len(words(company.without(p))) <= 1)]
        if not rest or _stuffed(rest):
            return None
        part = rest[0]
        if _usable(part, company) and _TRADE_WORDS.search(part) and _beyond_name(part, company, 2) and "," not in part:
            return f"{who}: {part}."
        return None
    return None


def _own_text(li) -> str:
    """A menu entry's own label: its text before any nested list."""
    out = [li.text or ""]
    for child in li:
        if not isinstance(child.tag, str):
            out.append(child.tail or "")
            continue
        if child.tag in ("ul", "ol", "div"):
            break
        out.append(child.text_content())
        out.append(child.tail or "")
    return " ".join("".join(out).split())


def _label(lst) -> str:
    """What a list is a list of: its menu entry ("Services" > ...), or the short heading or line just
    before it."""
    parent = lst.getparent()
    if parent is not None and parent.tag == "li":
        return _clean(_own_text(parent))
    prev = lst.getprevious()
    while prev is not None and isinstance(prev.tag, str) and not prev.text_content().strip() and prev.tag != "ul":
        prev = prev.getprevious()
    if prev is not None and isinstance(prev.tag, str) and prev.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p", "a",
                                                                       "span", "strong", "b", "div", "dt"):
        text = " ".join(prev.text_content().split())
        if len(text.split()) <= 5:
            return _clean(text)
    return ""


def _place(item: str) -> bool:
    tokens = item.replace(",", " ").split()
    return 1 <= len(tokens) <= 4 and not any(c.isdigit() for c in item) and all(
        t[:1].isupper() or t.lower() in _JOINERS for t in tokens) and not _navigation(item) \
        and "&" not in item and not _OFFER_LABEL.match(item) and not _PLACE_LABEL.match(item)


def _items(texts: list[str], company: Company, places: bool) -> list[str]:
    out: list[str] = []
    for text in texts:
        item = _clean(text)
        if not item or "," in item or item in out:
            continue
        if places:
            if _place(item) and not rank.phrase_rejected(item):
                out.append(item)
        elif _usable(item, company, 6):
            out.append(item)
    # A run of near-identical entries ("london bedroom", "modern bedroom"...) is keyword stuffing.
    # (A catalogue of models, "Zebra Printer, SATO Printer, Epson Printer...", is the same: vendors' terms.)
    names = _name_words(company) if company else set()
    counts: dict[str, int] = {}
    for item in out:
        for w in {w.lower().rstrip("s") for w in words(item) if len(w) > 3} - names:
            counts[w] = counts.get(w, 0) + 1
    if out and not places and any(c >= 3 and c > len(out) / 2 for c in counts.values()):
        return []
    if sum(1 for i in out if i[:1].islower()) > len(out) / 2:
        return []  # search-engine keywords, not a menu of named lines
    return out


def list_facts(tree, company: Company, who: str) -> list[str]:
    """Labelled lists of service or product lines, or of locations: a <ul>/<ol> under a "Services"
    menu entry or heading, or the subheadings of an "Our Services" heading."""
    found: list[str] = []
    groups: list[tuple[str, list[str]]] = []
    for lst in elements(tree, None):
        if lst.tag not in ("ul", "ol"):
            continue
        label = _label(lst)
        if label and (_OFFER_LABEL.match(label) or _PLACE_LABEL.match(label)):
            texts = [_own_text(li) for li in lst if isinstance(li.tag, str) and li.tag == "li"]
            groups.append((label, texts))
    headings = [(el, _HEADING_LEVEL[el.tag]) for el in elements(tree) if el.tag in _HEADING_LEVEL]
    for i, (el, level) in enumerate(headings):
        label = _clean(el.text_content())
        if not (_OFFER_LABEL.match(label) or _PLACE_LABEL.match(label)):
            continue
        texts = []
        section = el.getparent()
        for other, other_level in headings[i + 1:]:
            # Deeper headings of the same section only (a page's sidebar headings are not its items).
            if other_level <= level or section is None or not any(a is section for a in other.iterancestors()):
                break
            inner = _clean(other.text_content())
            if _OFFER_LABEL.match(inner) or _PLACE_LABEL.match(inner):
                texts = []  # a list of its own ("Our Locations" > "Cities We Serve" > ...): that one says it
                break
            texts.append(inner)
        groups.append((label, texts))
    for label, texts in groups:
        places = bool(_PLACE_LABEL.match(label))
        items = _items(texts, company, places)
        if len(items) < 3:
            continue
        items = items[:MAX_ITEMS]
        if places:
            served = re.search(r"(?i)serve|covered", label)
            fact = f"{who} serves {_join(items)}." if served else f"{who} has locations in {_join(items)}."
        else:
            fact = f"{who} offers {_join(items)}."
        if fact not in found:
            found.append(fact)
    return found


def display_name(company: Company, candidates: list[str | None], title: str) -> str | None:
    """How to write the company's name: as the page's title writes it when a title part is the name,
    else the first name we have."""
    if company:
        for part in _split(title, shout=False):
            if company.named_in(part) and len(words(company.without(part))) == 0 and len(part.split()) <= 6:
                return " ".join(part.split())
    return next((c.strip() for c in candidates if c and c.strip()), None)


def structure_facts(tree, company: Company, names: list[str | None], lang: str | None) -> list[str]:
    """Up to MAX_FACTS statements from the page's title, main heading and labelled lists (English pages
    only), most telling first: a labelled list, then the title, then the heading."""
    if lang not in (None, "en"):
        return []
    title = _raw_title(tree)
    who = display_name(company, names, title)
    if not who:
        return []
    who = who.rstrip(" .") if who.endswith(".") and not who.endswith(("Co.", "Inc.", "Ltd.")) else who
    out: list[str] = []
    out += list_facts(tree, company, who)
    for fact in (title_fact(title, company, who), heading_fact(tree, company, who)):
        if fact and fact not in out:
            out.append(fact)
    return out[:MAX_FACTS]
