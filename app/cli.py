"""The headless commands: scriptable, no window, errors on stderr with exit status 2."""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sqlite3
import sys
from dataclasses import asdict, dataclass
from datetime import date

from app import __version__
from app.core import dates
from app.core.errors import EarnedError
from app.core.models import EMAIL_KINDS, MESSAGE_KINDS, Prospect, Touch, kind_label
from app.core.paths import database_path
from app.core.redact import install_log_filter, redact
from app.core.validate import note_input, prospect_input
from app.storage.database import open_store, store_error
from app.storage.repo import WorkspaceRepo
from app.team import cli as team_cli

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(EarnedError):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own messages, with our exit status
        self.print_usage(sys.stderr)
        print(f"earned: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def _iso_date(value: str) -> date:
    found = dates.to_date(value)
    if found is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-22")
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="earned", description="Research prospects and write messages that earn a reply.")
    parser.add_argument("--version", action="version", version=f"Earned {__version__}")
    parser.add_argument("--quit-after-startup", action="store_true",
                        help="show the main window, let it go idle once, and exit (for timing startup)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    prospect = sub.add_parser("prospect", help="add or list prospects")
    psub = prospect.add_subparsers(dest="action", required=True, parser_class=_Parser, metavar="ACTION")
    add = psub.add_parser("add", help="add a prospect; prints its id")
    add.add_argument("--company", required=True, help="company name")
    add.add_argument("--website", default="", help="company website, e.g. https://example.com")
    add.add_argument("--contact", default="", help="the person you are writing to")
    add.add_argument("--role", default="", help="their role")
    lst = psub.add_parser("list", help="list prospects")
    lst.add_argument("--json", action="store_true")

    notes = sub.add_parser("notes", help="your own research notes")
    nsub = notes.add_subparsers(dest="action", required=True, parser_class=_Parser, metavar="ACTION")
    nadd = nsub.add_parser("add", help="add a note to a prospect; prints the fact id")
    nadd.add_argument("--prospect", required=True, type=int, help="prospect id (see: earned prospect list)")
    nadd.add_argument("--text", required=True, help="what you learned")
    nadd.add_argument("--source-url", default="", help="where you read it")
    nlist = nsub.add_parser("list", help="list a prospect's facts and notes")
    nlist.add_argument("--prospect", required=True, type=int)
    nlist.add_argument("--json", action="store_true")
    nsearch = nsub.add_parser("search", help="full-text search over all facts and notes")
    nsearch.add_argument("query")
    nsearch.add_argument("--json", action="store_true")

    check = sub.add_parser("check", help="check a draft against the outreach rules")
    check.add_argument("file", help="the draft: optional 'Subject: ...' line, blank line, body (UTF-8)")
    check.add_argument("--kind", choices=MESSAGE_KINDS,
                       help="message kind (default: follow-up with --previous, else first-touch); a linkedin-note "
                            "or call-script has no subject and its own rules")
    check.add_argument("--facts", help="JSON list of facts: [{id, kind, text, source_url, source_title, published}]")
    check.add_argument("--previous", help="the message this follow-up answers")
    check.add_argument("--company", help="the prospect's company name")
    check.add_argument("--today", type=_iso_date, help="date for freshness checks, YYYY-MM-DD (default: today)")
    check.add_argument("--prospect", type=int, metavar="ID",
                       help="check as the composer does for this prospect of the workspace: its facts (and which "
                            "were cited before), its company, your saved thresholds, and its last email as the "
                            "one a follow-up answers (default kind: follow-up once an email was sent); not with "
                            "--facts, --company or --previous")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    touches = sub.add_parser("touches", help="the sent log: record a message you sent")
    tsub = touches.add_subparsers(dest="action", required=True, parser_class=_Parser, metavar="ACTION")
    tadd = tsub.add_parser(
        "add", help="check a draft as the composer does before Copy and, if it may go out, log it as sent",
        description="Check the draft as the composer does before Copy (this prospect's facts, its last email for a "
                    "follow-up, your saved thresholds) and log it as sent, as Copy logs it: the text without "
                    "citations (a follow-up with the forwarded original), the facts it cites, any rules copied "
                    "over, and the follow-up date. Like Copy, it clears the prospect's saved draft. A draft that "
                    "fails its check is not logged (exit 1) unless each failing rule that may be copied over is "
                    "named with --override; cites-research never can be.")
    tadd.add_argument("file", metavar="FILE",
                      help="the draft: optional 'Subject: ...' line, blank line, body (UTF-8); - reads standard input")
    tadd.add_argument("--prospect", required=True, type=int, metavar="ID",
                      help="who it went to (see: earned prospect list)")
    tadd.add_argument("--kind", required=True, choices=MESSAGE_KINDS, help="the message kind")
    tadd.add_argument("--override", action="append", default=[], metavar="RULE",
                      help="copy over this failing rule, as Copy anyway does (repeat for each; the sent log "
                           "records them)")
    tadd.add_argument("--json", action="store_true", help="print one JSON object")
    rules = sub.add_parser("rules", help="list the rules with their levels, thresholds and sources")
    rules.add_argument("--json", action="store_true")

    srcs = sub.add_parser("sources", help="list the research sources: what each sends, its terms and limits")
    srcs.add_argument("--json", action="store_true")

    research = sub.add_parser("research", help="gather citable facts from a company's site, feeds and the news")
    research.add_argument("--name", help="company name (used for news search)")
    research.add_argument("--url", help="company website, e.g. https://example.com")
    research.add_argument("--no-news", action="store_true", help="skip news sources")
    research.add_argument("--max-pages", type=int, default=8, help="most pages of the site to read (default 8)")
    research.add_argument("--save", type=int, metavar="PROSPECT_ID", help="save the facts to this prospect")
    research.add_argument("--json", action="store_true", help="print one JSON object")
    research.add_argument("--all", action="store_true", help="research every prospect in the workspace, a few "
                          "sites at a time; goes on with an unfinished list if there is one")
    research.add_argument("--concurrency", type=int, help="with --all: sites researched at a time (default 4)")

    imp = sub.add_parser("import-csv", help="import prospects from a CSV file (company, website, contact, role, notes)")
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="show what would be imported; change nothing")
    exp = sub.add_parser("export", help="export research to Markdown or CSV")
    exp.add_argument("--prospect", type=int, help="one prospect (default: all)")
    exp.add_argument("--format", choices=("md", "csv"), required=True)
    exp.add_argument("--output", help="write to this file instead of standard output")
    bak = sub.add_parser("backup", help="save the whole workspace to one file (safe while Earned runs)")
    bak.add_argument("file")
    res = sub.add_parser("restore", help="replace the workspace with a backup (the current one is kept)")
    res.add_argument("file")

    team_cli.add_parser(sub, _Parser)

    keys = sub.add_parser("keys", help="API keys, kept in the system keychain only")
    ksub = keys.add_subparsers(dest="action", required=True, parser_class=_Parser, metavar="ACTION")
    kset = ksub.add_parser("set", help="store a key read from standard input (never from the command line)")
    kset.add_argument("name", choices=("newsapi", "gnews"))
    kdel = ksub.add_parser("delete", help="remove a stored key")
    kdel.add_argument("name", choices=("newsapi", "gnews"))
    ksub.add_parser("status", help="which keys are stored (never their values)")
    return parser


