"""Requests to a documented API under its own documented rules (a source's RatePolicy), not the
crawler's: requests spaced as the API asks across the whole process (every research run, a batch
included), retries never sooner than it allows, a 429 waited out or ended with a plain message, the
API's own error message shown, and a source that keeps failing left alone for a while.

An API that says "too often" and is not waited out is left alone for as long as it asked (its
Retry-After, or its documented reset) by every later run in this process: a batch of hundreds of
prospects must not ask it again at once, hundreds of times.
"""
from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from app.core import dates
from app.core.redact import redact

from ..errors import Cancelled, FetchError
from ..fetcher import Fetched, Fetcher
from . import Source


class Clock:
    """Real time. Tests pass a fake one whose sleep moves its time forward."""

    def now(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        """Seconds since the epoch: for HTTP dates (Retry-After) and the "until 14:05 UTC" the rep reads."""
        return time.time()

    def sleep(self, seconds: float, cancel: threading.Event) -> None:
        if seconds > 0 and cancel.wait(seconds):
            raise Cancelled()


@dataclass
class _State:
    next_at: float = 0.0  # the earliest moment the next request may start
    failures: int = 0  # failed requests in a row
    paused_until: float = 0.0
    paused_why: str = ""  # what a skipped run says while the API's own wait lasts ("" : the circuit breaker)
    asking: bool = False  # a request to it is on its way: the next waits for its answer


MAX_RETRY_AFTER = 7 * 86400.0  # the longest wait a Retry-After is taken for

_states: dict[str, _State] = {}
_lock = threading.Lock()
_answer = threading.Condition(_lock)  # an API answered: a request waiting for its turn may go

# limited(status, body, wall) -> seconds | None: whether an answer means "too often" (None: it does
# not) and, when it carries no Retry-After, how long the API documents until it may be asked again.
Limited = Callable[[int, bytes, float], "float | None"]


def reset() -> None:
    """Forget every source's spacing and failures (tests; a new process starts clean anyway)."""
    with _lock:
        _states.clear()


def _state(name: str) -> _State:
    with _lock:
        return _states.setdefault(name, _State())


def retry_after(headers: dict, wall: float) -> float | None:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date (RFC 9110, 10.2.3),
    the date counted from wall (seconds since the epoch). None when absent or unreadable."""
    for key, value in headers.items():
        if key.lower() != "retry-after":
            continue
        text = str(value).strip()
        try:
            seconds = float(text)
            # ("inf", "nan" or a year ahead is no real answer: a week at most, so the arithmetic stays sane.)
            return min(max(0.0, seconds), MAX_RETRY_AFTER) if math.isfinite(seconds) else MAX_RETRY_AFTER
        except ValueError:
            pass
        when = dates.parse_datetime(text)
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)  # HTTP dates are GMT
        return min(max(0.0, when.timestamp() - wall), MAX_RETRY_AFTER)
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


def sentence(text: str) -> str:
    """text ending as a sentence, so another can follow it."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else text + "."


class ApiClient:
    """GET requests to one source's API. shown_url is what messages show (a URL without secrets)."""

    def __init__(self, fetcher: Fetcher, source: Source, clock: Clock | None = None):
        self.fetcher, self.source, self.clock = fetcher, source, clock or Clock()
        self.policy = source.rate

    def get(self, url: str, headers: dict | None = None, explain=None, limited: Limited | None = None) -> Fetched:
        """The API's answer (2xx), or FetchError with a plain message. explain(status, body) -> str
        gives the API's own words for an error answer (default: its JSON error fields); limited says
        which answers mean "too often" (default: a 429, then min_interval apart)."""
        state = _state(self.source.name)
        label, policy = self.source.label, self.policy
        shown = redact(url)
        explain = explain or (lambda status, body: said(body))
        limited = limited or self._limited
        attempt = 0
        while True:
            self._take_turn(state, shown)
            try:
                got = self.fetcher.fetch(url, kind="api", headers=headers, service=label)
            except FetchError as e:
                if e.kind in ("timeout", "offline") and attempt < policy.retries:
                    attempt += 1
                    continue
                if e.kind != "too-large":  # (an answer bigger than Earned reads is no failure of the API's)
                    self._failed(state)
                raise
            finally:
                self._answered(state)  # (also on Cancel: the turn must never stay taken)
            status, wall = got.status, self._wall()  # (one reading: "until 00:00 UTC" must not become 00:01)
            asked = retry_after(got.headers, wall)
            documented = limited(status, got.body, wall)
            if documented is not None:
                wait = asked if asked is not None else documented
                if policy.retry_429 and attempt < policy.retries and wait <= policy.max_wait:
                    attempt += 1
                    self._not_before(state, self.clock.now() + wait)  # never sooner than it asked
                    continue
                self._failed(state)
                raise self._too_often(state, shown, status, explain(status, got.body), wait, asked, wall)
            if 200 <= status < 300:
                with _lock:
                    state.failures = 0
                return got
            words = explain(status, got.body)
            if status == 401 and self.source.needs_key:
                # Whatever the API says, the one thing the rep can do about it is in the same place.
                words = f"{sentence(words)} Your key was not accepted: check the key in Settings > Research.".strip()
            if status >= 500:
                wait = max(2.0, policy.min_interval, asked or 0.0)  # a 503's Retry-After: never sooner
                if attempt < policy.retries and wait <= policy.max_wait:
                    attempt += 1
                    self._not_before(state, self.clock.now() + wait)
                    continue
                self._failed(state)
            raise FetchError("http-status", shown, (
                f"{label} answered HTTP {status}: {words}" if words else f"{label} answered HTTP {status}."), status)

    # -- the policy --------------------------------------------------------------------------
    def _limited(self, status: int, body: bytes, wall: float) -> float | None:
        return (self.policy.min_interval or 2.0) if status == 429 else None

    def _wall(self) -> float:
        return self.clock.wall()

    def _too_often(self, state: _State, shown: str, status: int, words: str, wait: float,
                   asked: float | None, wall: float) -> FetchError:
        """The source rests as long as the API asked, for every later run in this process; the error says so."""
        label = self.source.label
        until = _clock_time(wall + wait, wall)
        rest = f"until {until}" if wait >= 120 else _duration(wait)  # (a few seconds: no clock time)
        self._pause(state, wait, f"{label} asked Earned to wait {rest}; skipped until then. Research "
                                 f"again after that to hear from it; the other sources go on.")
        when = (f" It asked Earned to wait {_duration(asked)}. Try again later." if asked is not None else
                f" Try again after {until}.")  # its documented reset
        # (A keyed API counts every request against the rep's quota: say why Earned did not retry.)
        saving = " Earned did not try again, to save your quota." if self.source.needs_key else ""
        return FetchError("rate-limited", shown, (
            f"{label} says Earned has asked too often{': ' + sentence(words) if words else '.'}{when}{saving}"),
            status)

    def _take_turn(self, state: _State, shown: str) -> None:
        """Wait until this API may be asked (across threads: a batch's runs share it), then take the turn.
        One request at a time, min_interval after the previous one set out and after its answer: a
        request may reach the API later than it set out (a slow connect, a first request's warm-up), so
        counting from the start alone could let the API see two a little under min_interval apart."""
        cancel = self.fetcher.cancel
        while True:
            with _answer:
                while state.asking:
                    if cancel.is_set():
                        raise Cancelled()
                    _answer.wait(0.2)  # (woken at each answer; the timeout only to notice Cancel)
                # Looked at each time round: the answer this run waited for may have said "too often".
                paused = self._paused(state, shown)
                if paused is not None:
                    raise paused
                now = self.clock.now()
                wait = state.next_at - now
                if wait <= 0:
                    state.asking, state.next_at = True, now + self.policy.min_interval
                    return
            self.clock.sleep(wait, cancel)  # then look again: another run may have taken the turn

    def _answered(self, state: _State) -> None:
        with _answer:
            state.asking = False
            state.next_at = max(state.next_at, self.clock.now() + self.policy.min_interval)
            _answer.notify_all()

    def _not_before(self, state: _State, moment: float) -> None:
        with _lock:
            state.next_at = max(state.next_at, moment)

    def _failed(self, state: _State) -> None:
        with _lock:
            state.failures += 1
            tripped = state.failures >= self.policy.breaker_after
            if tripped:
                state.failures = 0
        if tripped:
            self._pause(state, self.policy.breaker_pause, "")

    def _pause(self, state: _State, seconds: float, why: str) -> None:
        """Leave the source alone for seconds (a longer pause already set stands)."""
        with _lock:
            until = self.clock.now() + seconds
            if until > state.paused_until:
                state.paused_until, state.paused_why = until, why

    def _paused(self, state: _State, shown: str) -> FetchError | None:
        """The error a request gets while the source rests (the caller holds _lock), else None."""
        left, why = state.paused_until - self.clock.now(), state.paused_why
        if left <= 0:
            return None
        return FetchError("rate-limited", shown, why or (
            f"{self.source.label} failed {self.policy.breaker_after} times in a row; Earned leaves it alone "
            f"for {_duration(left)} and tries it again after that."))


def _duration(seconds: float) -> str:
    seconds = max(1, round(seconds))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{round(seconds / 60)} minutes"
    return f"{round(seconds / 3600)} hours"


def _clock_time(moment: float, wall: float) -> str:
    """A wall-clock moment as the rep reads it, rounded up to the minute: "14:05 UTC", with the day
    when it is not today ("00:00 UTC on 12 Nov")."""
    at = datetime.fromtimestamp(-(-round(moment) // 60) * 60, timezone.utc)  # (to the second, then up to the minute)
    today = datetime.fromtimestamp(wall, timezone.utc).date()
    return f"{at:%H:%M} UTC" if at.date() == today else f"{at:%H:%M} UTC on {at.day} {at:%b}"
