"""Page metadata: title, site, description, dates, author, and the company behind the page.

Reads <meta> tags, JSON-LD and a little of the page structure from the page's one lxml tree
(htmltree.parse_tree). Never fetches, never raises on bad input, and leaves date guessing from the
text to the caller (htmldate is too slow to run here).
"""
from __future__ import annotations

import itertools
import re
import warnings
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning

from app.core import dates, encodings, urls
from app.research.htmltree import INVISIBLE, classes, decode_html, elements, inner_text, parse_tree, walk_text
from app.research.jsonld import jsonld_types, parse_jsonld

__all__ = ["PageMeta", "extract_metadata", "parse_html"]


@dataclass(frozen=True)
class PageMeta:
    title: str | None
    site_name: str | None
    description: str | None
    published: str | None  # ISO 8601 date or datetime string
    lang: str | None
    byline: str | None
    organization: dict | None  # name, legalName, description, foundingDate, numberOfEmployees, address, sameAs
    articles: tuple[dict, ...]  # {"headline", "datePublished", "description"} from JSON-LD article types
    js_only: bool  # almost no readable text without JavaScript
    description_from_text: bool = False  # the page has no description of its own: this is its first paragraph
    # JobPosting JSON-LD, as plain records (title, datePosted, validThrough, employmentType, location,
    # hiringOrganization, url): a careers page's own list of open roles.
    job_postings: tuple[dict, ...] = ()


EMPTY = PageMeta(None, None, None, None, None, None, None, (), False)

_ARTICLE_TYPES = {
    "Article", "NewsArticle", "BlogPosting", "Report", "TechArticle", "ScholarlyArticle", "LiveBlogPosting",
    "AnalysisNewsArticle", "OpinionNewsArticle", "ReportageNewsArticle", "BackgroundNewsArticle",
    "ReviewNewsArticle", "AskPublicNewsArticle", "SatiricalArticle", "AdvertiserContentArticle",
    "SocialMediaPosting", "DiscussionForumPosting", "PressRelease",
}
# Organization and the LocalBusiness subtypes small businesses actually use; anything named
# *Organization, *Business or *Store is taken as well (NewsMediaOrganization, OnlineBusiness, ...).
_ORG_TYPES = {
    "Organization", "Corporation", "LocalBusiness", "NGO", "Airline", "Consortium", "Project",
    "FundingScheme", "Restaurant", "Bakery", "BarOrPub", "Brewery", "CafeOrCoffeeShop", "FastFoodRestaurant",
    "Winery", "FoodEstablishment", "Hotel", "Motel", "LodgingBusiness", "Dentist", "Physician", "Pharmacy",
    "MedicalClinic", "Hospital", "Optician", "Attorney", "Notary", "LegalService", "ProfessionalService",
    "AccountingService", "FinancialService", "BankOrCreditUnion", "InsuranceAgency", "RealEstateAgent",
    "TravelAgency", "EmploymentAgency", "Electrician", "Plumber", "HVACBusiness", "GeneralContractor",
    "RoofingContractor", "HousePainter", "Locksmith", "MovingCompany", "AutoRepair", "AutoDealer",
    "BeautySalon", "DaySpa", "HairSalon", "NailSalon", "HealthClub", "ExerciseGym", "ChildCare",
    "DryCleaningOrLaundry", "EntertainmentBusiness", "Library", "RecyclingCenter", "SelfStorage",
    "ShoppingCenter", "TouristInformationCenter", "InternetCafe", "RadioStation", "TelevisionStation",
    "Campground", "CollegeOrUniversity", "School", "Preschool", "HighSchool", "ElementarySchool",
}
_ORG_SUFFIXES = ("Organization", "Business", "Store")
_PAGE_TYPES = {"WebPage", "AboutPage", "ContactPage", "CollectionPage", "ItemPage", "ProfilePage", "FAQPage",
               "WebSite", "MedicalWebPage", "QAPage", "SearchResultsPage", "CheckoutPage", "RealEstateListing"}

_WS = re.compile(r"\s+")
_JS_NOTICE = re.compile(r"(enable|turn on|activate|requires?|need)\W+(\w+\W+){0,4}javascript|javascript\W+(is\W+)?"
                        r"(required|disabled|must be enabled|needs to be enabled)", re.I)
