"""check_text: the one entry point for the CLI, the composer and the benchmarks."""
from __future__ import annotations

from datetime import date

from app.core.models import MESSAGE_KINDS
from app.core.text import find_citations, word_count

from .draft_text import parse_draft


def _cites_research(parsed, facts_by_id: dict[str, dict]) -> dict:
    cites = find_citations(parsed.body)
    offset = parsed.body_start
    unknown = [(fid, s + offset, e + offset) for fid, s, e in cites if fid not in facts_by_id]
    known = {fid for fid, _, _ in cites if fid in facts_by_id}
    if unknown:
        ids = ", ".join(f"[^{fid}]" for fid, _, _ in unknown)
        return {
            "id": "cites-research", "status": "fail",
            "message": f"{ids} does not match a research fact of this prospect: remove it or cite a fact from the list.",
            "spans": [[s, e] for _, s, e in unknown],
        }
    if not known:
        return {
            "id": "cites-research", "status": "fail",
            "message": "Cite at least one research fact: pick a fact and press Cite.",
            "spans": [],
        }
    n = len(known)
    return {"id": "cites-research", "status": "pass", "message": f"Cites {n} research fact{'s' if n > 1 else ''}.",
            "spans": []}


def check_text(text: str, kind: str, facts: list[dict], previous: str | None = None,
               company: str | None = None, today: date | None = None) -> dict:
    """Check a plain-text draft against the rules; returns the CLI's JSON shape."""
    if kind not in MESSAGE_KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    parsed = parse_draft(text)
    facts_by_id = {str(f["id"]): f for f in facts}
    rules = [_cites_research(parsed, facts_by_id)]
    return {
        "ok": all(r["status"] != "fail" for r in rules),
        "kind": kind,
        "words": word_count(parsed.body),
        "citations": [fid for fid, _, _ in find_citations(parsed.body)],
        "rules": rules,
    }
