"""Research out: Markdown for reading and sharing, CSV for spreadsheets."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from app.core import dates, urls
from app.core.models import Fact, Prospect

from .repo import WorkspaceRepo
from .safe_files import refuse_workspace, require_folder, write_atomically

KIND_TITLES = (("news", "News"), ("hiring", "Hiring"), ("filing", "Filings"), ("feed", "From their feeds"),
               ("site", "From their website"), ("note", "Your notes"))
# New columns go last (the snapshot's, then the contact's e-mail): a spreadsheet built on the older columns still
# finds them where they were.
CSV_FIELDS = ("prospect_id", "company", "fact_id", "kind", "text", "source_title", "source_url", "published",
              "retrieved_at", "pinned", "quote", "quote_url", "quote_retrieved_at", "quote_sha256", "email")


def _md(text: str) -> str:
    """Text as Markdown shows it literally (scraped text is never markup)."""
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", " ".join(text.split()))


def _md_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _md_source(title: str, url: str) -> str:
    """A source as a link only when it is http(s): a javascript:, data: or file: link in a shared
    Markdown file would run or open something on the reader's machine."""
    if not url:
        return ""
    if urls.is_web_url(url.strip()):
        return f" ([{_md(title or url)}]({_md_url(url.strip())}))"
    return f" (source: {_md(title)})" if title else ""


def _md_snapshot(fact: Fact) -> str:
    """Where a quoted fact's sentences were read: the quote, the page, when, and the text's hash."""
    url = (fact.quote_url or "").strip()
    if urls.is_web_url(url):
        where = f"[{_md(urls.host(url) or url)}]({_md_url(url)})"
    else:
        where = _md(url) or "the source"
    return (f"Quoted from {where} on {_md(fact.quote_retrieved_at or '')}: “{_md(fact.quote or '')}” "
            f"(sha256 of the article's text: {fact.quote_sha256})")


def _prospects(repo: WorkspaceRepo, prospect_id: int | None) -> list[Prospect]:
    return [repo.get_prospect(prospect_id)] if prospect_id is not None else repo.list_prospects()


def to_markdown(repo: WorkspaceRepo, prospect_id: int | None = None) -> str:
    out = []
    for p in _prospects(repo, prospect_id):
        out.append(f"# {_md(p.company)}\n")
        details = [("Website", p.website), ("Contact", p.contact_name), ("Role", p.role), ("E-mail", p.email),
                   ("Status", p.status), ("Why", p.status_reason)]
        out += [f"- {label}: {_md(value)}" for label, value in details if value]
        facts = repo.list_facts(p.id)
        for kind, title in KIND_TITLES:
            group = [f for f in facts if f.kind == kind]
            if not group:
                continue
            out.append(f"\n## {title}\n")
            for f in group:
                cite = _md_source(f.source_title, f.source_url)
                date = f", {dates.day(f.published) or f.published}" if f.published else ""
                out.append(f"- {_md(f.text)}{cite}{date} [^{f.id}]")
                if f.quote:
                    out.append(f"  - {_md_snapshot(f)}")
        touches = repo.list_touches(p.id)
        if touches:
            out.append("\n## Sent messages\n")
            for t in touches:
                cited = ", ".join(f"[^{i}]" for i in t.cited_fact_ids) or "no facts"
                over = f"; copied over {', '.join(t.overrides)}" if t.overrides else ""
                due = f"; follow up {t.follow_up_due}" if t.follow_up_due else ""
                out.append(f"- {dates.day(t.sent_at) or t.sent_at} {t.kind}: {_md(t.subject or '(no subject)')} (cited {cited}{over}{due})")
        out.append("\n")
    return "\n".join(out).rstrip() + "\n"


def to_csv(repo: WorkspaceRepo, prospect_id: int | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for p in _prospects(repo, prospect_id):
        for f in repo.list_facts(p.id):
            writer.writerow([_cell(v) for v in (p.id, p.company, f.id, f.kind, f.text, f.source_title, f.source_url,
                                                f.published or "", f.retrieved_at, int(f.pinned), f.quote or "",
                                                f.quote_url or "", f.quote_retrieved_at or "",
                                                f.quote_sha256 or "", p.email)])
    return buffer.getvalue()


def _cell(value) -> str:
    """A spreadsheet must not run any cell as a formula (CSV injection, OWASP): text that starts
    with = + - @ tab or CR gets a leading apostrophe, whichever column it is in."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_export(repo: WorkspaceRepo, fmt: str, target: Path, prospect_id: int | None = None) -> Path:
    """Export to a file, whole or not at all, and never over the workspace itself."""
    target = target.expanduser().absolute()
    refuse_workspace(target, repo.path, "write an export over")
    require_folder(target)
    text = (to_markdown if fmt == "md" else to_csv)(repo, prospect_id)
    write_atomically(target, text.encode("utf-8"))
    return target
