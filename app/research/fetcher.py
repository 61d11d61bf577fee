"""A polite, hard-to-break HTTP fetcher: robots.txt, one request per host at a time, crawl
delays, size caps, deadlines, http(s)-only redirects, and every failure classified.

Bodies are returned as bytes: parsers get bytes and the declared charset (requests' r.text
guesses ISO-8859-1 for text/* without a charset, which turns UTF-8 into mojibake).

Whatever a server does, a fetch ends by its deadline or within a moment of Cancel: a watchdog
shuts the request's socket down, which wakes the fetching thread wherever it is blocked
(connecting, waiting for headers, reading a body). Only the DNS lookup cannot be interrupted.
"""
from __future__ import annotations

import http.client
import ipaddress
import logging
import math
import socket
import sys
import threading
import time
from dataclasses import dataclass, field

import requests
import urllib3.connection
import urllib3.exceptions
from protego import Protego
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from app import __version__
from app.core import dates, urls
from app.core import redact as redaction

from .errors import Cancelled, FetchError

PAGE_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml",
              "application/feed+json", "application/json")
API_TYPES = ("application/json", "text/json", "text/plain", "text/javascript", "application/javascript")
ROBOTS_TYPES = ("text/plain",)
MB = 1024 * 1024
KIB = 1024
DEFAULT_PORTS = {"http": 80, "https": 443}
# RFC 9309 2.5: crawlers must parse at least the first 500 KiB of a robots.txt; a longer one is
# read that far and honoured, never ignored.
ROBOTS_MAX_BYTES = 512 * KIB
# How often the watchdog looks at Cancel and the deadline: well inside the 1 s a Cancel may take.
WATCH_INTERVAL = 0.05

# urllib3 logs every request URL at DEBUG, and GNews takes its API key in the URL: keep those
# lines out of any log, whatever level the app runs at.
logging.getLogger("urllib3.connectionpool").setLevel(logging.INFO)


def user_agent(contact: str = "") -> str:
    """Honest: who we are, our version, and how to reach the person running us."""
    who = f"; contact: {contact}" if contact else ""
    return f"Earned/{__version__} (sales research assistant; fetches a few public pages per company{who})"


def normalize_url(url: str) -> str:
    """A fetchable http(s) URL (app.core.urls.normalize: scheme added when missing, host in IDNA
    form); FetchError("invalid-url") saying what is wrong otherwise."""
    try:
        return urls.normalize(url)
    except urls.NotAWebAddress as e:
        message = {
            "scheme": f"Only http:// and https:// addresses are fetched, not {e.scheme}:.",
            "port": f"'{url}' has an invalid port.",
            "host": f"'{url}' has no host name.",
            "idna": f"'{e.host}' is not a valid domain name.",
        }.get(e.code, f"'{url}' is not a web address.")
        raise FetchError("invalid-url", url, message) from None


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port: a key may go only where its request started."""
    parts = urls.split(url)
    scheme = parts.scheme.lower() if parts else ""
    return scheme, urls.host(url), (parts.port if parts else None) or DEFAULT_PORTS.get(scheme)


def _where(url: str) -> str:
    """Host (and port, if one is given) for messages: never the path or query, which may hold a key."""
    parts = urls.split(url)
    return (urls.host(url) or "?") + (f":{parts.port}" if parts and parts.port else "")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = dates.parse_datetime(value)  # an HTTP-date (RFC 7231), written as RFC 2822 writes dates
    try:
        return max(0.0, when.timestamp() - time.time()) if when else None
    except (OverflowError, OSError, ValueError):
        return None


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
    truncated: bool = False  # only the first part was read (a huge robots.txt, a page with too many tags)


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


# -- the watchdog and the connections it watches ------------------------------------------------------
_ACTIVE = threading.local()  # the _Guard of the request this thread is making, for _connect


class _Refused(Exception):
    """A connection Earned will not make. Not an OSError, so urllib3 and requests let it through as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _is_public(ip_text: str) -> bool:
    """False for loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16,
    fe80::/10), carrier-grade NAT, multicast, unspecified and reserved addresses."""
    try:
        ip = ipaddress.ip_address(ip_text.split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:  # ::ffff:127.0.0.1 is 127.0.0.1
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _resolve(host: str, port: int) -> list[str]:
    """The addresses host resolves to now ([] if it does not resolve: the connection will say so)."""
    try:
        return [info[4][0] for info in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)]
    except (OSError, UnicodeError):
        return []