# Consent-notice wording, so a bakery's paragraph about its cookies still counts.
_COOKIE_TEXT = re.compile(
    r"\b(uses?|using|use of) cookies\b|\bcookies? (policy|settings|preferences|notice|consent)\b|"
    r"\baccept (all )?cookies\b|\b(verwendet|verwenden|nutzt|nutzen) cookies\b|\butilisons des cookies\b|"
    r"\butiliza(mos)? cookies\b|\butilizza (i )?cookie\b|\bgebruik(t|en) cookies\b",
    re.I,
)
# After Readability's unlikelyCandidates / okMaybeItsACandidate, plus consent and sign-up furniture.
_UNLIKELY = re.compile(
    r"-ad-|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|"
    r"menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|"
    r"pagination|pager|popup|yom-remote|cookie|consent|newsletter|subscribe|signup|sign-up|modal|share|skip-link|"
    r"navbar|topbar|toolbar|drawer|offcanvas|announcement|promo",
    re.I,
)
_MAYBE = re.compile(r"and|article|body|column|content|main|shadow", re.I)
_SKIP_TAGS = {"nav", "footer", "aside", "form", "noscript", "template", "dialog", "menu", "button", "select"}
_SKIP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "menu", "search"}
_APP_ROOTS = {"root", "app", "__next", "__nuxt", "___gatsby", "main-app", "application", "svelte", "q-app"}
_APP_ROOT_TAG = re.compile(r"^[a-z]+-root$")
_TITLE_SEPARATORS = r"\|\-–—\\/>»"
_EXCERPT_MIN = 80
_EXCERPT_MAX = 1000
_JS_ONLY_TEXT = 250


def parse_html(html: bytes | str, encoding: str | None = None) -> BeautifulSoup:
    """A lxml BeautifulSoup of html; bytes are decoded as app.core.encodings reads them (the HTTP charset given).
    (For callers that want a soup; extract_metadata itself reads an lxml tree.)"""
    with warnings.catch_warnings():
        # Short strings that look like paths, and XHTML served as HTML, are still pages to us.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        if isinstance(html, (bytes, bytearray, memoryview)):
            data = bytes(html)
            try:
                return BeautifulSoup(data, "lxml", from_encoding=encodings.sniff(data, encoding, html=True))
            except Exception:  # lxml rejects some binary input outright
                text = encodings.decode(data, encoding, html=True)[0]
        else:
            text = html if isinstance(html, str) else ""
        text = text.replace("\x00", "")
        for parser in ("lxml", "html.parser"):
            try:
                return BeautifulSoup(text, parser)
            except Exception:
                continue
        return BeautifulSoup("", "html.parser")


def extract_metadata(
    html: bytes | str | None,
    url: str | None = None,
    soup: BeautifulSoup | None = None,
    *,
    encoding: str | None = None,
    tree=None,
) -> PageMeta:
    """Metadata of one page; pass tree (htmltree.parse_tree) to reuse the page's parse, encoding for
    the HTTP header's charset. A BeautifulSoup is still accepted (read through its markup)."""
    if tree is None:
        if soup is not None:
            tree = parse_tree(str(soup))
        elif html is None:
            return EMPTY
        else:
            tree = parse_tree(decode_html(bytes(html), encoding)[0] if isinstance(html, (bytes, bytearray))
                              else html)
    try:
        return _extract(tree, url)
    except RecursionError:  # absurdly deep markup
        return EMPTY


