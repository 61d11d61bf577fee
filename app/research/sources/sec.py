"""SEC EDGAR: what a US public company has recently told its investors (8-K current reports, its latest
annual and quarterly reports) and what it is (exchange, ticker, industry), from the SEC's own JSON.

Follows https://www.sec.gov/os/accessing-edgar-data (every request declares who is asking, with an
email, in its User-Agent; at most 10 requests a second: the source's RatePolicy) and
https://www.sec.gov/search-filings/edgar-application-programming-interfaces (submissions JSON).

The company is found in the SEC's list of tickers on the rep's machine (cached for a week), so the SEC
learns which company is researched only through the one submissions request that reads its filings.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from app.core import dates, urls
from app.core.paths import cache_dir

from .. import names, rank
from ..errors import FetchError
from .api import said, sentence
from .base import FoundFact, SourceContext, domain, plain

SEC_WWW = "https://www.sec.gov"  # the ticker list and the filings rep opens live here; the API on data.sec.gov
TICKERS_PATH = "/files/company_tickers.json"
CACHE_DAYS = 7  # the list changes as companies list and delist; a week old still finds nearly every filer
RECENT_DAYS = 365  # 8-Ks older than a year are history, not a reason to write
MAX_8K = 5
MAX_CANDIDATES = 3  # same-named filers whose websites we read to tell them apart, at most

_EMAIL = re.compile(r"[^@\s<>()]+@[^@\s<>()]+\.[^@\s<>()]+")
_ACCESSION = re.compile(r"\d{10}-\d{2}-\d{6}")
_DOCUMENT = re.compile(r"[\w.-]+")  # a file name in the filing's folder: never a path that climbs out
_STATE_MARK = re.compile(r"\s*[/\\][A-Za-z]{2,3}[/\\]\s*$")  # EDGAR's "ACME CORP /DE/"
_INITIAL_DOT = re.compile(r"(?<=\b[A-Za-z])\.(?=[A-Za-z]\b)")  # "N.V." -> "NV."
# Trailing words that say what legal form a company has, not which company it is ("COM": EDGAR writes
# Amazon.com as "AMAZON COM INC").
_LEGAL_FORMS = {"inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "plc", "llc", "lp",
                "sa", "nv", "ag", "se", "com"}
# Reps also leave these out ("Goldman Sachs" for "Goldman Sachs Group Inc"); a filer named with them
# wins over one without when the rep wrote them.
_GROUPINGS = {"holding", "holdings", "group"}

# Form 8-K's items (https://www.sec.gov/files/form8-k.pdf) in the few words a rep reads at a glance; the
# item number stays beside them, so the form's own title is one look-up away.
ITEMS = {
    "1.01": "material agreement",
    "1.02": "agreement ended",
    "1.03": "bankruptcy or receivership",
    "1.04": "mine safety",
    "1.05": "cybersecurity incident",
    "2.01": "acquisition or disposal",
    "2.02": "results",
    "2.03": "new debt",
    "2.04": "debt accelerated",
    "2.05": "restructuring costs",
    "2.06": "impairment",
    "3.01": "delisting notice",
    "3.02": "unregistered share sale",
    "3.03": "shareholder rights changed",
    "4.01": "auditor change",
    "4.02": "past financials not to be relied on",
    "5.01": "change in control",
    "5.02": "executive change",
    "5.03": "bylaws change",
    "5.04": "benefit plan trading halt",
    "5.05": "ethics code change",
    "5.06": "shell company status change",
    "5.07": "shareholder vote",
    "5.08": "director nominations",
    "7.01": "Reg FD disclosure",
    "8.01": "other events",
    "9.01": "exhibits",
}
CURRENT_FORMS = {"8-K": "an 8-K", "8-K/A": "an amended 8-K"}  # current reports, and amendments to them

_STATES = dict(zip(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH "
    "OK OR PA PR RI SC SD TN TX UT VT VA WA WV WI WY".split(),
    ["Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
     "the District of Columbia", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
     "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi",
     "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York",
     "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Puerto Rico", "Rhode Island",
     "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington",
     "West Virginia", "Wisconsin", "Wyoming"]))
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
# The latest of each, as "filed its annual report (10-K) for the year ended ..."; 20-F is a foreign
# filer's 10-K, used only when there is no 10-K.
_PERIODIC = {"10-K": ("annual report", "year"), "20-F": ("annual report", "year"),
             "10-Q": ("quarterly report", "quarter")}

# What a fact is worth next to the rest (rank.recency's scale: 10 fresh news ... rank.SHOW_AT).
PROFILE_SCORE = 7.0  # what the company is, on the record: above a year-old item, below fresh news
PERIODIC_CAP = 6.0  # a 10-Q arrives every quarter: routine, however fresh
DESCRIPTION_MAX = 300  # characters of the description a company filed: a fact, not its brochure


@dataclass(frozen=True)
class Filer:
    cik: int
    ticker: str
    title: str


# -- entry points -------------------------------------------------------------------------------
def fetch(ctx: SourceContext) -> list[FoundFact]:
    """The company's recent filings and profile, or [] when no SEC filer has its name."""
    return fetch_at(ctx, datetime.now(timezone.utc))


