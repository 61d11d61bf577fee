"""A polite, hard-to-break HTTP fetcher: robots.txt, one request per host at a time, crawl
delays, size caps, deadlines, http(s)-only redirects, and every failure classified.

Bodies are returned as bytes: parsers get bytes and the declared charset (requests' r.text
guesses ISO-8859-1 for text/* without a charset, which turns UTF-8 into mojibake).
"""
from __future__ import annotations

import email.utils
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import urllib3.exceptions
from protego import Protego

from app import __version__
from app.core import redact as redaction

from .errors import Cancelled, FetchError

PAGE_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml",
              "application/feed+json", "application/json")
API_TYPES = ("application/json", "text/json", "text/plain", "text/javascript", "application/javascript")
ROBOTS_TYPES = ("text/plain",)
MB = 1024 * 1024

# urllib3 logs every request URL at DEBUG, and GNews takes its API key in the URL: keep those
# lines out of any log, whatever level the app runs at.
logging.getLogger("urllib3.connectionpool").setLevel(logging.INFO)


def user_agent(contact: str = "") -> str:
    """Honest: who we are, our version, and how to reach the person running us."""
    who = f"; contact: {contact}" if contact else ""
    return f"Earned/{__version__} (sales research assistant; fetches a few public pages per company{who})"


def normalize_url(url: str) -> str:
    """A fetchable http(s) URL: scheme added when missing, host in IDNA (punycode) form."""
    raw = url.strip()
    if not raw or any(c.isspace() for c in raw) or any(ord(c) < 32 for c in raw):
        raise FetchError("invalid-url", url, f"'{url}' is not a web address.")
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError("invalid-url", url, f"Only http:// and https:// addresses are fetched, not {parts.scheme}:.")
    try:
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        raise FetchError("invalid-url", url, f"'{url}' has an invalid port.") from None
    if not host:
        raise FetchError("invalid-url", url, f"'{url}' has no host name.")
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise FetchError("invalid-url", url, f"'{host}' is not a valid domain name.") from None
    netloc = ascii_host + (f":{port}" if port else "")
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port: a key may go only where its request started."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or {"http": 80, "https": 443}.get(scheme)


def _where(url: str) -> str:
    """Host (and port, if one is given) for messages: never the path or query, which may hold a key."""
    parts = urlsplit(url)
    return (parts.hostname or "?") + (f":{parts.port}" if parts.port else "")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def sniff(body: bytes) -> str | None:
    """What the first bytes look like: 'html', 'xml', 'json', 'binary', or None."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"\x00" in body[:2048]:
        return "binary"
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<!--", b"<div", b"<p")):
        return "html"
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")):
        return "xml"
    if head.startswith((b"{", b"[")):
        return "json"
    if head and sum(1 for b in head[:512] if b < 9 or 13 < b < 32) > 8:
        return "binary"
    return None


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked
    final_url: str  # after redirects: the one to cite
    status: int
    content_type: str  # media type, lower case, no parameters
    charset: str | None  # from the Content-Type header, if any
    body: bytes
    headers: dict = field(default_factory=dict, compare=False)


class _HostGate:
    """At most one request at a time per host, and a pause between them (the crawl delay)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._hosts: dict[str, list] = {}  # host -> [lock, earliest next start]

    def slot(self, host: str) -> list:
        with self._lock:
            return self._hosts.setdefault(host, [threading.Lock(), 0.0])


@dataclass
class _Robots:
    parser: Protego | None  # None: no rules (4xx), everything allowed
    blocked: FetchError | None = None  # robots.txt failed with 5xx/timeout: skip the host for now