def _extract(root, url: str | None) -> PageMeta:
    meta = _meta_values(root)
    objects = parse_jsonld([s for s in (_script_text(t) for t in _jsonld_scripts(root)) if s])
    article_objs = [o for o in objects if jsonld_types(o) & _ARTICLE_TYPES]
    main_article = _main_article(article_objs, url or meta.get("og:url"))
    articles = _articles(objects)
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    job_postings = _job_postings(objects, by_id)
    organization_obj = _choose_organization(objects, url, by_id)

    # Title: og:title, then JSON-LD article headline, twitter:title, meta title / Dublin Core title,
    # then the <title> element with site-name decoration removed (Readability's rules).
    title = _first(
        meta.get("og:title"),
        _text(main_article.get("headline")) if main_article else None,
        _text(main_article.get("name")) if main_article else None,
        meta.get("twitter:title"),
        meta.get("title"),
        meta.get("dc.title"),
        meta.get("dcterms.title"),
        _document_title(root),
    )

    # Site name: og:site_name, then the JSON-LD publisher of the article, the organization the page
    # describes, the WebSite, then application-name.
    website = next((o for o in objects if "WebSite" in jsonld_types(o)), None)
    site_name = _first(
        meta.get("og:site_name"),
        _name_of(_resolve(main_article.get("publisher"), by_id)) if main_article else None,
        _text(organization_obj.get("name")) if organization_obj else None,
        _text(website.get("name")) if website else None,
        meta.get("application-name"),
    )

    # Description: the page's own summary tags, then JSON-LD (article, page, organization), and only
    # then the first real paragraph of body text.
    page_obj = next((o for o in objects if jsonld_types(o) & _PAGE_TYPES), None)
    own_description = _first(
        meta.get("description"),
        meta.get("og:description"),
        meta.get("twitter:description"),
        meta.get("dc.description"),
        meta.get("dcterms.description"),
        meta.get("dc.description.abstract"),
        _text(main_article.get("description")) if main_article else None,
        _text(page_obj.get("description")) if page_obj else None,
        _text(organization_obj.get("description")) if organization_obj else None,
    )
    description = own_description or _first_paragraph(root)

    # Published: Open Graph article time, JSON-LD datePublished (article types first), a <time> that
    # marks itself as the publication date or sits in the page's only article, then Dublin Core and
    # the assorted CMS date tags. Unparseable values are skipped, not guessed at.
    published = _first_date(
        meta.get("article:published_time"),
        meta.get("og:article:published_time"),
        meta.get("published_time"),
        main_article.get("datePublished") if main_article else None,
        *(o.get("datePublished") for o in objects if jsonld_types(o) & _PAGE_TYPES - {"WebSite"}),
        *_time_candidates(root),
        *(meta.get(k) for k in ("date", "pubdate", "publishdate", "publish_date", "publish-date",
                                "publication_date", "dc.date", "dc.date.issued", "dc.date.created",
                                "dcterms.issued", "dcterms.created", "dcterms.date", "citation_publication_date",
                                "citation_date", "sailthru.date", "article.published", "parsely-pub-date",
                                "datepublished", "og:published_time", "release_date")),
    )

    byline = _first(
        _person(meta.get("author")),
        _person(meta.get("article:author")),
        _authors(main_article.get("author"), by_id) if main_article else None,
        _rel_author(root),
        _person(meta.get("dc.creator")),
    )

    return PageMeta(
        title=title,
        site_name=site_name,
        description=_clip(description),
        published=published,
        lang=_lang(root, meta),
        byline=byline,
        organization=_organization(organization_obj) if organization_obj else None,
        articles=articles,
        js_only=_js_only(root),
        description_from_text=bool(description) and not own_description,
        job_postings=job_postings,
    )


# --- <meta> and friends -------------------------------------------------------------------------


def _meta_values(root) -> dict[str, str]:
    """First non-empty content per lowercased meta name / property / itemprop."""
    values: dict[str, str] = {}
    for tag in elements(root, "meta"):
        content = _clean(tag.get("content"))
        if not content:
            continue
        keys: list[str] = []
        for attr in ("property", "name", "itemprop"):
            raw = tag.get(attr)
            if raw:
                # Some pages put several keys in one attribute: property="og:title twitter:title".
                keys.extend(raw.lower().split())
        for key in keys:
            values.setdefault(key, content)
    return values


def _jsonld_scripts(root) -> Iterable:
    for tag in elements(root, "script"):
        kind = tag.get("type")
        if isinstance(kind, str) and kind.split(";")[0].strip().lower() == "application/ld+json":
            yield tag


def _script_text(tag) -> str:
    return "".join(tag.itertext())


