"""One process-wide place that knows the secrets (API keys) and hides them from any text.

SecretStore registers every key it reads or stores, and the fetcher registers the keys it is
given; every message, fact and log line that could carry text from an API passes through
redact() before a person sees it. No Qt here: the CLI, the research layer and the window share it.

APIs echo keys back in unexpected ways: whole, URL-encoded, or in part ("Invalid key
abcd1234..."), so redact() also hides any run of MIN_RUN or more consecutive characters of a
key. Keys are long random strings, so a run that long turning up in ordinary text by chance is
negligible; values too short to be a real key are not registered (they would garble text).
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

MASK = "***"
MIN_SECRET = 4  # shorter values are no real API key; hiding them would garble ordinary text
MIN_RUN = 6  # a run of this many consecutive characters of a key counts as an echo of it
MIN_RUN_SHORT = 4  # ... or of this many, for keys too short to have many 6-character runs


@dataclass(frozen=True)
class _Secret:
    forms: tuple[str, ...]  # the value itself and its URL-encoded spellings, longest first
    run: int  # shortest echo that counts
    pieces: frozenset[str]  # every run-long piece of the value


_lock = threading.Lock()
_secrets: dict[str, _Secret] = {}
_snapshot: tuple[_Secret, ...] = ()  # read without the lock: replaced whole on each change


def _min_run(value: str) -> int:
    # Half the key, between MIN_RUN_SHORT and MIN_RUN: a 32-character key hides any 6-character
    # run; an 8-character one any 4-character run.
    return max(MIN_RUN_SHORT, min(MIN_RUN, len(value) // 2))


def register(value: str | None) -> None:
    """Remember value as a secret: from now on redact() hides it (and echoes of it) everywhere."""
    global _snapshot
    value = (value or "").strip()
    if len(value) < MIN_SECRET:
        return
    with _lock:
        if value in _secrets:
            return
        run = _min_run(value)
        forms = sorted({value, quote(value, safe=""), quote_plus(value)}, key=len, reverse=True)
        pieces = frozenset(value[i:i + run] for i in range(len(value) - run + 1))
        _secrets[value] = _Secret(tuple(forms), run, pieces)
        _snapshot = tuple(_secrets.values())


def redact(text: str) -> str:
    """text with every known secret, its URL-encoded forms and any long enough piece of it masked."""
    secrets = _snapshot
    if not secrets or not text:
        return text
    for secret in secrets:
        for form in secret.forms:
            text = text.replace(form, MASK)
    for secret in secrets:
        text = _mask_pieces(text, secret)
    return text


def contains_secret(text: str) -> bool:
    """Whether text holds a known secret or a piece of one."""
    return redact(text) != text


def _mask_pieces(text: str, secret: _Secret) -> str:
    """Mask every stretch of text made of overlapping run-long pieces of the secret."""
    run, covered = secret.run, [False] * len(text)
    hit = False
    for i in range(len(text) - run + 1):
        if text[i:i + run] in secret.pieces:
            covered[i:i + run] = [True] * run
            hit = True
    if not hit:
        return text
    out, i = [], 0
    while i < len(text):
        if covered[i]:
            while i < len(text) and covered[i]:
                i += 1
            out.append(MASK)
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


class RedactingFilter(logging.Filter):
    """Masks secrets in a log record's message, arguments and traceback before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _snapshot:
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a badly formatted record is logging's problem, not ours
            message = f"{record.msg} {record.args}"
        cleaned = redact(message)
        if cleaned != message:
            # The message is now final text: arguments must not be formatted into it again.
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_filter = RedactingFilter()


def install_log_filter(logger: logging.Logger | None = None) -> None:
    """Add the redacting filter to every handler of logger (the root logger by default), and to
    logging's last-resort stderr handler. Call again after adding a handler; it is added once.

    A filter on a handler sees records from every logger that reaches it (a logger's own filters
    do not see records propagated from child loggers), so handlers are where it belongs.
    """
    logger = logger or logging.getLogger()
    handlers = list(logger.handlers)
    if logging.lastResort is not None:
        handlers.append(logging.lastResort)
    for handler in handlers:
        if _filter not in handler.filters:
            handler.addFilter(_filter)