class Fetcher:
    """Thread-safe: one requests.Session per thread; robots and host gates shared."""

    def __init__(self, contact: str = "", connect_timeout: float = 5.0, read_timeout: float = 10.0,
                 deadline: float = 25.0, page_max_bytes: int = 5 * MB, feed_max_bytes: int = 10 * MB,
                 crawl_delay: float = 1.0, max_redirects: int = 5, retries: int = 2, max_retry_wait: float = 30.0,
                 cancel: threading.Event | None = None, redact: tuple[str, ...] = ()):
        self.user_agent = user_agent(contact)
        self.connect_timeout, self.read_timeout, self.deadline = connect_timeout, read_timeout, deadline
        self.max_bytes = {"page": page_max_bytes, "feed": feed_max_bytes, "api": feed_max_bytes,
                          "robots": 512 * 1024}
        self.crawl_delay, self.max_redirects = crawl_delay, max_redirects
        self.retries, self.max_retry_wait = retries, max_retry_wait
        self.cancel = cancel or threading.Event()
        self.redact = tuple(r for r in redact if r)  # API keys: never in a message or a log
        for secret in self.redact:
            redaction.register(secret)
        self._local = threading.local()
        self._gate = _HostGate()
        self._robots: dict[str, _Robots] = {}
        self._robots_lock = threading.Lock()
        self._robots_fetching: dict[str, threading.Lock] = {}

    # -- plumbing ------------------------------------------------------------------
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = self.user_agent
            session.headers["Accept-Encoding"] = "gzip, deflate"
            session.trust_env = False  # no proxies or .netrc surprises; tests run on 127.0.0.1
            self._local.session = session
        return session

    def clean(self, text: str) -> str:
        """text with every known key (whole, URL-encoded or in part) masked."""
        return redaction.redact(text)

    def _error(self, kind: str, url: str, message: str) -> FetchError:
        return FetchError(kind, self.clean(url), self.clean(message))

    def _wait(self, seconds: float) -> None:
        if seconds > 0 and self.cancel.wait(seconds):
            raise Cancelled()

    # -- robots.txt ----------------------------------------------------------------
    def _robots_for(self, url: str, started: float) -> _Robots:
        key = _host_key(url)
        with self._robots_lock:
            known = self._robots.get(key)
            fetching = self._robots_fetching.setdefault(key, threading.Lock())
        if known is not None:
            return known
        with fetching:  # two threads starting on one host fetch its robots.txt once
            with self._robots_lock:
                known = self._robots.get(key)
            if known is not None:
                return known
            return self._fetch_robots(key, url, started)

    def _fetch_robots(self, key: str, url: str, started: float) -> _Robots:
        robots_url = key + "/robots.txt"
        try:
            got = self._get(robots_url, "robots", ROBOTS_TYPES, started, check_robots=False, sniff_types=False)
            entry = _Robots(Protego.parse(got.body.decode("utf-8", "replace")))
        except FetchError as e:
            status = getattr(e, "status", 0)
            if e.kind == "http-status" and 400 <= status < 500:
                entry = _Robots(None)  # no robots.txt: everything allowed
            elif e.kind in ("wrong-type", "too-large", "parse-failed"):
                entry = _Robots(None)
            elif e.kind == "offline":
                raise
            else:  # 5xx, timeout: the site is struggling; leave it alone for now
                entry = _Robots(None, self._error(
                    e.kind, url, f"robots.txt at {robots_url} did not answer ({e.message}); skipping this site for now."))
        with self._robots_lock:
            self._robots.setdefault(key, entry)
        return entry

    def _check_robots(self, url: str, started: float) -> float:
        """Raise if robots.txt forbids url; return the crawl delay to use for its host."""
        robots = self._robots_for(url, started)
        if robots.blocked:
            raise robots.blocked
        if robots.parser is None:
            return self.crawl_delay
        if not robots.parser.can_fetch(url, "Earned"):
            raise self._error("robots-disallowed", url, f"The site's robots.txt asks crawlers not to fetch {url}.")
        delay = robots.parser.crawl_delay("Earned")
        return max(self.crawl_delay, float(delay)) if delay else self.crawl_delay

    def sitemaps(self, url: str) -> list[str]:
        """Sitemaps the site's robots.txt names (fetching robots.txt if not yet known)."""
        robots = self._robots_for(normalize_url(url), time.monotonic())
        return list(robots.parser.sitemaps) if robots.parser is not None else []

    # -- fetching ------------------------------------------------------------------
    def fetch(self, url: str, kind: str = "page", accept: tuple[str, ...] | None = None,
              headers: dict | None = None, service: str = "") -> Fetched:
        """GET url politely; raise FetchError (classified) or Cancelled.

        headers are credentials (NewsAPI's X-Api-Key); service names the API in messages.
        """
        types = accept or {"page": PAGE_TYPES, "feed": FEED_TYPES, "api": API_TYPES}[kind]
        started = time.monotonic()
        url = normalize_url(url)
        return self._get(url, kind, types, started, check_robots=True, extra_headers=headers, service=service)

    def _get(self, url: str, kind: str, types: tuple[str, ...], started: float, check_robots: bool,
             sniff_types: bool = True, extra_headers: dict | None = None, service: str = "") -> Fetched:
        # A request that carries a key (in a header, or in its URL as GNews wants it) never follows a
        # redirect to another origin: requests would keep custom headers, and the URL's key would go
        # wherever the redirect points. Stopping is the only way nothing reaches the other host.
        keyed = bool(extra_headers) or redaction.contains_secret(url)
        seen = set()
        current = url
        for _ in range(self.max_redirects + 1):
            if current in seen:
                raise self._error("http-status", url, f"{url} redirects in a loop.")
            seen.add(current)
            delay = self._check_robots(current, started) if check_robots else 0.0
            response_or_next = self._attempts(current, kind, types, started, delay, sniff_types, extra_headers)
            if isinstance(response_or_next, Fetched):
                return Fetched(url, response_or_next.final_url, response_or_next.status,
                               response_or_next.content_type, response_or_next.charset, response_or_next.body,
                               response_or_next.headers)
            current = response_or_next  # a redirect target, already checked to be http(s)
            if keyed and _origin(current) != _origin(url):
                raise self._error("http-status", url, (
                    f"{service or _where(url)} redirected to {_where(current)}; Earned sends your key only to "
                    "the service's own address, so it stopped here."))
        raise self._error("http-status", url, f"{url} redirects more than {self.max_redirects} times.")

    def _attempts(self, url, kind, types, started, delay, sniff_types, extra_headers):
        """One URL, with retries on 429/5xx. Returns Fetched, or the next URL of a redirect."""
        for attempt in range(self.retries + 1):
            try:
                return self._once(url, kind, types, started, delay, sniff_types, extra_headers)
            except _Retry as retry:
                remaining = self.deadline - (time.monotonic() - started)
                wait = retry.after if retry.after is not None else 2.0 ** attempt
                if attempt == self.retries or wait > min(remaining, self.max_retry_wait):
                    error = self._error("http-status", url, retry.message + (
                        f" It asked us to wait {wait:.0f} s; try again later." if retry.after else ""))
                    error.status = retry.status
                    raise error from None
                self._wait(wait)
        raise AssertionError("unreachable")

    def _once(self, url, kind, types, started, delay, sniff_types, extra_headers):
        if self.cancel.is_set():
            raise Cancelled()
        slot = self._gate.slot(_host_key(url))
        with slot[0]:  # one request at a time per host
            self._wait(slot[1] - time.monotonic())
            try:
                return self._request(url, kind, types, started, sniff_types, extra_headers)
            finally:
                slot[1] = time.monotonic() + delay

    def _request(self, url, kind, types, started, sniff_types, extra_headers):
        remaining = self.deadline - (time.monotonic() - started)
        if remaining <= 0:
            raise self._error("timeout", url, f"{url} took longer than {self.deadline:.0f} s.")
        try:
            response = self._session().get(
                url, stream=True, allow_redirects=False, headers=extra_headers,
                timeout=(min(self.connect_timeout, remaining), min(self.read_timeout, remaining)),
            )
        except requests.exceptions.Timeout:
            raise self._error("timeout", url, f"{url} did not answer within {self.read_timeout:.0f} s.") from None
        except requests.exceptions.InvalidURL as e:
            raise self._error("invalid-url", url, f"'{url}' is not a valid address ({e}).") from None
        except requests.exceptions.ConnectionError as e:
            raise self._error("offline", url, _connection_message(url, e)) from None
        except requests.exceptions.RequestException as e:
            raise self._error("http-status", url, f"{url} failed ({type(e).__name__}).") from None
        with response:
            status = response.status_code
            if status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise self._error("http-status", url, f"{url} redirects without saying where (HTTP {status}).")
                target = urljoin(url, location)
                if urlsplit(target).scheme.lower() not in ("http", "https"):
                    raise self._error("invalid-url", url,
                                      f"{url} redirects to {urlsplit(target).scheme}:, which Earned never follows.")
                return normalize_url(target)
            if status == 429 or 500 <= status < 600:
                raise _Retry(status, _retry_after(response.headers.get("Retry-After")),
                             f"{url} answered HTTP {status}{' (too many requests)' if status == 429 else ''}.")
            if status >= 400 or status < 200:
                error = self._error("http-status", url, f"{url} answered HTTP {status}.")
                error.status = status
                raise error
            media, charset = _content_type(response.headers.get("Content-Type", ""))
            limit = self.max_bytes[kind]
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise self._error("too-large", url, f"{url} is {int(declared) / MB:.1f} MB; the limit is "
                                                    f"{limit / MB:.0f} MB.")
            body = self._read_body(response, url, limit, started)
            if sniff_types:
                media = self._check_type(url, media, body, types, kind)
            elif media and media not in types and not media.startswith("text/"):
                raise self._error("wrong-type", url, f"{url} is {media}, not text.")
            return Fetched(url, response.url or url, status, media, charset, body, dict(response.headers))

    def _read_body(self, response, url: str, limit: int, started: float) -> bytes:
        """Read as data arrives (read1), so a slow drip hits the deadline and a gzip bomb the cap."""
        chunks, size = [], 0
        raw = response.raw
        try:
            while True:
                if self.cancel.is_set():
                    raise Cancelled()
                if time.monotonic() - started > self.deadline:
                    raise self._error("timeout", url, f"{url} sent its page too slowly (over {self.deadline:.0f} s).")
                chunk = raw.read1(16 * 1024, decode_content=True)  # small: a gzip bomb inflates ~1000x
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise self._error("too-large", url, f"{url} is larger than {limit / MB:.0f} MB (unpacked); "
                                                        "it was not read further.")
                chunks.append(chunk)
        except (urllib3.exceptions.ReadTimeoutError, socket.timeout, requests.exceptions.Timeout):
            raise self._error("timeout", url, f"{url} stopped sending data.") from None
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError) as e:
            raise self._error("parse-failed", url, f"{url} sent a broken response ({type(e).__name__}).") from None
        except (ConnectionError, OSError) as e:
            raise self._error("offline", url, f"The connection to {url} dropped ({type(e).__name__}).") from None
        return b"".join(chunks)

    def _check_type(self, url: str, media: str, body: bytes, types: tuple[str, ...], kind: str) -> str:
        looks = sniff(body)
        if looks == "binary":
            raise self._error("wrong-type", url, f"{url} is binary data{f' labelled {media}' if media else ''}, "
                                                 "not a page.")
        if media in types:
            return media
        # Missing or generic types: trust what the bytes look like.
        if media in ("", "application/octet-stream", "text/plain", "binary/octet-stream"):
            if kind == "page" and looks == "html":
                return "text/html"
            if kind in ("feed", "api") and looks in ("xml", "json"):
                return "application/xml" if looks == "xml" else "application/json"
            if kind == "api" and media == "text/plain":
                return media
        if kind == "feed" and looks in ("xml", "json") and media.endswith(("+xml", "/xml", "json")):
            return media
        raise self._error("wrong-type", url, f"{url} is {media or 'of unknown type'}, not "
                                             f"{'a web page' if kind == 'page' else 'a feed' if kind == 'feed' else 'data'}.")


class _Retry(Exception):
    def __init__(self, status: int, after: float | None, message: str):
        super().__init__(message)
        self.status, self.after, self.message = status, after, message


def _content_type(header: str) -> tuple[str, str | None]:
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip("\"' ").lower()
    return media.strip().lower(), charset


def _connection_message(url: str, error: Exception) -> str:
    text = str(error).lower()
    host = urlsplit(url).hostname
    if "name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text \
            or "name resolution" in text or "no address associated" in text:
        return f"Could not look up {host}: no network, or the domain does not exist."
    if "refused" in text:
        return f"{host} refused the connection."
    if "unreachable" in text:
        return "The network is unreachable: you seem to be offline."
    return f"Could not connect to {host}."
