"""Research out: Markdown for reading and sharing, CSV for spreadsheets."""
from __future__ import annotations

import csv
import io
import re

from app.core.models import Prospect

from .repo import WorkspaceRepo

KIND_TITLES = (("news", "News"), ("feed", "From their feeds"), ("site", "From their website"), ("note", "Your notes"))
CSV_FIELDS = ("prospect_id", "company", "fact_id", "kind", "text", "source_title", "source_url", "published",
              "retrieved_at", "pinned")


def _md(text: str) -> str:
    """Text as Markdown shows it literally (scraped text is never markup)."""
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", " ".join(text.split()))


def _md_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _prospects(repo: WorkspaceRepo, prospect_id: int | None) -> list[Prospect]:
    return [repo.get_prospect(prospect_id)] if prospect_id is not None else repo.list_prospects()


def to_markdown(repo: WorkspaceRepo, prospect_id: int | None = None) -> str:
    out = []
    for p in _prospects(repo, prospect_id):
        out.append(f"# {_md(p.company)}\n")
        details = [("Website", p.website), ("Contact", p.contact_name), ("Role", p.role), ("Status", p.status),
                   ("Why", p.status_reason)]
        out += [f"- {label}: {_md(value)}" for label, value in details if value]
        facts = repo.list_facts(p.id)
        for kind, title in KIND_TITLES:
            group = [f for f in facts if f.kind == kind]
            if not group:
                continue
            out.append(f"\n## {title}\n")
            for f in group:
                source = f.source_title or f.source_url
                cite = f" ([{_md(source)}]({_md_url(f.source_url)}))" if f.source_url else ""
                date = f", {f.published[:10]}" if f.published else ""
                out.append(f"- {_md(f.text)}{cite}{date} [^{f.id}]")
        touches = repo.list_touches(p.id)
        if touches:
            out.append("\n## Sent messages\n")
            for t in touches:
                cited = ", ".join(f"[^{i}]" for i in t.cited_fact_ids) or "no facts"
                over = f"; copied over {', '.join(t.overrides)}" if t.overrides else ""
                due = f"; follow up {t.follow_up_due}" if t.follow_up_due else ""
                out.append(f"- {t.sent_at[:10]} {t.kind}: {_md(t.subject or '(no subject)')} (cited {cited}{over}{due})")
        out.append("\n")
    return "\n".join(out).rstrip() + "\n"


def to_csv(repo: WorkspaceRepo, prospect_id: int | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for p in _prospects(repo, prospect_id):
        for f in repo.list_facts(p.id):
            writer.writerow([p.id, p.company, f.id, f.kind, _cell(f.text), _cell(f.source_title), f.source_url,
                             f.published or "", f.retrieved_at, int(f.pinned)])
    return buffer.getvalue()


def _cell(value: str) -> str:
    """A spreadsheet must not run a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
