"""Requests to a documented API under its own documented rules (a source's RatePolicy), not the
crawler's: requests spaced as the API asks across the whole process (every research run, a batch
included), retries never sooner than it allows, a 429 waited out or ended with a plain message, the
API's own error message shown, and a source that keeps failing left alone for a while.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass

from app.core.redact import redact

from ..errors import Cancelled, FetchError
from ..fetcher import Fetched, Fetcher
from . import Source


class Clock:
    """Real time. Tests pass a fake one whose sleep moves its time forward."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float, cancel: threading.Event) -> None:
        if seconds > 0 and cancel.wait(seconds):
            raise Cancelled()


@dataclass
class _State:
    next_at: float = 0.0  # the earliest moment the next request may start
    failures: int = 0  # failed requests in a row
    paused_until: float = 0.0


_states: dict[str, _State] = {}
_lock = threading.Lock()


def reset() -> None:
    """Forget every source's spacing and failures (tests; a new process starts clean anyway)."""
    with _lock:
        _states.clear()


def _state(name: str) -> _State:
    with _lock:
        return _states.setdefault(name, _State())


def retry_after(headers: dict) -> float | None:
    """Seconds from a Retry-After header (seconds only; an HTTP date is treated as absent)."""
    for key, value in headers.items():
        if key.lower() == "retry-after":
            try:
                return max(0.0, float(str(value).strip()))
            except ValueError:
                return None
    return None


def said(body: bytes, limit: int = 300) -> str:
    """What an API's JSON error body says, in one line: its "message", "error", "errors" or "detail"
    field (text, a list of texts, or {field: text}); plain text as it is. Redacted, cut at a space."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        parts: list[str] = []
        for field in ("message", "error", "errors", "detail", "code"):
            value = data.get(field)
            if isinstance(value, str):
                parts.append(value)
            elif isinstance(value, list):
                parts += [v if isinstance(v, str) else str(v.get("message", "")) if isinstance(v, dict) else ""
                          for v in value]
            elif isinstance(value, dict):
                parts += [f"{k}: {v}" for k, v in value.items() if isinstance(v, str)]
            if any(parts):
                break
        text = " ".join(p for p in parts if p)
    elif data is not None or text.startswith("<"):
        text = ""  # a list, a number, an HTML error page: nothing a rep can read
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "…"
    return redact(text)


class ApiClient:
    """GET requests to one source's API. shown_url is what messages show (a URL without secrets)."""

    def __init__(self, fetcher: Fetcher, source: Source, clock: Clock | None = None):
        self.fetcher, self.source, self.clock = fetcher, source, clock or Clock()
        self.policy = source.rate

    def get(self, url: str, headers: dict | None = None, explain=None) -> Fetched:
        """The API's answer (2xx), or FetchError with a plain message. explain(status, body) -> str
        gives the API's own words for an error answer (default: its JSON error fields)."""
        state = _state(self.source.name)
        label, policy = self.source.label, self.policy
        shown = redact(url)
        self._check_paused(state, shown)
        explain = explain or (lambda status, body: said(body))
        attempt = 0
        while True:
            self._take_turn(state)
            try:
                got = self.fetcher.fetch(url, kind="api", headers=headers, service=label)
            except FetchError as e:
                if e.kind in ("timeout", "offline") and attempt < policy.retries:
                    attempt += 1
                    continue
                self._failed(state)
                raise
            status = got.status
            if 200 <= status < 300:
                with _lock:
                    state.failures = 0
                return got
            words = explain(status, got.body)
            if status == 429:
                after = retry_after(got.headers)
                wait = after if after is not None else policy.min_interval or 2.0
                if policy.retry_429 and attempt < policy.retries and wait <= policy.max_wait:
                    attempt += 1
                    self._not_before(state, self.clock.now() + wait)  # never sooner than it asked
                    continue
                self._failed(state)
                when = (f" It asked Earned to wait {_duration(after)}." if after else "")
                # (A keyed API counts every request against the rep's quota: say why Earned did not retry.)
                saving = " Earned did not try again, to save your quota." if self.source.needs_key else ""
                raise FetchError("rate-limited", shown, (
                    f"{label} says Earned has asked too often{': ' + words if words else ''}.{when} "
                    f"Try again later.{saving}"), status)
            if status >= 500 and attempt < policy.retries:
                attempt += 1
                self._not_before(state, self.clock.now() + max(2.0, policy.min_interval))
                continue
            if status >= 500:
                self._failed(state)
            raise FetchError("http-status", shown, (
                f"{label} answered HTTP {status}: {words}" if words else f"{label} answered HTTP {status}."), status)

    # -- the policy --------------------------------------------------------------------------
    def _take_turn(self, state: _State) -> None:
        """Reserve the next slot (min_interval after the previous request, across threads), then wait for it."""
        with _lock:
            now = self.clock.now()
            at = max(now, state.next_at)
            state.next_at = at + self.policy.min_interval
        self.clock.sleep(at - now, self.fetcher.cancel)

    def _not_before(self, state: _State, moment: float) -> None:
        with _lock:
            state.next_at = max(state.next_at, moment)

    def _failed(self, state: _State) -> None:
        with _lock:
            state.failures += 1
            if state.failures >= self.policy.breaker_after:
                state.paused_until = self.clock.now() + self.policy.breaker_pause
                state.failures = 0

    def _check_paused(self, state: _State, shown: str) -> None:
        with _lock:
            left = state.paused_until - self.clock.now()
        if left > 0:
            raise FetchError("rate-limited", shown, (
                f"{self.source.label} failed {self.policy.breaker_after} times in a row; Earned leaves it alone "
                f"for {_duration(left)} and tries it again after that."))


def _duration(seconds: float) -> str:
    seconds = max(1, round(seconds))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{round(seconds / 60)} minutes"
    return f"{round(seconds / 3600)} hours"