_opened: list[WorkspaceRepo] = []  # so run() can tell the rep what the store noticed


def _open_repo() -> WorkspaceRepo:
    store = open_store(database_path())
    for notice in store.notices:
        print(f"earned: {notice}", file=sys.stderr)
    repo = WorkspaceRepo(store.conn)
    repo.on_busy = lambda: print("earned: another Earned window or command is writing to the workspace; waiting "
                                 "for it to finish...", file=sys.stderr, flush=True)
    _opened.append(repo)
    return repo


def _notices(notices) -> None:
    for n in notices:
        print(f"earned: note: {n}", file=sys.stderr)


def _print_facts(facts, as_json: bool) -> None:
    if as_json:
        print(json.dumps([asdict(f) for f in facts], ensure_ascii=False, indent=2))
        return
    if not facts:
        print("No facts.")
    for f in facts:
        source = f"  <{f.source_url}>" if f.source_url else ""
        print(f"[^{f.id}] ({f.kind}, prospect {f.prospect_id}) {' '.join(f.text.split())}{source}")
        if f.has_snapshot:  # where the quote was read, so the rep can show it after the page changes
            print(f"    quoted from <{f.quote_url}>, read {f.quote_retrieved_at}, sha256 {f.quote_sha256}")


def _prospect(args) -> int:
    if args.action == "add":
        data = prospect_input(args.company, args.website, args.contact, args.role)
        _notices(data.notices)
        p = _open_repo().add_prospect(data.company, data.website, data.contact_name, data.role)
        print(p.id)
        return EXIT_OK
    prospects = _open_repo().list_prospects()
    if args.json:
        print(json.dumps([asdict(p) for p in prospects], ensure_ascii=False, indent=2))
    elif not prospects:
        print("No prospects yet. Add one with: earned prospect add --company NAME")
    else:
        for p in prospects:
            who = ", ".join(x for x in (p.contact_name, p.role) if x)
            print(f"{p.id}\t{p.company}\t{p.website}\t{who}\t{p.status}")
    return EXIT_OK