def _lang(root, meta: dict[str, str]) -> str | None:
    for attr in ("lang", "xml:lang", "{http://www.w3.org/XML/1998/namespace}lang"):
        value = root.get(attr)
        if isinstance(value, str) and value.strip():
            return value.strip()
    for key in ("content-language", "language", "dc.language", "og:locale"):
        if key in meta:
            return meta[key].split(",")[0].strip().replace("_", "-") or None
    for tag in elements(root, "meta"):
        if str(tag.get("http-equiv", "")).lower() == "content-language" and _clean(tag.get("content")):
            return _clean(tag.get("content")).split(",")[0].strip()
    return None


def _rel_author(root) -> str | None:
    for tag in elements(root, "a"):
        if "author" in (tag.get("rel") or "").lower().split():
            name = _person(_inner_text(tag))
            if name:
                return name
    return None


def _person(value: str | None) -> str | None:
    """A person's name, not a profile URL or a handle-only value."""
    value = _clean(value)
    if not value or re.match(r"https?://", value, re.I) or len(value) > 200:
        return None
    return value


# --- titles -------------------------------------------------------------------------------------


def _document_title(root) -> str | None:
    tag = next((t for t in elements(root, "title") if not any(a.tag == "svg" for a in t.iterancestors())), None)
    original = _clean(_inner_text(tag)) if tag is not None else None
    if not original:
        return None
    return _readability_title(original, root)


def _word_count(text: str) -> int:
    return len(text.split())


def _readability_title(original: str, root) -> str:
    """Drop " - Site" or "Section: " decoration the way Mozilla Readability does, keeping short titles whole."""
    current = original
    hierarchical = False
    separator = re.compile(rf"\s[{_TITLE_SEPARATORS}]\s")
    if separator.search(current):
        hierarchical = bool(re.search(r"\s[\\/>»]\s", current))
        last = list(separator.finditer(original))[-1]
        current = original[: last.start()]
        if _word_count(current) < 3:
            # Readability cuts at the first separator character; cutting at the first spaced separator
            # keeps hyphenated words ("draft-ietf-...") and «guillemets» intact.
            current = original[separator.search(original).end():]
    elif ": " in current:
        headings = (_clean(_inner_text(h)) for h in root.iter("h1", "h2"))
        if not any(h == original for h in headings):
            current = original[original.rfind(":") + 1:]
            if _word_count(current) < 3:
                current = original[original.find(":") + 1:]
            elif _word_count(original[: original.find(":")]) > 5:
                current = original
    elif len(current) > 150 or len(current) < 15:
        h1s = list(itertools.islice(root.iter("h1"), 2))
        if len(h1s) == 1:
            current = _clean(_inner_text(h1s[0])) or current
    current = _clean(current) or original
    words = _word_count(current)
    if words <= 4 and (
        not hierarchical or words != _word_count(separator.sub("", original)) - 1
    ):
        current = original
    return current


# --- dates --------------------------------------------------------------------------------------


def _time_candidates(root) -> list[str]:
    """datetime values that mark themselves as the publication date, then the one in a lone <article>."""
    marked: list[str] = []
    for tag in elements(root):
        if "datepublished" in str(tag.get("itemprop", "")).lower().split():
            value = tag.get("datetime") or tag.get("content")
            if isinstance(value, str):
                marked.append(value)
    for tag in elements(root, "time"):
        value = tag.get("datetime")
        if not isinstance(value, str):
            continue
        kinds = (tag.get("class") or "").lower()
        if tag.get("pubdate") is not None or "publish" in kinds or "entry-date" in kinds:
            marked.append(value)
    articles = [a for a in elements(root, "article") if not any(p.tag == "article" for p in a.iterancestors())]
    if len(articles) == 1:
        for tag in elements(articles[0], "time"):
            value = tag.get("datetime")
            if isinstance(value, str):
                marked.append(value)
    return marked


def _first_date(*values: Any) -> str | None:
    for value in values:
        if isinstance(value, list) and value:
            value = value[0]
        found = _iso_date(value) if isinstance(value, str) else None
        if found:
            return found
    return None


def _iso_date(value: str) -> str | None:
    """value as ISO 8601 (dates.iso: kept verbatim when it already is), or None when it is not a plausible date."""
    found = dates.iso(_clean(value))
    return found if found and _plausible(int(found[:4])) else None


def _plausible(year: int) -> bool:
    return 1970 <= year <= date.today().year + 1


# --- JSON-LD entities ---------------------------------------------------------------------------


