"""The outreach rule engine (no Qt): check_text is the entry point."""
from .engine import check_text

__all__ = ["check_text"]
