"""Web addresses: the one place that takes them apart, checks them and puts them back together.

Why one place: only http(s) addresses may be fetched, cited or linked (never javascript:, data:,
file:), and a check that lives in one caller is missing from the next; a host compares without its
"www." everywhere or the same site looks like two; a malformed address ("http://[oops") must never
raise out of urllib in the middle of a page. Callers word their own errors from NotAWebAddress.code.
"""
from __future__ import annotations

import re
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

WEB_SCHEMES = ("http", "https")
# The host of an everyday absolute link, read without urlsplit: a page can hold thousands of links
# and most only need their host compared (anything unusual falls back to urlsplit).
_PLAIN_HOST = re.compile(r"(?:https?:)?//([A-Za-z0-9.-]+)(?::\d*)?(?=[/?#]|\Z)", re.IGNORECASE)


class NotAWebAddress(ValueError):
    """url is no http(s) address. code: "malformed" (empty, spaces, control characters, can't be
    taken apart), "scheme" (another scheme: .scheme says which), "port", "host" (none, or not a
    domain name), "idna" (a non-ASCII host that has no ASCII form: .host says which)."""

    def __init__(self, code: str, url: str, scheme: str = "", host: str = ""):
        super().__init__(f"{code}: {url!r}")
        self.code, self.url, self.scheme, self.host = code, url, scheme, host


def split(url: str) -> SplitResult | None:
    """urlsplit that never raises: None for what it can't take apart ("http://[::1")."""
    try:
        return urlsplit(url)
    except (ValueError, TypeError):
        return None


def with_scheme(url: str) -> str:
    """url stripped, https:// added when it has no scheme (what reps type: "acme.io")."""
    url = url.strip()
    return url if not url or "://" in url else "https://" + url


def check(url: str, *, domain: bool = False) -> SplitResult:
    """with_scheme(url) taken apart; NotAWebAddress unless it is an http(s) address with a host and
    a valid port. domain: the host must also look like a domain name, localhost or an IP address
    (a rep's "acme" is a typo, not an intranet host)."""
    typed = with_scheme(url)
    parts = split(typed) if typed and not any(c.isspace() or ord(c) < 32 for c in typed) else None
    if parts is None:
        raise NotAWebAddress("malformed", url)
    if parts.scheme.lower() not in WEB_SCHEMES:
        raise NotAWebAddress("scheme", url, scheme=parts.scheme)
    try:
        parts.port
    except ValueError:
        raise NotAWebAddress("port", url) from None
    host = parts.hostname or ""
    if not host or (domain and "." not in host and host != "localhost" and not host.isdigit()):
        raise NotAWebAddress("host", url, host=host)
    return parts


def normalize(url: str) -> str:
    """The fetchable form of url: https:// added when missing, scheme lower-case, host lower-case
    and in IDNA (punycode) form, "/" for an empty path, no #fragment. NotAWebAddress otherwise."""
    parts = check(url)
    host = parts.hostname or ""
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise NotAWebAddress("idna", url, host=host) from None
    if ":" in ascii_host:  # an IPv6 literal keeps its brackets, or its colons read as a port
        ascii_host = f"[{ascii_host}]"
    netloc = ascii_host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def web_url(value: object) -> str:
    """value (stripped) when it is an absolute http(s) address with a host, else "": the only kind a
    fact may cite, a source may link or we may fetch."""
    url = value.strip() if isinstance(value, str) else ""
    if not url or any(ord(c) < 32 for c in url):
        return ""
    parts = split(url)
    return url if parts and parts.scheme.lower() in WEB_SCHEMES and parts.hostname else ""


def is_web_url(value: object) -> bool:
    """Whether web_url(value) is not ""."""
    return bool(web_url(value))


def join(base: str, href: str) -> str:
    """href read against base (urljoin), "" when either can't be taken apart."""
    try:
        return urljoin(base, href)
    except (ValueError, TypeError):
        return ""


def absolute(href: object, base: str = "") -> str:
    """A link on a page or in a feed as an absolute http(s) address (web_url), read against base
    when there is one; "" for anything else (mailto:, javascript:, a relative link without a base)."""
    if not isinstance(href, str):
        return ""
    href = href.strip()
    return web_url(join(base, href) if base and href else href)


def page_address(url: str) -> str:
    """url without its #fragment and with "/" for an empty path: two links to one page compare equal."""
    parts = split(url)
    if parts is None:
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def host(url: str, *, bare: bool = False) -> str:
    """The host of url, lower-case ("" when there is none). bare: url may also be written without a
    scheme, as people write links in text ("bit.ly/x", "www.acme.io/about")."""
    if not isinstance(url, str):
        return ""
    if bare and "//" not in url:
        url = "//" + url
    match = _PLAIN_HOST.match(url)
    if match:
        return match.group(1).lower()
    parts = split(url)
    return (parts.hostname or "") if parts else ""


def site(url: str, *, bare: bool = False) -> str:
    """The host without a leading "www." or a trailing dot: www.acme.io and acme.io. are acme.io."""
    return host(url, bare=bare).rstrip(".").removeprefix("www.")


def same_site(url: str, other: str) -> bool:
    """Same host, "www." and a trailing dot aside (never a subdomain of the other: a different site)."""
    return site(url) == site(other)


def origin(url: str) -> str:
    """scheme://host[:port] of url, lower-case ("" when it has no host): what the fetcher keys its
    per-server state (robots.txt, crawl delay) on."""
    parts = split(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts and parts.netloc else ""


def path(url: str) -> str:
    """The path of url ("" when it can't be taken apart)."""
    parts = split(url)
    return parts.path if parts else ""
