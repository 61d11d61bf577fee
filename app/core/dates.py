"""Dates: timestamps for the store and the follow-up calendar."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def add_business_days(start: date, days: int) -> date:
    """start + days, skipping Saturdays and Sundays."""
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current