def _notes(args) -> int:
    if args.action == "add":
        data = note_input(args.text, args.source_url)
        _notices(data.notices)
        fact = _open_repo().add_note(args.prospect, data.text, data.source_url)
        print(fact.id)
    elif args.action == "list":
        _print_facts(_open_repo().list_facts(args.prospect), args.json)
    else:
        repo = _open_repo()
        repo.repair_search_index()  # a damaged index finds nothing, silently: check it first
        _print_facts(repo.search_facts(args.query), args.json)
    return EXIT_OK


def _keys(args) -> int:
    from app.secrets import SecretStore

    store = SecretStore()
    if args.action == "set":
        value = getpass.getpass(f"{args.name} key: ") if sys.stdin.isatty() else sys.stdin.readline()
        store.set(args.name, value)
        print(f"Stored the {args.name} key in the system keychain ({store.backend_name()}).")
    elif args.action == "delete":
        print(f"Removed the {args.name} key." if store.delete(args.name) else f"No {args.name} key was stored.")
    else:
        for name, is_set in store.status().items():
            print(f"{name}\t{'stored' if is_set else 'not set'}")
    return EXIT_OK


def _read_text(path: str, what: str) -> str:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise UsageError(f"can't read the {what} {path}: {e.strerror}.") from None
    return _decode_text(data, path, what)