class _Guard:
    """One request's watchdog. On Cancel or at the deadline it shuts the request's socket down, which
    wakes the fetching thread wherever it blocks: Python has no other way to interrupt a recv() or a
    connect() from outside. It also decides which addresses the request may connect to."""

    def __init__(self, fetcher: "Fetcher", ends_at: float, private_ok: bool):
        self.fetcher, self.ends_at, self.private_ok = fetcher, ends_at, private_ok
        self.phase = "connecting"  # connecting -> answering (headers) -> body
        self.fired: str | None = None  # "cancel" or "deadline"
        self._dups: list[socket.socket] = []
        self._lock = threading.Lock()
        self._done = threading.Event()

    def __enter__(self) -> "_Guard":
        _ACTIVE.guard = self
        threading.Thread(target=self._watch, name="earned-fetch-watchdog", daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.finish()
        _ACTIVE.guard = None

    def _watch(self) -> None:
        while not self._done.wait(WATCH_INTERVAL):
            if self.fetcher.cancel.is_set():
                self._fire("cancel")
            elif time.monotonic() >= self.ends_at:
                self._fire("deadline")
            if self.fired:
                return

    def _fire(self, reason: str) -> None:
        with self._lock:
            if self._done.is_set() or self.fired:
                return
            self.fired = reason
            for sock in self._dups:
                _shutdown(sock)

    def attach(self, sock: socket.socket) -> None:
        """Watch sock, before it connects. We keep our own duplicate of it: shutting the duplicate down
        ends the connection for both (also once TLS has wrapped the original), and our descriptor
        cannot be closed and reused by someone else's socket while we still hold it."""
        with self._lock:
            if self.fired:
                raise OSError("the request was stopped")
            self._dups.append(sock.dup())

    def connected(self, host: str, ip_text: str) -> None:
        self.phase = "answering"
        if _is_public(ip_text):
            self.fetcher._seen_public(host)

    def reached_body(self) -> bool:
        """Move to the body phase, unless the watchdog has already fired."""
        with self._lock:
            if not self.fired:
                self.phase = "body"
            return not self.fired

    def refusal(self, host: str, ip_text: str) -> _Refused | None:
        """Why we may not connect to host at ip_text, or None. Checked on the address we are about to
        connect to, so a DNS answer that changes between our check and the connection cannot slip by."""
        fetcher = self.fetcher
        if fetcher.allow_private_redirects or _is_public(ip_text):
            return None
        if not self.private_ok:
            return _Refused(_private_message(host, ip_text))
        if fetcher._was_public(host):  # DNS rebinding: a public site's name now points inside the network
            return _Refused(f"{host} first answered from a public address, then from {ip_text} on a private or "
                            "local network; Earned stopped there.")
        return None

    def finish(self) -> None:
        """No shutdown after this: the caller may now close the socket, and its number be reused."""
        with self._lock:
            self._done.set()
            for sock in self._dups:
                sock.close()
            self._dups = []


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # not connected yet, or already closed: either way nothing more to stop


def _private_message(host: str, ip_text: str) -> str:
    where = host if host == ip_text else f"{host} ({ip_text})"
    return (f"The site redirected to {where}, an address on a private or local network; Earned does not follow "
            "a web site there.")


def _connect(conn) -> socket.socket:
    """urllib3's HTTPConnection._new_conn, but the socket goes to the request's watchdog before it
    connects (so Cancel ends a connection attempt too), and each address is checked just before we
    connect to it. urllib3's own exceptions, so requests classifies failures as before."""
    guard: _Guard | None = getattr(_ACTIVE, "guard", None)
    timeout = conn.timeout if isinstance(conn.timeout, (int, float)) else None
    try:
        infos = socket.getaddrinfo(conn._dns_host, conn.port, 0, socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise urllib3.exceptions.NameResolutionError(conn.host, conn, e) from e
    refused, error = None, None
    for family, kind, proto, _, address in infos:
        if guard is not None:
            refusal = guard.refusal(conn.host, address[0])
            if refusal is not None:
                refused = refusal
                continue
        sock = socket.socket(family, kind, proto)
        try:
            if guard is not None:
                guard.attach(sock)
            for option in conn.socket_options or ():
                sock.setsockopt(*option)
            sock.settimeout(timeout)
            if conn.source_address:
                sock.bind(conn.source_address)
            sock.connect(address)
        except TimeoutError as e:
            sock.close()
            raise urllib3.exceptions.ConnectTimeoutError(
                conn, f"Connection to {conn.host} timed out. (connect timeout={timeout})") from e
        except OSError as e:
            sock.close()
            error = e
            continue
        if guard is not None:
            guard.connected(conn.host, address[0])
        sys.audit("http.client.connect", conn, conn.host, conn.port)
        return sock
    if refused is not None:
        raise refused
    raise urllib3.exceptions.NewConnectionError(conn, f"Failed to establish a new connection: {error}")


class _HTTPConnection(urllib3.connection.HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _connect(self)


class _HTTPSConnection(urllib3.connection.HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _connect(self)


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class _Adapter(HTTPAdapter):
    """requests' adapter, with connections made by _connect."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


class Fetcher:
    """Thread-safe: one requests.Session per thread; robots and host gates shared.

    max_crawl_delay caps the pause a robots.txt asks for (a notice says so); allow_private_redirects
    lets a site redirect to another port or into a private or local network (off: refused, kind
    "blocked"); page_max_tags stops reading a page after that many tags (a notice says so).
    Notices are FetchErrors that did not stop anything: take them with take_notices().
    """

    def __init__(self, contact: str = "", connect_timeout: float = 5.0, read_timeout: float = 10.0,
                 deadline: float = 25.0, page_max_bytes: int = 5 * MB, feed_max_bytes: int = 10 * MB,
                 crawl_delay: float = 1.0, max_redirects: int = 5, retries: int = 2, max_retry_wait: float = 30.0,
                 cancel: threading.Event | None = None, redact: tuple[str, ...] = (),
                 max_crawl_delay: float = 10.0, allow_private_redirects: bool = False,
                 page_max_tags: int = 50_000):
        self.user_agent = user_agent(contact)
        self.connect_timeout, self.read_timeout, self.deadline = connect_timeout, read_timeout, deadline
        self.max_bytes = {"page": page_max_bytes, "feed": feed_max_bytes, "api": feed_max_bytes,
                          "robots": ROBOTS_MAX_BYTES}
        self.crawl_delay, self.max_redirects = crawl_delay, max_redirects
        self.max_crawl_delay = max_crawl_delay
        self.allow_private_redirects = allow_private_redirects
        # Parsers need memory and time per element: 50,000 tags keep a page's parse under ~200 MB
        # and a second or two, while ordinary pages have a few thousand.
        self.page_max_tags = page_max_tags
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
        self._notices: list[FetchError] = []
        self._noticed: set = set()
        self._public_hosts: set[str] = set()

    # -- plumbing ------------------------------------------------------------------
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = self.user_agent
            session.headers["Accept-Encoding"] = "gzip, deflate"
            session.trust_env = False  # no proxies or .netrc surprises; tests run on 127.0.0.1
            session.mount("http://", _Adapter())
            session.mount("https://", _Adapter())
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

    def _notice(self, key, kind: str, url: str, message: str) -> None:
        with self._robots_lock:
            if key not in self._noticed:
                self._noticed.add(key)
                self._notices.append(self._error(kind, url, message))

    def take_notices(self) -> list[FetchError]:
        """What the rep should know though nothing failed (a crawl delay capped, a page read in part),
        oldest first, each once; taking them empties the list."""
        with self._robots_lock:
            notices, self._notices = self._notices, []
        return notices

    def _seen_public(self, host: str) -> None:
        with self._robots_lock:
            self._public_hosts.add(host.lower())

    def _was_public(self, host: str) -> bool:
        with self._robots_lock:
            return host.lower() in self._public_hosts

    # -- robots.txt ----------------------------------------------------------------
    def _robots_for(self, url: str, started: float, home: str | None = None) -> _Robots:
        key = urls.origin(url)
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
            return self._fetch_robots(key, url, started, home or url)

    def _fetch_robots(self, key: str, url: str, started: float, home: str) -> _Robots:
        robots_url = key + "/robots.txt"
        try:
            got = self._get(robots_url, "robots", ROBOTS_TYPES, started, check_robots=False, sniff_types=False,
                            home=home)
            body = got.body
            if got.truncated:  # the first 500 KiB and more, up to its last whole line
                body = body[: body.rfind(b"\n") + 1]
            entry = _Robots(Protego.parse(body.decode("utf-8", "replace")))
        except FetchError as e:
            status = getattr(e, "status", 0)
            if e.kind == "http-status" and 400 <= status < 500:
                entry = _Robots(None)  # no robots.txt: everything allowed
            elif e.kind in ("wrong-type", "too-large", "parse-failed"):
                entry = _Robots(None)
            elif e.kind in ("offline", "blocked"):
                raise
            else:  # 5xx, timeout: the site is struggling; leave it alone for now
                entry = _Robots(None, self._error(
                    e.kind, url, f"robots.txt at {robots_url} did not answer ({e.message}); skipping this site for now."))
        with self._robots_lock:
            self._robots.setdefault(key, entry)
        return entry

    def _check_robots(self, url: str, started: float, home: str | None = None) -> float:
        """Raise if robots.txt forbids url; return the crawl delay to use for its host."""
        robots = self._robots_for(url, started, home)
        if robots.blocked:
            raise robots.blocked
        if robots.parser is None:
            return self.crawl_delay
        if not robots.parser.can_fetch(url, "Earned"):
            raise self._error("robots-disallowed", url, f"The site's robots.txt asks crawlers not to fetch {url}.")
        delay = robots.parser.crawl_delay("Earned")
        if not delay or math.isnan(float(delay)) or float(delay) <= 0:
            return self.crawl_delay
        delay = float(delay)
        if delay > self.max_crawl_delay:
            # Waiting an hour between pages would be no research at all: wait our longest, and say so.
            self._notice(("crawl-delay", urls.origin(url)), "crawl-delay", url, (
                f"{_where(url)} asks crawlers (in its robots.txt) to wait {delay:g} s between requests; Earned "
                f"waits {self.max_crawl_delay:g} s at most, so it visits more often than the site asks."))
            delay = self.max_crawl_delay
        return max(self.crawl_delay, delay)

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
        # A documented API follows its own rules (sources.api.ApiClient), not robots.txt: it gets every
        # answer as it came, errors included (their bodies say what is wrong), and is never retried here.
        api = kind == "api"
        return self._get(url, kind, types, started, check_robots=not api, sniff_types=not api,
                         extra_headers=headers, service=service)

    def _get(self, url: str, kind: str, types: tuple[str, ...], started: float, check_robots: bool,
             sniff_types: bool = True, extra_headers: dict | None = None, service: str = "",
             home: str | None = None) -> Fetched:
        # home: the address the rep (or the code) asked for. Its origin may be anything, 127.0.0.1
        # included; a redirect elsewhere may not lead to another port or into a private network.
        home = home or url
        # A request that carries a key (in a header, as every keyed source sends it, or in a URL that
        # looks like it holds a secret) never follows a redirect to another origin: requests would keep
        # custom headers, and a URL's key would go wherever the redirect points. Stopping is the only
        # way nothing reaches the other host.
        keyed = bool(extra_headers) or redaction.contains_secret(url)
        seen = set()
        current = url
        for _ in range(self.max_redirects + 1):
            if current in seen:
                raise self._error("http-status", url, f"{url} redirects in a loop.")
            seen.add(current)
            private_ok = _origin(current) == _origin(home)
            delay = self._check_robots(current, started, home) if check_robots else 0.0
            response_or_next = self._attempts(current, kind, types, started, delay, sniff_types, extra_headers,
                                              private_ok)
            if isinstance(response_or_next, Fetched):
                got = response_or_next
                return Fetched(url, got.final_url, got.status, got.content_type, got.charset, got.body, got.headers,
                               got.truncated)
            target = response_or_next  # a redirect target, already checked to be http(s)
            if keyed and _origin(target) != _origin(url):
                raise self._error("http-status", url, (
                    f"{service or _where(url)} redirected to {_where(target)}; Earned sends your key only to "
                    "the service's own address, so it stopped here."))
            self._check_redirect(url, current, target, home)
            current = target
        raise self._error("http-status", url, f"{url} redirects more than {self.max_redirects} times.")

    def _check_redirect(self, url: str, source: str, target: str, home: str) -> None:
        """Refuse a redirect away from home to another port or a private or local address, before any
        request goes there (robots.txt included). The connection checks the address again."""
        if self.allow_private_redirects or _origin(target) == _origin(home):
            return
        scheme, host, port = _origin(target)
        if port not in (_origin(home)[2], DEFAULT_PORTS.get(scheme)):
            raise self._error("blocked", url, (
                f"{_where(source)} redirected to {_where(target)}, another port; Earned follows a site only to "
                "the usual web ports (80 and 443) or the port you gave."))
        for ip in _resolve(host, port):
            if not _is_public(ip):
                raise self._error("blocked", url, _private_message(host, ip))

    def _attempts(self, url, kind, types, started, delay, sniff_types, extra_headers, private_ok):
        """One URL, with retries on 429/5xx (not for an API). Returns Fetched, or the next URL of a redirect."""
        retries = 0 if kind == "api" else self.retries
        for attempt in range(retries + 1):
            try:
                return self._once(url, kind, types, started, delay, sniff_types, extra_headers, private_ok)
            except _Retry as retry:
                remaining = self.deadline - (time.monotonic() - started)
                wait = retry.after if retry.after is not None else 2.0 ** attempt
                if attempt == retries or wait > min(remaining, self.max_retry_wait):
                    error = self._error("http-status", url, retry.message + (
                        f" It asked us to wait {wait:.0f} s; try again later." if retry.after else ""))
                    error.status = retry.status
                    raise error from None
                self._wait(wait)
        raise AssertionError("unreachable")

    def _once(self, url, kind, types, started, delay, sniff_types, extra_headers, private_ok):
        if self.cancel.is_set():
            raise Cancelled()
        slot = self._gate.slot(urls.origin(url))
        with slot[0]:  # one request at a time per host
            self._wait(slot[1] - time.monotonic())
            try:
                return self._request(url, kind, types, started, sniff_types, extra_headers, private_ok)
            finally:
                slot[1] = time.monotonic() + delay

    def _request(self, url, kind, types, started, sniff_types, extra_headers, private_ok):
        if self.cancel.is_set():
            raise Cancelled()
        remaining = self.deadline - (time.monotonic() - started)
        if remaining <= 0:
            raise self._error("timeout", url, f"{url} took longer than {self.deadline:g} s.")
        with _Guard(self, started + self.deadline, private_ok) as guard:
            try:
                return self._exchange(url, kind, types, started, sniff_types, extra_headers, guard, remaining)
            except Exception:
                # Whatever the shut socket made the libraries raise (or a body that looks complete but
                # was cut short), the truth is that we stopped it.
                if guard.fired:
                    raise self._stopped(guard, url) from None
                raise

    def _stopped(self, guard: _Guard, url: str) -> Exception:
        if guard.fired == "cancel":
            return Cancelled()
        limit = f"{self.deadline:g} s"
        if guard.phase == "connecting":
            return self._error("timeout", url, f"{url} did not accept a connection within {limit}.")
        if guard.phase == "answering":
            return self._error("timeout", url, f"{url} did not finish answering within {limit}; Earned stopped "
                                               "waiting.")
        return self._error("timeout", url, f"{url} sent its page too slowly (over {limit}).")

    def _exchange(self, url, kind, types, started, sniff_types, extra_headers, guard, remaining):
        try:
            response = self._session().get(
                url, stream=True, allow_redirects=False, headers=extra_headers,
                timeout=(min(self.connect_timeout, remaining), min(self.read_timeout, remaining)),
            )
        except _Refused as e:
            raise self._error("blocked", url, e.message) from None
        except requests.exceptions.ConnectTimeout:
            raise self._error("timeout", url, f"{url} did not accept a connection within "
                                              f"{self.connect_timeout:g} s.") from None
        except requests.exceptions.Timeout:
            raise self._error("timeout", url, f"{url} did not answer within {self.read_timeout:g} s.") from None
        except requests.exceptions.InvalidURL as e:
            raise self._error("invalid-url", url, f"'{url}' is not a valid address ({e}).") from None
        except requests.exceptions.ConnectionError as e:
            problem = _protocol_problem(e)
            if problem:
                raise self._error("parse-failed", url, f"{_where(url)} {problem}") from None
            raise self._error("offline", url, _connection_message(url, e)) from None
        except requests.exceptions.RequestException as e:
            raise self._error("http-status", url, f"{url} failed ({type(e).__name__}).") from None
        if not guard.reached_body():  # the shutdown ended the headers early: http.client took them as whole
            response.close()
            raise self._stopped(guard, url)
        with response:
            try:
                return self._response(response, url, kind, types, sniff_types, guard)
            finally:
                guard.finish()  # before the response closes its socket

    def _response(self, response, url, kind, types, sniff_types, guard):
        status = response.status_code
        if status in (301, 302, 303, 307, 308):
            location = response.headers.get("Location")
            if not location:
                raise self._error("http-status", url, f"{url} redirects without saying where (HTTP {status}).")
            target = urls.join(url, location)
            parts = urls.split(target) if target else None
            if parts is None:
                raise self._error("invalid-url", url, f"{url} redirects to something that is not a web address.")
            if parts.scheme.lower() not in urls.WEB_SCHEMES:
                raise self._error("invalid-url", url, f"{url} redirects to {parts.scheme}:, which Earned never follows.")
            return normalize_url(target)
        if kind == "api" and (status >= 400 or status < 200):
            body, _ = self._read_body(response, url, kind, self.max_bytes[kind], guard)
            media, charset = _content_type(response.headers.get("Content-Type", ""))
            return Fetched(url, response.url or url, status, media, charset, body, dict(response.headers), False)
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
        if kind != "robots" and declared.isdigit() and int(declared) > limit:
            raise self._error("too-large", url, f"{url} is {int(declared) / MB:.1f} MB; the limit is "
                                                f"{limit / MB:.0f} MB.")
        body, truncated = self._read_body(response, url, kind, limit, guard)
        if truncated and kind == "page":
            self._notice(("tags", url), "too-large", url, (
                f"{url} has more than {self.page_max_tags:,} HTML tags; Earned read only its first "
                f"{self.page_max_tags:,}."))
        if sniff_types:
            media = self._check_type(url, media, body, types, kind)
        elif media and media not in types and not media.startswith("text/"):
            raise self._error("wrong-type", url, f"{url} is {media}, not text.")
        return Fetched(url, response.url or url, status, media, charset, body, dict(response.headers), truncated)

    def _read_body(self, response, url: str, kind: str, limit: int, guard: _Guard) -> tuple[bytes, bool]:
        """Read as data arrives (read1), so a gzip bomb stops at the cap, and the watchdog can end a
        drip at the deadline. Returns (body, truncated): robots.txt is cut at its cap, a page at its
        page_max_tags-th tag; anything else over its cap is an error."""
        chunks, size, tags = [], 0, 0
        raw = response.raw
        try:
            while not guard.fired:
                chunk = raw.read1(16 * 1024, decode_content=True)  # small: a gzip bomb inflates ~1000x
                if not chunk:
                    break
                if size + len(chunk) > limit:
                    if kind == "robots":
                        chunks.append(chunk[: limit - size])
                        return b"".join(chunks), True
                    raise self._error("too-large", url, f"{url} is larger than {limit / MB:.0f} MB (unpacked); "
                                                        "it was not read further.")
                if kind == "page" and self.page_max_tags:
                    count = chunk.count(b"<")
                    if tags + count > self.page_max_tags:
                        chunks.append(chunk[: _nth(chunk, b"<", self.page_max_tags - tags + 1)])
                        return b"".join(chunks), True
                    tags += count
                size += len(chunk)
                chunks.append(chunk)
        except (urllib3.exceptions.ReadTimeoutError, socket.timeout, requests.exceptions.Timeout):
            raise self._error("timeout", url, f"{url} stopped sending data.") from None
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError) as e:
            raise self._error("parse-failed", url, f"{url} sent a broken response ({type(e).__name__}).") from None
        except (ConnectionError, OSError) as e:
            raise self._error("offline", url, f"The connection to {url} dropped ({type(e).__name__}).") from None
        if guard.fired:  # the watchdog's shutdown looks like the end of the body: it is not
            raise self._stopped(guard, url)
        return b"".join(chunks), False

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


def _nth(data: bytes, needle: bytes, n: int) -> int:
    """Index of the n-th (1-based) occurrence of needle in data."""
    at = -1
    for _ in range(n):
        at = data.find(needle, at + 1)
    return at


def _content_type(header: str) -> tuple[str, str | None]:
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip("\"' ").lower()
    return media.strip().lower(), charset


def _protocol_problem(error: BaseException) -> str | None:
    """What was wrong with a reply http.client refused, in words; None if it was not the reply."""
    todo, seen = [error], set()
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, http.client.RemoteDisconnected):
            return "closed the connection without answering."
        if isinstance(e, http.client.LineTooLong):
            if "status line" in str(e):
                return "sent a reply that is not HTTP (it may not be a web server)."
            return "sent too many headers (a header line over 64 KB); Earned stopped reading."
        if isinstance(e, http.client.BadStatusLine):
            return "sent a reply that is not HTTP (it may not be a web server)."
        if isinstance(e, http.client.HTTPException) and "headers" in str(e):
            return "sent too many headers (over 100); Earned stopped reading."
        todo += [a for a in getattr(e, "args", ()) if isinstance(a, BaseException)]
        todo += [x for x in (e.__cause__, e.__context__, getattr(e, "reason", None)) if isinstance(x, BaseException)]
    return None


def _connection_message(url: str, error: Exception) -> str:
    text = str(error).lower()
    host = urls.host(url)
    if "name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text \
            or "name resolution" in text or "no address associated" in text:
        return f"Could not look up {host}: no network, or the domain does not exist."
    if "refused" in text:
        return f"{host} refused the connection."
    if "unreachable" in text:
        return "The network is unreachable: you seem to be offline."
    return f"Could not connect to {host}."