def fetch_at(ctx: SourceContext, now: datetime) -> list[FoundFact]:
    """fetch() as of now (tests pass a fixed moment: the cache's age and "recent" both depend on it)."""
    headers = {"User-Agent": user_agent(ctx.contact)}  # raises needs-setting before any request
    filers = company_list(ctx, headers, now)
    matches = match(ctx.company, filers)
    if not matches:
        ctx.progress("not a US public company (no SEC filer by that name)")
        return []
    chosen = _choose(ctx, matches, headers)
    if chosen is None:
        return []
    filer, data = chosen
    return facts(filer, data, ctx.company, now)


def user_agent(contact: str) -> str:
    """ "Earned <name> <email>", as the SEC asks; FetchError("needs-setting") without an email."""
    # A header is one line of Latin-1: accents dropped ("Zoë" -> "Zoe"), anything else left out.
    text = unicodedata.normalize("NFKD", " ".join((contact or "").split()))
    text = text.encode("ascii", "ignore").decode("ascii")
    if not _EMAIL.search(text):
        raise FetchError("needs-setting", "", (
            "SEC EDGAR needs your name and email address: the SEC requires every program that reads EDGAR to "
            "say who is asking, in each request. Add them in Settings > Research (Contact in User-Agent)."))
    return f"Earned {text}"


# -- the list of companies ------------------------------------------------------------------------
def tickers_url(ctx: SourceContext) -> str:
    base = ctx.base_url
    # The default API host serves no ticker list; a test or mirror base serves both files.
    return (SEC_WWW if base == ctx.source.default_url.rstrip("/") else base) + TICKERS_PATH


def submissions_url(ctx: SourceContext, cik: int) -> str:
    return f"{ctx.base_url}/submissions/CIK{cik:010d}.json"


def cache_file() -> Path:
    return cache_dir() / "sec" / "company_tickers.json"


def company_list(ctx: SourceContext, headers: dict, now: datetime) -> list[Filer]:
    """Every filer with a ticker: from the cache when it is under a week old, else from the SEC; an
    older cache when the SEC can't give a new list (it changes little in a week more)."""
    url = tickers_url(ctx)
    cached = _read_cache(url)
    age = now.timestamp() - cached[1] if cached else -1.0
    if cached and 0 <= age < CACHE_DAYS * 86400:
        return cached[0]
    ctx.progress("reading the SEC's list of companies")
    try:
        filers = parse_tickers(_json(_get(ctx, url, headers).body, url, "list of companies"), url)
    except FetchError:
        if not cached:
            raise
        ctx.progress("the SEC's list of companies could not be read again; using the copy from "
                     f"{dates.day(datetime.fromtimestamp(cached[1], timezone.utc))}")
        return cached[0]
    _write_cache(url, filers, now)
    return filers


def parse_tickers(data, url: str) -> list[Filer]:
    """company_tickers.json ({"0": {"cik_str": 320193, "ticker": "AAPL", "title": "Apple Inc."}, ...})."""
    rows = data.values() if isinstance(data, dict) else None
    filers = [] if rows is None else [f for f in map(_filer, rows) if f]
    if not filers:
        raise FetchError("parse-failed", url, (
            "The SEC's list of companies is not in the shape the SEC documents (ticker, CIK and name for each "
            "company); Earned could not look the company up. Try again later."))
    return filers