def _decode_text(data: bytes, path: str, what: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UsageError(f"the {what} {path} is not UTF-8 text (bad byte at offset {e.start}). "
                         "Save it as UTF-8 and try again.") from None
    if "\x00" in text:
        raise UsageError(f"the {what} {path} looks binary (it contains NUL bytes), not a text draft.")
    # As Python's text mode reads it, so spans index what a reader of the file gets.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_facts(path: str) -> list[dict]:
    try:
        facts = json.loads(_read_text(path, "facts file"))
    except json.JSONDecodeError as e:
        raise UsageError(f"the facts file {path} is not valid JSON ({e.msg} at line {e.lineno}).") from None
    if not isinstance(facts, list) or not all(isinstance(f, dict) and "id" in f and isinstance(f.get("text"), str)
                                              for f in facts):
        raise UsageError(f"the facts file {path} must be a JSON list of facts, each with at least an id and a text: "
                         '[{"id": 1, "kind": "news", "text": "...", "published": "2026-11-01"}]')
    return facts


_MARKS = {"pass": ("✔", "32"), "warn": ("!", "33"), "fail": ("✘", "31")}


def _rule_pack():
    """The rules: a team's pack in the data folder over the built-in one. A malformed team pack is
    reported on stderr and the built-in rules apply."""
    from app.compose.rulepack import team_pack

    pack, error = team_pack(database_path().parent)
    if error:
        print(f"earned: {error}", file=sys.stderr)
    return pack


@dataclass(frozen=True)
class _ProspectContext:
    """What a draft to a prospect of the workspace is checked with, as the composer checks it."""
    repo: WorkspaceRepo
    prospect: Prospect
    touches: list[Touch]  # the rep's own sent log, oldest first
    kind: str
    facts: list[dict]
    previous: str | None
    company: str
    pack: object  # the rule pack with the rep's saved thresholds
    team: object  # a TeamContext in a team workspace; None for a solo rep


def _team_context(repo: WorkspaceRepo, prospect: Prospect):
    """The team context drafts to this prospect are checked with (check --prospect, touches add): who owns the
    account, a teammate's recent touch, the do-not-contact list (app.compose.team_rules). None: a solo rep, and
    the team rules are not checked. The composer passes the same to check_text (WorkspaceService.load_prospect)."""
    return repo.team_context_if_connected(prospect.id)


def _prospect_context(prospect_id: int, kind: str | None, pack) -> _ProspectContext:
    """A draft to this prospect's context, as the composer checks it."""
    from app.compose.engine import thread_context

    repo = _open_repo()
    prospect = repo.get_prospect(prospect_id)  # an unknown id: InputError, exit 2
    touches = repo.list_touches(prospect_id)
    kind = kind or ("follow-up" if any(t.kind in EMAIL_KINDS for t in touches) else "first-touch")
    facts, previous = thread_context(repo.list_facts(prospect_id), touches, kind)
    return _ProspectContext(repo, prospect, touches, kind, facts, previous, prospect.company,
                            pack.tuned(repo.get_setting("rule_overrides", {}) or {}), _team_context(repo, prospect))


def _check(args) -> int:
    from app.compose import check_text

    given = [flag for flag, value in (("--facts", args.facts), ("--company", args.company),
                                      ("--previous", args.previous)) if value is not None]
    if args.prospect is not None and given:
        raise UsageError(f"--prospect takes the facts, the company and the last message from the workspace: "
                         f"leave out {', '.join(given)}.")
    text = _read_text(args.file, "draft")
    pack = _rule_pack()
    team = None
    if args.prospect is not None:
        ctx = _prospect_context(args.prospect, args.kind, pack)
        kind, facts, previous, company, pack, team = ctx.kind, ctx.facts, ctx.previous, ctx.company, ctx.pack, ctx.team
    else:
        facts = _read_facts(args.facts) if args.facts else []
        previous = _read_text(args.previous, "previous message") if args.previous else None
        kind = args.kind or ("follow-up" if previous is not None else "first-touch")
        company = args.company
    result = check_text(text, kind, facts, previous=previous, company=company, today=args.today, pack=pack,
                        team=team)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        color = sys.stdout.isatty()
        for rule in result["rules"]:
            mark, code = _MARKS[rule["status"]]
            status = f"{mark} {rule['status']:<4}"
            if color:
                status = f"\033[{code}m{status}\033[0m"
            print(f"{status}  {rule['id']:<15} {rule['message']}")
        verdict = "ok to copy" if result["ok"] else "not ready: fix the failing rules"
        print(f"\n{kind_label(result['kind'])} ({result['kind']}), {result['words']} words, "
              f"{len(set(result['citations']))} citation(s): {verdict}")
    return EXIT_OK if result["ok"] else EXIT_FAIL


def _read_draft(path: str) -> str:
    """A draft file, or standard input for "-"; UTF-8, line breaks as Python's text mode reads them."""
    if path != "-":
        return _read_text(path, "draft")
    try:
        data = sys.stdin.buffer.read()
    except OSError as e:
        raise UsageError(f"can't read the draft from standard input: {e.strerror}.") from None
    return _decode_text(data, "on standard input", "draft")


def _touches(args) -> int:
    """touches add: what Copy does, from a file: the composer's check and send decision, then the sent log."""
    from app.compose import check_text
    from app.compose.draft_text import compose_text, parse_draft
    from app.compose.send import CheckResult, decide, outgoing
    from app.storage.repo import DEFAULT_FOLLOW_UP_DAYS

    text = _read_draft(args.file)
    pack = _rule_pack()
    known = {r.id for r in pack.rules}
    unknown = [r for r in dict.fromkeys(args.override) if r not in known]
    if unknown:
        raise UsageError(f"--override {', '.join(unknown)}: no such rule (see: earned rules).")
    ctx = _prospect_context(args.prospect, args.kind, pack)
    kind, prospect = ctx.kind, ctx.prospect
    draft = parse_draft(text)
    subject, body = draft.subject or "", draft.body
    # As the composer hands its subject and body to the rules: only a first touch's subject is checked.
    raw = None
    if body.strip():
        raw = check_text(compose_text(subject if kind == "first-touch" else "", body), kind, ctx.facts,
                         previous=ctx.previous, company=ctx.company or None, pack=ctx.pack, team=ctx.team)
    result = CheckResult.from_json(raw) if raw is not None else None
    failing = {r.id for r in result.failures()} if result is not None else set()
    for rule_id in dict.fromkeys(args.override):
        if rule_id not in failing:
            print(f"earned: note: --override {rule_id}: that rule doesn't fail, so there is nothing to copy over.",
                  file=sys.stderr)
    decision = decide(result, ctx.pack, [r for r in dict.fromkeys(args.override) if r in failing])
    if not decision.allowed:
        return _refused(args, ctx, result, decision)

    last_email = next((t for t in reversed(ctx.touches) if t.kind in EMAIL_KINDS), None)
    message = outgoing(kind, subject, body, last_email)
    if subject.strip() and message.subject != subject.strip():
        print(f"earned: note: the Subject line is not used: {_subject_note(kind, message.subject)}", file=sys.stderr)
    # The facts it cites, as the composer counts them: each marker that names one of this prospect's facts, once.
    ids = {str(f["id"]) for f in ctx.facts}
    cited = [int(c) for c in dict.fromkeys(result.citations) if c in ids]
    repo = ctx.repo
    had_draft = repo.get_draft(prospect.id) is not None
    days = int(repo.get_setting("follow_up_days", DEFAULT_FOLLOW_UP_DAYS))
    touch = repo.record_touch(prospect.id, kind, message.subject, message.text, cited, list(decision.overridden),
                              follow_up_days=days)
    if had_draft:
        print(f"earned: note: the draft saved in Earned for {prospect.company} was cleared, as Copy clears it.",
              file=sys.stderr)
    if args.json:
        print(json.dumps({"logged": True, "touch_id": touch.id, "prospect_id": touch.prospect_id, "kind": touch.kind,
                          "subject": touch.subject, "text": touch.text, "cited_fact_ids": list(touch.cited_fact_ids),
                          "overrides": list(touch.overrides), "sent_at": touch.sent_at,
                          "follow_up_due": touch.follow_up_due}, ensure_ascii=False))
        return EXIT_OK
    print(f"Logged as sent: {kind_label(touch.kind)} to {prospect.company} (prospect {prospect.id}), touch {touch.id}.")
    if touch.subject:
        print(f"Subject: {touch.subject}")
    print("Cites: " + ", ".join(f"[^{i}]" for i in touch.cited_fact_ids))
    if touch.overrides:
        print(f"Copied over: {', '.join(touch.overrides)} (the sent log records it).")
    print(f"Follow up on {touch.follow_up_due}." if touch.follow_up_due else "No follow-up date: it is not an email.")
    print(f"\n{touch.text}")
    return EXIT_OK


def _subject_note(kind: str, sent_subject: str) -> str:
    if kind == "follow-up":
        return f"a follow-up goes out under the email it forwards (“{sent_subject}”)."
    return f"a {kind_label(kind)} has no subject."


def _refused(args, ctx: _ProspectContext, result, decision) -> int:
    """touches add of a draft that may not go out: the failing rules, and what --override would log it."""
    failing = result.failures() if result is not None else []
    named = set(args.override)
    missing = [r for r in decision.overridable if r not in named]
    if args.json:
        print(json.dumps({"logged": False, "prospect_id": ctx.prospect.id, "kind": ctx.kind, "reason": decision.reason,
                          "failing": [{"id": r.id, "message": r.message, "overridable": ctx.pack.overridable(r.id)}
                                      for r in failing],
                          "missing_overrides": [] if decision.blocking else missing}, ensure_ascii=False))
    if result is None:
        print("earned: not logged: the draft is empty: write the message first.", file=sys.stderr)
        return EXIT_FAIL
    print(f"earned: not logged: {len(failing)} rule(s) fail:", file=sys.stderr)
    for r in failing:
        how = "can't be overridden" if not ctx.pack.overridable(r.id) else \
            ("--override given" if r.id in named else f"--override {r.id} logs it anyway")
        print(f"  ✘ {r.id:<15} {r.message} ({how})", file=sys.stderr)
    if decision.blocking:
        print(f"earned: fix the draft: {', '.join(r.id for r in decision.blocking)} can't be copied over.",
              file=sys.stderr)
    elif missing:
        print("earned: to log it anyway (the sent log records what you copied over): "
              + " ".join(f"--override {r}" for r in missing), file=sys.stderr)
    return EXIT_FAIL


def _rules(args) -> int:
    pack = _rule_pack()
    if args.json:
        print(json.dumps([{"id": r.id, "applies_to": list(r.applies_to), "level": r.level, "params": r.params,
                           "description": r.description, "source": r.source} for r in pack.rules],
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    for r in pack.rules:
        params = ", ".join(f"{k}={v}" for k, v in r.params.items())
        print(f"{r.id}  [{r.level}; {', '.join(r.applies_to)}]" + (f"  thresholds: {params}" if params else ""))
        print(f"    {r.description}")
        print(f"    Source: {r.source}\n")
    return EXIT_OK


def _research(args) -> int:
    from app.research.errors import FetchError
    from app.research.fetcher import normalize_url
    from app.research.pipeline import ResearchOptions, Researcher
    from app.research.worker import ParseWorker
    from app.config import research_options

    if args.all or args.concurrency is not None:
        return _research_all(args)
    name, url = (args.name or "").strip(), (args.url or "").strip()
    if not name and not url:
        raise UsageError("give --name or --url (or both): who should Earned research?")
    if url:
        try:
            url = normalize_url(url)
        except FetchError as e:
            raise UsageError(e.message) from None
    if args.max_pages < 1 or args.max_pages > 50:
        raise UsageError("--max-pages must be between 1 and 50.")
    repo = _open_repo()
    if args.save is not None:
        repo.get_prospect(args.save)  # an unknown id fails now, before any fetching
    options: ResearchOptions = research_options(repo, name or None, url or None, args.max_pages,
                                                news=not args.no_news)

    def progress(kind, payload):
        if kind == "progress" and not args.json and sys.stderr.isatty():
            print(f"  {payload[0]}: {payload[1]}", file=sys.stderr)

    # Pages are parsed in a child process that a runaway parser can't hold past its time limit.
    parser = ParseWorker()
    parser.start()  # the child loads its parsers while the home page is fetched
    try:
        result = Researcher(options, on_event=progress, parser=parser).run()
    finally:
        parser.close()
    saved = 0
    if args.save is not None:
        with repo.transaction():
            for f in result.facts:
                _, created = repo.add_found_fact(args.save, f)
                saved += created
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        company = result.company
        print(f"{company['name'] or '(name unknown)'}  {company['website'] or ''}")
        if company["description"]:
            print(f"  {company['description']}")
        print(f"\n{len(result.facts)} fact(s) from {len(result.pages)} page(s):")
        for f in result.facts:
            date_note = f" ({f.published})" if f.published else ""
            print(f"- [{f.kind}] {f.text}{date_note}\n    {f.source_url}")
        if result.errors:
            print(f"\n{len(result.errors)} problem(s):")
            for e in result.errors:
                print(f"- {e.source}: {e.kind}: {e.message}")
        if args.save is not None:
            print(f"\nSaved {saved} new fact(s) to prospect {args.save}.")
    failed = [e for e in result.errors if e.kind != "needs-setting"]  # (a source skipped until set up)
    if not result.facts and failed and not result.cancelled:
        print(f"earned: research found nothing: {len(failed)} source(s) failed "
              f"({', '.join(sorted({e.source for e in failed}))}).", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def _outcome_line(outcome) -> str:
    """One finished prospect of research --all, as a line, and under it each problem research listed."""
    what = {"done": f"{outcome.facts} fact{'s' if outcome.facts != 1 else ''}"
                    + (f", {outcome.errors} problem{'s' if outcome.errors != 1 else ''}" if outcome.errors else ""),
            "failed": outcome.message,
            "cancelled": f"kept {outcome.facts} fact{'s' if outcome.facts != 1 else ''}"}.get(outcome.state, "")
    # (The pipeline redacted them already; again here, the last step before the terminal, as the window does.)
    problems = "".join(f"\n           - {p.source}: {p.kind}: {redact(p.message)}" for p in outcome.problems)
    return f"{outcome.state:<9}  {outcome.company} (#{outcome.prospect_id}): {what}{problems}"


def _research_all(args) -> int:
    """research --all: every prospect through the workspace's research queue (an unfinished one goes on);
    a line per prospect as it finishes. Ctrl-C cancels and keeps every fact found (saved as found)."""
    import threading

    from app.config import research_options
    from app.research.batch import DEFAULT_CONCURRENCY, MAX_CONCURRENCY, BatchResearcher
    from app.storage.research_queue import ResearchQueueRepo

    if not args.all:
        raise UsageError("--concurrency goes with --all.")
    if args.name or args.url or args.save is not None:
        raise UsageError("--all researches every prospect in the workspace and saves to each; it can't be combined "
                         "with --name, --url or --save (those research one company).")
    if args.max_pages < 1 or args.max_pages > 50:
        raise UsageError("--max-pages must be between 1 and 50.")
    if args.concurrency is not None and not 1 <= args.concurrency <= MAX_CONCURRENCY:
        raise UsageError(f"--concurrency must be between 1 and {MAX_CONCURRENCY}.")
    repo = _open_repo()
    queue = ResearchQueueRepo(repo.conn)
    queue.recover()  # what a crash (or a closed window) left running goes back in the queue
    counts = queue.counts()
    if counts["running"] and not counts["queued"]:  # (recover() left them: another Earned is on them now)
        print(f"earned: another Earned (the window?) is researching this list now: {counts['running']} prospect(s) "
              "running, none left waiting. Let it finish, or cancel it there and run this again.", file=sys.stderr)
        return EXIT_FAIL
    if queue.has_pending():
        print(f"earned: going on with the research queue: {counts['queued']} prospect(s) left.", file=sys.stderr)
    elif not queue.enqueue_all():
        print("earned: no prospects to research; add some with: earned prospect add, or earned import-csv",
              file=sys.stderr)
        return EXIT_OK
    concurrency = args.concurrency or int(repo.get_setting("research_concurrency", DEFAULT_CONCURRENCY))
    options = research_options(repo, None, None, args.max_pages, news=not args.no_news)
    printing = threading.Lock()

    def on_event(prospect_id, kind, payload):
        if kind == "finished" and not args.json:
            with printing:
                print(_outcome_line(payload), flush=True)

    def save(prospect_id, f):  # each fact as it is found: Ctrl-C or a crash keeps it
        repo.add_found_fact(prospect_id, f)

    batch = BatchResearcher(queue, options, save, concurrency=concurrency, on_event=on_event)
    ended: list = []
    finished = threading.Event()  # (not Thread.join: Ctrl-C during a join can leave the thread looking ended)

    def run_batch():
        try:
            ended.append(batch.run())
        except Exception as e:  # noqa: BLE001 - raised again below, on the main thread
            ended.append(e)
        finally:
            finished.set()

    threading.Thread(target=run_batch, name="earned-research-all", daemon=True).start()
    interrupted = False
    try:
        while not finished.wait(0.2):  # short waits: Ctrl-C reaches this thread between them
            pass
    except KeyboardInterrupt:
        interrupted = True
        print("earned: cancelling; every fact found so far is kept…", file=sys.stderr, flush=True)
        batch.cancel()
        finished.wait()
    summary = ended[0]
    if isinstance(summary, Exception):
        raise summary
    items = queue.items()
    count = {state: sum(1 for i in items if i.state == state) for state in ("done", "failed", "cancelled", "queued")}
    if args.json:
        print(json.dumps({"prospects": [{"id": i.prospect_id, "company": i.company, "website": i.website,
                                         "state": i.state, "facts": i.facts, "errors": i.errors,
                                         "message": i.message, "problems": [p.to_json() for p in i.problems]}
                                        for i in items], **count}, ensure_ascii=False))
    else:
        print(f"\n{count['done']} done, {count['failed']} failed"
              + (f", {count['cancelled']} cancelled" if count["cancelled"] else "")
              + (f", {count['queued']} still queued" if count["queued"] else "")
              + f"; {sum(i.facts for i in items)} fact(s) found.")
    for problem in summary.problems:
        print(f"earned: research of the list stopped: {redact(problem)}", file=sys.stderr)
    if interrupted or summary.cancelled:
        return 130
    return EXIT_OK if count["done"] == len(items) else EXIT_FAIL


def _import_csv(args) -> int:
    from pathlib import Path

    from app.storage.csv_import import apply_import, plan_import

    repo = _open_repo()
    plan = plan_import(Path(args.file), repo)
    mapped = ", ".join(f"{ours} <- '{theirs}'" for ours, theirs in plan.columns.items())
    print(f"Columns: {mapped}  (delimiter {plan.delimiter!r}, {plan.encoding})")
    for line, why in plan.errors:
        print(f"line {line}: skipped: {why}", file=sys.stderr)
    for line, company in plan.duplicates:
        print(f"line {line}: already in the workspace: {company}")
    if args.dry_run:
        for row in plan.rows[:10]:
            print(f"line {row.line}: {row.company}  {row.website}  {row.contact}  {row.role}")
        print(f"Would import {len(plan.rows)} prospect(s); {len(plan.errors)} bad row(s), "
              f"{len(plan.duplicates)} duplicate(s).")
        return EXIT_OK
    added = apply_import(plan, repo)
    print(f"Imported {added} prospect(s); skipped {len(plan.errors)} bad row(s) and {len(plan.duplicates)} "
          "already there.")
    if added:
        print("Research them: earned research --all")
    return EXIT_OK


def _export(args) -> int:
    from pathlib import Path

    from app.storage.export import to_csv, to_markdown, write_export

    repo = _open_repo()
    if args.output:
        target = write_export(repo, args.format, Path(args.output), args.prospect)
        print(f"Wrote {target}.")
    else:
        sys.stdout.write((to_markdown if args.format == "md" else to_csv)(repo, args.prospect))
    return EXIT_OK


def _backup(args) -> int:
    from pathlib import Path

    from app.storage.backup import backup

    target = backup(_open_repo().conn, Path(args.file))
    print(f"Backed up the workspace to {target}.")
    return EXIT_OK


def _restore(args) -> int:
    from pathlib import Path

    from app.storage.backup import check_backup, restore
    from app.storage.safe_files import refuse_workspace

    # Before opening (and perhaps creating) the workspace:
    refuse_workspace(Path(args.file).expanduser().absolute(), database_path(), "restore from")
    check_backup(Path(args.file))
    repo = _open_repo()
    kept = restore(repo.conn, database_path(), Path(args.file))
    print(f"Restored {args.file}. The workspace you had is kept as {kept}.")
    return EXIT_OK


def _sources(args) -> int:
    from app.research.sources import SOURCES, describe

    if args.json:
        print(json.dumps([{"name": s.name, "label": s.label, "group": s.group, "needs_key": s.needs_key,
                           "needs_contact": s.needs_contact, "on_by_default": s.default_on, "sends": s.sends,
                           "terms": s.terms, "min_seconds_between_requests": s.rate.min_interval,
                           "url": s.default_url, "env": s.env, "docs": s.docs} for s in SOURCES], indent=2))
    else:
        for s in SOURCES:
            print(describe(s))
    return EXIT_OK


COMMANDS = {"prospect": _prospect, "notes": _notes, "keys": _keys, "check": _check, "rules": _rules,
            "sources": _sources, "research": _research, "import-csv": _import_csv, "export": _export, "backup": _backup,
            "restore": _restore, "touches": _touches, "team": lambda args: team_cli.run(args, _open_repo)}


def run(args: argparse.Namespace) -> int:
    install_log_filter()  # the CLI logs through logging's last-resort handler: keys never reach it
    try:
        return COMMANDS[args.command](args)
    except (EarnedError, ValueError) as e:
        print(f"earned: {redact(str(e))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except sqlite3.Error as e:
        known = store_error(e, database_path())
        if known is None:
            return _internal_error(e)
        print(f"earned: {redact(str(known))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as e:  # noqa: BLE001 - a bug: say so plainly
        return _internal_error(e)
    finally:
        for repo in _opened:
            for notice in repo.take_notices():
                print(f"earned: note: {notice}", file=sys.stderr)


def _internal_error(e: Exception) -> int:
    """A bug: say so plainly; the traceback only with EARNED_DEBUG=1."""
    if os.environ.get("EARNED_DEBUG"):
        raise e
    print(f"earned: internal error ({type(e).__name__}: {redact(str(e))}). Nothing was changed; please report "
          "this, and run again with EARNED_DEBUG=1 for details.", file=sys.stderr)
    return EXIT_INTERNAL