def _is_org(obj: Any) -> bool:
    types = jsonld_types(obj)
    return bool(types & _ORG_TYPES) or any(t.endswith(_ORG_SUFFIXES) for t in types)


def _main_article(articles: list[dict], url: str | None) -> dict | None:
    """The article the page is; on a listing of several, only the one whose URL is this page's."""
    if len(articles) == 1:
        return articles[0]
    page = _bare_url(url)
    if not page:
        return None
    for obj in articles:
        entity = obj.get("mainEntityOfPage")
        refs = [obj.get("url"), obj.get("@id"), entity.get("@id") if isinstance(entity, dict) else entity]
        if any(isinstance(r, str) and _bare_url(r) == page for r in refs):
            return obj
    return None


def _bare_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urls.site(url.strip())
    return f"{host}{urls.path(url.strip()).rstrip('/')}" if host else None


def _choose_organization(objects: list[dict], url: str | None, by_id: dict[str, dict]) -> dict | None:
    """The organization the page speaks for: the richest top-level one, preferring the page's own host."""
    candidates = [o for o in objects if _is_org(o)]
    if not candidates:
        for obj in objects:  # else the publisher of an article or page
            for key in ("publisher", "provider", "sourceOrganization", "copyrightHolder"):
                nested = obj.get(key)
                nested = _resolve(nested[0] if isinstance(nested, list) and nested else nested, by_id)
                if _is_org(nested):
                    candidates.append(nested)
    if not candidates:
        return None
    host = _host(url)

    def score(obj: dict) -> int:
        fields = sum(1 for k in ("name", "legalName", "description", "foundingDate", "numberOfEmployees",
                                 "address", "sameAs", "logo", "url", "telephone") if obj.get(k))
        own = bool(host) and any(_host(_text(obj.get(k))) == host for k in ("url", "@id"))
        return fields + (20 if own else 0)

    return max(candidates, key=score)  # max keeps the first of equals


def _host(url: str | None) -> str | None:
    return (urls.site(url, bare=True) or None) if url else None


def _organization(obj: dict) -> dict:
    same_as = obj.get("sameAs")
    if isinstance(same_as, str):
        same_as = [same_as]
    links = [s.strip() for s in same_as if isinstance(s, str) and s.strip()] if isinstance(same_as, list) else []
    address = obj.get("address")
    if not address and isinstance(obj.get("location"), dict):
        address = obj["location"].get("address")
    return {
        "name": _text(obj.get("name")),
        "legalName": _text(obj.get("legalName")),
        "description": _text(obj.get("description")),
        "foundingDate": _text(obj.get("foundingDate")),
        "numberOfEmployees": _employees(obj.get("numberOfEmployees")),
        "address": _address(address),
        "sameAs": list(dict.fromkeys(links)),
    }


def _employees(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, dict):
        exact = value.get("value")
        if exact not in (None, ""):
            return _employees(exact)
        low, high = _number(value.get("minValue")), _number(value.get("maxValue"))
        if low and high:
            return low if low == high else f"{low}-{high}"
        if low:
            return f"{low}+"
        if high:
            return f"up to {high}"
    return None