def _filer(row) -> Filer | None:
    if not isinstance(row, dict):
        return None
    cik, ticker, title = row.get("cik_str"), row.get("ticker"), row.get("title")
    if isinstance(cik, str) and cik.isdigit():
        cik = int(cik)
    if isinstance(cik, bool) or not isinstance(cik, int) or not 0 < cik < 10 ** 10:
        return None
    if not isinstance(ticker, str) or not isinstance(title, str) or not title.strip():
        return None
    return Filer(cik, ticker.strip(), plain(title))


def _read_cache(url: str) -> tuple[list[Filer], float] | None:
    """The cached list and when it was fetched (a timestamp), or None when it is missing, from another
    address or unreadable. Its age is the caller's to judge."""
    try:
        saved = json.loads(cache_file().read_text("utf-8"))
        fetched_at = float(saved["fetched_at"])
        if saved["url"] != url:
            return None
        filers = [Filer(*row) for row in saved["filers"]]
        if not filers or not all(isinstance(f.cik, int) and isinstance(f.ticker, str) and isinstance(f.title, str)
                                 for f in filers):
            return None
        return filers, fetched_at
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        return None  # a corrupt or half-written cache is fetched again


def _write_cache(url: str, filers: list[Filer], now: datetime) -> None:
    path = cache_file()
    body = json.dumps({"url": url, "fetched_at": now.timestamp(),
                       "filers": [[f.cik, f.ticker, f.title] for f in filers]}, ensure_ascii=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside it, then renamed over it: a run reading it meanwhile sees the old or the new file.
        fd, temp = tempfile.mkstemp(prefix=".company_tickers.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(body)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # no cache (a full or read-only disk) costs one download a run, nothing else


# -- matching the rep's name ----------------------------------------------------------------------
def key(name: str, loose: bool = True) -> str:
    """A name as compared: words only, legal endings gone ("Acme, Inc." and "ACME CORP /DE/" are "acme");
    loose: "Holdings" and "Group" too."""
    words = _light(name).split()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    endings = _LEGAL_FORMS | _GROUPINGS if loose else _LEGAL_FORMS
    while len(words) > 1 and words[-1] in endings:
        words.pop()
        if len(words) > 1 and words[-1] == "and":  # "Chase & Co": the "&" went with the "Co"
            words.pop()
    return " ".join(words)


def _light(name: str) -> str:
    return names.norm(_INITIAL_DOT.sub("", _STATE_MARK.sub("", name or "")))


def match(name: str, filers: list[Filer]) -> list[Filer]:
    """The filers (one row per company) the rep's name names: the same name once legal endings are gone,
    else the ticker the rep typed. Several only when the names can't tell them apart."""
    wanted = key(name)
    if not wanted:
        return []
    found = _by_cik(f for f in filers if key(f.title) == wanted)
    if len(found) > 1:
        exact = [f for f in found if key(f.title, loose=False) == key(name, loose=False)]
        found = exact or found
    if found:
        return found
    typed = name.strip()
    # A ticker is also a word ("RING", "BOX"): "Meta" counts as META only when META's name says Meta;
    # typed in capitals, it is a ticker.
    return _by_cik(f for f in filers if f.ticker.upper() == typed.upper() and typed
                   and (typed.isupper() or names.company([typed]).named_in(f.title)))


def _by_cik(filers) -> list[Filer]:
    seen: dict[int, Filer] = {}
    for f in filers:
        seen.setdefault(f.cik, f)  # GOOGL and GOOG: one company, its first ticker listed
    return list(seen.values())


def _choose(ctx: SourceContext, matches: list[Filer], headers: dict):
    """(filer, submissions) for the rep's company, or None (said in progress) when it is not clear."""
    site = domain(ctx.website or "")
    if len(matches) > 1 and not site:
        ctx.progress(f"{len(matches)} SEC filers are named {ctx.company}; add the company's website to tell "
                     "them apart")
        return None
    for filer in matches[:MAX_CANDIDATES]:
        ctx.progress(f"reading filings of {filer.title} (CIK {filer.cik})")
        url = submissions_url(ctx, filer.cik)
        data = parse_submissions(_json(_get(ctx, url, headers).body, url, "list of filings"), url)
        theirs = domain(_web(data.get("website")))
        if not site or not theirs:
            if len(matches) == 1:
                return filer, data
            continue
        if _same_site(site, theirs):
            return filer, data
        if len(matches) == 1:
            ctx.progress(f"the SEC filer named {filer.title} has the website {theirs}, not {site}: "
                         "another company")
            return None
    ctx.progress(f"{len(matches)} SEC filers are named {ctx.company}; none gives {site} as its website")
    return None


def _web(value) -> str:
    return urls.with_scheme(value) if isinstance(value, str) else ""


def _same_site(a: str, b: str) -> bool:
    return a == b or a.endswith("." + b) or b.endswith("." + a)  # investor.acme.com is acme.com's


# -- the filings ----------------------------------------------------------------------------------
_RECENT_LISTS = ("accessionNumber", "filingDate", "form", "primaryDocument")


def parse_submissions(data, url: str) -> dict:
    """The submissions JSON, checked: its filings.recent lists are lists of one length."""
    recent = data.get("filings", {}).get("recent") if isinstance(data, dict) and isinstance(
        data.get("filings"), dict) else None
    ok = isinstance(recent, dict) and isinstance(data.get("name"), str)
    if ok:
        lists = [recent.get(k) for k in _RECENT_LISTS] + [recent[k] for k in ("reportDate", "items")
                                                          if k in recent]
        ok = all(isinstance(v, list) for v in lists) and len({len(v) for v in lists}) == 1
    if not ok:
        raise FetchError("parse-failed", url, (
            "The SEC's list of the company's filings is not in the shape the SEC documents (a name and "
            "filings.recent as lists of one length); Earned could not read it. Try again later."))
    return data


def facts(filer: Filer, data: dict, rep_name: str, now: datetime) -> list[FoundFact]:
    """What the submissions say, as facts citing the SEC: the profile, recent 8-Ks, latest 10-K and 10-Q."""
    name = _display_name(plain(data.get("name")) or filer.title, rep_name)
    today = now.date()
    rows = sorted(_rows(data["filings"]["recent"]), key=lambda r: r["filingDate"], reverse=True)
    found = [_profile(filer, data, name), *_described(filer, data, name)]
    found += _renamed(filer, data, name, today)
    current = [r for r in rows if r["form"] in CURRENT_FORMS and (today - r["filingDate"]).days <= RECENT_DAYS]
    for row in current[:MAX_8K]:
        items = [i.strip() for i in row["items"].split(",") if i.strip()]
        if len(items) > 1:
            items = [i for i in items if i != "9.01"]  # the exhibits that come with the news are not news
        events = ", ".join(_item(i) for i in items)
        text = f"{name} filed {CURRENT_FORMS[row['form']]} on {row['filingDate']}{': ' + events if events else ''}."
        found.append(_filing_fact(filer, row, name, text, rank.recency(row["filingDate"].isoformat(), today)))
    for form, (what, period) in _PERIODIC.items():
        row = next((r for r in rows if r["form"] == form), None)
        if row is None or (form == "20-F" and any(r["form"] == "10-K" for r in rows)):
            continue
        ended = f" for the {period} ended {row['reportDate']}" if row["reportDate"] else ""
        text = f"{name} filed its {what} ({form}){ended} on {row['filingDate']}."
        score = min(PERIODIC_CAP, rank.recency(row["filingDate"].isoformat(), today))
        found.append(_filing_fact(filer, row, name, text, score))
    return found


def _rows(recent: dict) -> list[dict]:
    """The filings whose number, date and form are what the SEC documents; others are left out."""
    rows = []
    for i, accession in enumerate(recent["accessionNumber"]):
        row = {k: recent[k][i] if k in recent else "" for k in (*_RECENT_LISTS, "reportDate", "items")}
        if not all(isinstance(v, str) for v in row.values()) or not _ACCESSION.fullmatch(accession):
            continue
        filed, report = dates.to_date(row["filingDate"]), dates.day(row["reportDate"])
        if filed is None or (row["reportDate"] and report is None):
            continue
        row["filingDate"], row["reportDate"] = filed, report or ""
        rows.append(row)
    return rows


def _filing_fact(filer: Filer, row: dict, name: str, text: str, score: float) -> FoundFact:
    folder = f"{SEC_WWW}/Archives/edgar/data/{filer.cik}/{row['accessionNumber'].replace('-', '')}"
    doc = row["primaryDocument"]
    url = f"{folder}/{doc}" if _DOCUMENT.fullmatch(doc) and ".." not in doc else (
        f"{folder}/{row['accessionNumber']}-index.htm")
    published = row["filingDate"].isoformat()
    return FoundFact("filing", text, url, f"SEC EDGAR: {name}, {row['form']} filed {published}", published,
                     "en", score=score)


def _profile(filer: Filer, data: dict, name: str) -> FoundFact:
    listed = _listing(data.get("tickers"), data.get("exchanges")) or filer.ticker
    place = _business_place(data.get("addresses"))
    parts = [f"{name} is a US public company{f' ({listed})' if listed else ''}{f' based in {place}' if place else ''}"]
    industry = plain(data.get("sicDescription"))
    if industry:
        parts.append(f"industry: {industry}")
    state = _state(data)
    if state:
        parts.append(f"incorporated in {state}")
    year_end = _year_end(data.get("fiscalYearEnd"))
    if year_end:
        parts.append(f"fiscal year ending {year_end}")
    category = _category(data.get("category"))
    if category:  # (a large accelerated filer has $700 million or more of shares in public hands: a big company)
        parts.append(f"SEC filer category: {category}")
    return FoundFact("filing", ", ".join(parts) + ".", _browse(filer), f"SEC EDGAR: {name}", None, "en",
                     score=PROFILE_SCORE)


def _described(filer: Filer, data: dict, name: str) -> list[FoundFact]:
    """The description the company filed with the SEC, when it filed one (most leave it empty)."""
    text = plain(data.get("description"))
    if len(text) < 12:
        return []
    if len(text) > DESCRIPTION_MAX:
        text = text[:DESCRIPTION_MAX].rsplit(" ", 1)[0] + "…"
    return [FoundFact("filing", f"{name} describes itself to the SEC: {sentence(text)}", _browse(filer),
                      f"SEC EDGAR: {name}", None, "en", score=PROFILE_SCORE)]


def _renamed(filer: Filer, data: dict, name: str, today: date) -> list[FoundFact]:
    """The company's latest former name, dated: a rename is news when fresh, and explains an old name
    in the rep's notes when not."""
    latest: tuple[str, str] | None = None
    for former in data.get("formerNames") if isinstance(data.get("formerNames"), list) else ():
        if not isinstance(former, dict):
            continue
        old, until = _STATE_MARK.sub("", plain(former.get("name"))), dates.day(former.get("to"))
        if old and until and key(old) != key(name) and (latest is None or until > latest[1]):
            latest = (old, until)  # (a name that only lost its "/DE/" or its "Inc." is no rename)
    if latest is None:
        return []
    old, until = latest
    return [FoundFact("filing", f"{name} was named {old} until {until}.", _browse(filer), f"SEC EDGAR: {name}",
                      until, "en", score=max(rank.SHOW_AT, rank.recency(until, today)))]


def _browse(filer: Filer) -> str:
    """The company's page on EDGAR: its filings, names and addresses, for the rep to open."""
    return f"{SEC_WWW}/edgar/browse/?CIK={filer.cik}"


def _business_place(addresses) -> str:
    """ "Springfield, Illinois": the town and state (or country) of the company's business address."""
    address = addresses.get("business") if isinstance(addresses, dict) else None
    if not isinstance(address, dict):
        return ""
    city = plain(address.get("city"))
    city = city.title() if city.isupper() else city  # EDGAR writes "SPRINGFIELD"
    code = plain(address.get("stateOrCountry")).upper()
    described = plain(address.get("stateOrCountryDescription"))
    where = _STATES.get(code) or (described if len(described) > 2 else "")  # "X0" is EDGAR's code, not a place
    return ", ".join(p for p in (city, where) if p)


def _category(value) -> str:
    """EDGAR's filer category ("Non-accelerated filer<br>Smaller reporting company") as words."""
    if not isinstance(value, str):
        return ""
    parts = (plain(p) for p in re.split(r"(?i)<br\s*/?>", value))
    return ", ".join(p[:1].lower() + p[1:] for p in parts if p)


def _listing(tickers, exchanges) -> str:
    """ "NYSE: ACME", "Nasdaq: GOOGL, GOOG": the tickers by exchange, as the submissions list them."""
    if not isinstance(tickers, list):
        return ""
    exchanges = exchanges if isinstance(exchanges, list) else []
    groups: dict[str, list[str]] = {}
    for i, ticker in enumerate(tickers[:4]):
        if isinstance(ticker, str) and ticker.strip():
            where = exchanges[i] if i < len(exchanges) and isinstance(exchanges[i], str) else ""
            groups.setdefault(plain(where), []).append(plain(ticker))
    return "; ".join(f"{where}: {', '.join(t)}" if where else ", ".join(t) for where, t in groups.items())


def _state(data: dict) -> str:
    code = plain(data.get("stateOfIncorporation")).upper()
    described = plain(data.get("stateOfIncorporationDescription"))
    return _STATES.get(code) or (described if len(described) > 2 else "")  # EDGAR's "E9" is no place name


def _year_end(value) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not re.fullmatch(r"\d{4}", text) or not 1 <= int(text[:2]) <= 12 or not 1 <= int(text[2:]) <= 31:
        return ""
    return f"{_MONTHS[int(text[:2]) - 1]} {int(text[2:])}"


def _item(code: str) -> str:
    """ "2.02 results": the item's number and, when the form has it, its short words."""
    words = ITEMS.get(code)
    return f"{code} {words}" if words else f"item {code}"


def _display_name(sec_name: str, rep_name: str) -> str:
    """The SEC's name unless EDGAR shouts it ("ACME CORP"): then the rep's, when it is the same name
    (not a ticker the rep typed)."""
    if any(c.islower() for c in sec_name) or key(rep_name) != key(sec_name):
        return sec_name
    return rep_name.strip()


# -- asking, and errors -----------------------------------------------------------------------------
# The SEC's usual answer to too many requests is not a 429 but a 403 page, "Request Rate Threshold
# Exceeded": "Your request rate has exceeded the SEC's maximum allowable requests per second. Your access
# to SEC.gov will be limited for 10 minutes." Its page for undeclared tools can carry the same title, but
# asks the program to declare its traffic: that one is about the User-Agent.
_THROTTLED = re.compile(rb"(?i)maximum allowable request|limited for 10 minutes|request rate threshold exceeded")
_UNDECLARED = re.compile(rb"(?i)undeclared automated tool|declare your (traffic|user.agent)")
_PAGE_CHARS = 20_000  # of an error page: its words are near the top
THROTTLE_SECONDS = 600.0  # how long the SEC says it limits an address that asked too often


def _get(ctx: SourceContext, url: str, headers: dict):
    return ctx.api.get(url, headers=headers, explain=_explain, limited=_limited)


def _limited(status: int, body: bytes, wall: float) -> float | None:
    """Whether the SEC said "too often" (a 429, or its 403 rate-limit page), and how long it then waits:
    the source rests that long (api.ApiClient), so no later run asks in vain meanwhile."""
    return THROTTLE_SECONDS if status == 429 or (status == 403 and _throttled(body)) else None


def _throttled(body: bytes) -> bool:
    page = body[:_PAGE_CHARS]
    return bool(_THROTTLED.search(page)) and not _UNDECLARED.search(page)


def _json(body: bytes, url: str, what: str):
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise FetchError("parse-failed", url,
                         f"The SEC's {what} is not valid JSON; Earned could not read it. Try again later.") from None


def _explain(status: int, body: bytes) -> str:
    """The SEC's error pages are HTML: say what each answer means, and what the rep can do."""
    if status == 429 or (status == 403 and _throttled(body)):
        return ("the SEC allows 10 requests a second and limits an address that asks faster for about 10 minutes "
                "(other programs or people on your network count too)")
    if status == 403:
        return ("the SEC refused the request. It refuses programs whose User-Agent does not declare who is asking "
                "with a real email address, and addresses that asked too often; check your name and email in "
                "Settings > Research.")
    if status == 404:
        return ("the SEC has no such file. Look the company up on https://www.sec.gov/edgar/search/ instead, or try "
                "again tomorrow.")
    words = said(body).rstrip(".")
    if status >= 500:
        return f"{words}. Try again in a few minutes." if words else \
            "the SEC's site is having trouble; try again in a few minutes."
    return f"{words}. Try again later." if words else "try again later."