def _number(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return _clean(value) if isinstance(value, str) else None


def _address(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, str):
        return _clean(value)
    if not isinstance(value, dict):
        return None
    street = _text(value.get("streetAddress"))
    locality = _text(value.get("addressLocality"))
    region = _text(value.get("addressRegion"))
    postcode = _text(value.get("postalCode"))
    country = value.get("addressCountry")
    country = _name_of(country) if isinstance(country, dict) else _text(country)
    region_part = " ".join(p for p in (region, postcode) if p) or None
    parts = [p for p in (street, locality, region_part, country) if p]
    return ", ".join(dict.fromkeys(parts)) or _text(value.get("name"))


def _nested(objects: list[dict], wanted, keys: tuple[str, ...], limit: int, inside_found: bool) -> list[dict]:
    """Objects of the wanted types at the top level and inside list / page containers (under keys), at
    most three levels down and at most limit of them: a page's JSON-LD is the site's to shape.
    inside_found: look inside a found object too (a blog page that is itself an Article lists posts)."""
    found: list[dict] = []

    def visit(value: Any, depth: int) -> None:
        if depth > 3 or len(found) >= limit:
            return
        if isinstance(value, list):
            for item in value:
                visit(item, depth)
            return
        if not isinstance(value, dict):
            return
        if jsonld_types(value) & wanted:
            found.append(value)
            if not inside_found:
                return
        for key in keys:
            if key in value:
                visit(value[key], depth + 1)

    visit(objects, 0)
    return found


def _articles(objects: list[dict]) -> tuple[dict, ...]:
    """Article-type objects at the top level and in blog / list / page containers, deduplicated."""
    found = _nested(objects, _ARTICLE_TYPES, ("mainEntity", "blogPost", "blogPosts", "itemListElement", "item",
                                              "hasPart"), 100, inside_found=True)
    seen: set[tuple] = set()
    result = []
    for obj in found:
        entry = {
            "headline": _text(obj.get("headline")) or _text(obj.get("name")),
            "datePublished": _first_date(obj.get("datePublished")) or _text(obj.get("datePublished")),
            "description": _text(obj.get("description")),
        }
        key = (entry["headline"], entry["datePublished"])
        if key in seen or not any(entry.values()):
            continue
        seen.add(key)
        result.append(entry)
    return tuple(result)


def _job_postings(objects: list[dict], by_id: dict[str, dict]) -> tuple[dict, ...]:
    """JobPosting objects at the top level and in list / page containers, as plain records (they cross
    into the research process, so nothing but strings), deduplicated."""
    found = _nested(objects, {"JobPosting"}, ("mainEntity", "itemListElement", "item", "hasPart", "about"), 200,
                    inside_found=False)
    seen: set[tuple] = set()
    result = []
    for obj in found:
        types = obj.get("employmentType")
        entry = {
            "title": _text(obj.get("title")) or _text(obj.get("name")),
            # schema.org's JobPosting names its date datePosted; some sites write datePublished instead.
            "datePosted": _first_date(obj.get("datePosted"), obj.get("datePublished"))
            or _text(obj.get("datePosted")) or _text(obj.get("datePublished")),
            # A far-off closing date is still a date: kept as written when it is not a plausible publication date.
            "validThrough": _first_date(obj.get("validThrough")) or _text(obj.get("validThrough")),
            "employmentType": ", ".join(t for t in (_text(v) for v in types) if t) if isinstance(types, list)
            else _text(types),
            "location": _job_location(obj, by_id),
            "hiringOrganization": _name_of(_resolve(obj.get("hiringOrganization"), by_id)),
            "url": _text(obj.get("url")),
        }
        key = (entry["title"], entry["location"], entry["url"])
        if not entry["title"] or key in seen:
            continue
        seen.add(key)
        result.append(entry)
    return tuple(result)


def _job_location(obj: dict, by_id: dict[str, dict]) -> str | None:
    """Where the job is, short ("Omaha, NE"): the first place's town and region, else its country or
    name; "Remote" for a telecommuting job with no place."""
    places = obj.get("jobLocation")
    places = places if isinstance(places, list) else [places]
    for place in places:
        place = _resolve(place, by_id)
        if isinstance(place, str):
            return _clean(place)
        if not isinstance(place, dict):
            continue
        address = place.get("address")
        address = address[0] if isinstance(address, list) and address else address
        if isinstance(address, str) and _clean(address):
            return _clean(address)
        if isinstance(address, dict):
            town, region = _text(address.get("addressLocality")), _text(address.get("addressRegion"))
            country = address.get("addressCountry")
            country = _name_of(country) if isinstance(country, dict) else _text(country)
            text = ", ".join(dict.fromkeys(p for p in (town, region) if p)) or country
            if text:
                return text
        if _text(place.get("name")):
            return _text(place.get("name"))
    if str(_text(obj.get("jobLocationType")) or "").upper() == "TELECOMMUTE":
        return "Remote"
    return None


def _resolve(value: Any, by_id: dict[str, dict]) -> Any:
    """A bare {"@id": ...} reference replaced by the entity it names elsewhere on the page (Yoast graphs)."""
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str):
        return by_id.get(value["@id"], value)
    return value


def _name_of(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _authors(value: Any, by_id: dict[str, dict]) -> str | None:
    items = value if isinstance(value, list) else [value]
    names = [_person(_name_of(_resolve(item, by_id))) for item in items]
    names = [n for n in dict.fromkeys(names) if n]
    return ", ".join(names) or None


def _text(value: Any) -> str | None:
    """A JSON-LD value as plain text: strings, {"@value": ...} and first-of-list forms."""
    if isinstance(value, list):
        for item in value:
            text = _text(item)
            if text:
                return text
        return None
    if isinstance(value, dict):
        value = value.get("@value")
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    return _clean(value) if isinstance(value, str) else None


# --- body text ----------------------------------------------------------------------------------


def _inner_text(node) -> str:
    """Text of node (even a <title> or <noscript>) with <br> as a space and scripts and styles inside
    it left out."""
    return inner_text(node) if node is not None else ""


def _first_paragraph(root) -> str | None:
    """The first substantial paragraph of the content, outside navigation, banners and footers."""
    scopes: list = []
    for name in ("article", "main"):
        found = next(elements(root, name), None)
        if found is None and name == "main":
            found = next((el for el in elements(root) if el.get("role") == "main"), None)
        if found is not None:
            scopes.append(found)
    body = next(elements(root, "body"), None)
    scopes.append(body if body is not None else root)
    for scope in scopes:
        for p in elements(scope, "p"):
            if _skipped(p, scope):
                continue
            text = _clean(_inner_text(p))
            if text and len(text) >= _EXCERPT_MIN and not _COOKIE_TEXT.search(text):
                return text
    return None


def _skipped(tag, scope) -> bool:
    node = tag
    while node is not None and node is not scope and node.tag not in ("body", "html"):
        if node.tag in _SKIP_TAGS or (node.tag == "header" and scope.tag not in ("article",)):
            return True
        if _hidden(node):
            return True
        role = node.get("role")
        if isinstance(role, str) and role.lower() in _SKIP_ROLES:
            return True
        if node.tag not in ("article", "main"):
            marker = classes(node).strip()
            if marker and _UNLIKELY.search(marker) and not _MAYBE.search(marker):
                return True
        node = node.getparent()
    return False


def _hidden(node) -> bool:
    if node.get("hidden") is not None or str(node.get("aria-hidden", "")).lower() == "true":
        return True
    style = str(node.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    return any(c.lower() in ("hidden", "sr-only", "visually-hidden", "screen-reader-text")
               for c in (node.get("class") or "").split())


def _js_only(root) -> bool:
    """Almost no text without JavaScript, plus a sign that scripts are meant to draw the page."""
    body = next(elements(root, "body"), None)
    if body is None:
        return False
    visible = _visible_text_length(body, _JS_ONLY_TEXT)
    if visible >= _JS_ONLY_TEXT:
        return False
    if any(_JS_NOTICE.search(_inner_text(n)) for n in elements(root, "noscript")):
        return True
    if not any(_executable(t) for t in elements(root, "script")):
        return False  # a thin page, but nothing is waiting to render it
    empty_root = any(
        str(el.get("id")).lower() in _APP_ROOTS and _visible_text_length(el, 40) < 40
        for el in elements(body) if el.get("id")
    ) or any(_APP_ROOT_TAG.match(el.tag) for el in elements(body))
    return empty_root or visible < 40


def _executable(script) -> bool:
    kind = script.get("type")
    if not isinstance(kind, str) or not kind.strip():
        return True
    kind = kind.split(";")[0].strip().lower()
    return kind == "module" or "javascript" in kind or "ecmascript" in kind


def _visible_text_length(node, limit: int) -> int:
    total = 0
    for text in walk_text(node, lambda el: el.tag in INVISIBLE or _hidden(el)):
        total += len(_WS.sub(" ", text).strip())
        if total >= limit:
            break
    return total


# --- small helpers ------------------------------------------------------------------------------


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = _WS.sub(" ", value.replace("\u00a0", " ")).strip()
    return text or None


def _first(*values: str | None) -> str | None:
    for value in values:
        text = _clean(value)
        if text:
            return text
    return None


def _clip(text: str | None) -> str | None:
    if not text or len(text) <= _EXCERPT_MAX:
        return text
    cut = text[:_EXCERPT_MAX].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
