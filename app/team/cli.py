"""`earned team connect|status|sync|disconnect`: the team server from the command line."""
from __future__ import annotations

import sys

from . import client


def add_parser(sub, parser_class) -> None:
    team = sub.add_parser("team", help="share accounts, research and the sent log through the team's server")
    tsub = team.add_subparsers(dest="action", required=True, parser_class=parser_class, metavar="ACTION")
    connect = tsub.add_parser("connect", help="join the team's PostgreSQL server (the password is read from "
                                              "standard input and kept in the system keychain)")
    connect.add_argument("--url", required=True, help="postgresql://USER@HOST:PORT/DATABASE (no password)")
    connect.add_argument("--name", required=True, help="your name as teammates will see it")
    status = tsub.add_parser("status", help="connected or not, what waits to be sent, the last sync")
    status.add_argument("--json", action="store_true")
    sync = tsub.add_parser("sync", help="send your changes and fetch the team's, now")
    sync.add_argument("--json", action="store_true")
    tsub.add_parser("disconnect", help="stop syncing on this machine (your data stays)")
    dnc = tsub.add_parser("dnc", help="the team's do-not-contact list: add, list or lift an entry")
    dsub = dnc.add_subparsers(dest="dnc_action", required=True, parser_class=parser_class, metavar="ACTION")
    dadd = dsub.add_parser("add", help="nobody on the team writes to this prospect, address or domain")
    dadd.add_argument("--prospect", type=int, help="a prospect's id (its account)")
    dadd.add_argument("--email", default="", help="an address")
    dadd.add_argument("--domain", default="", help="a domain (its subdomains too)")
    dadd.add_argument("--reason", required=True, help="why (e.g. 'asked us to stop')")
    dlist = dsub.add_parser("list", help="the entries")
    dlist.add_argument("--json", action="store_true")
    dlift = dsub.add_parser("lift", help="take an entry off the list")
    dlift.add_argument("gid", help="the entry's id, as `dnc list` shows it")
    init = tsub.add_parser("init-server", help="(the team's admin) set a PostgreSQL database up as the team's "
                                                "server; the admin password is read from standard input")
    init.add_argument("--url", required=True, help="postgresql://ADMIN@HOST:PORT/DATABASE")
    rep = tsub.add_parser("add-rep", help="(the team's admin) give a rep their own login; reads the admin's "
                                           "password, then the rep's, from standard input (one a line)")
    rep.add_argument("--url", required=True, help="postgresql://ADMIN@HOST:PORT/DATABASE")
    rep.add_argument("--role", required=True, help="the rep's user name: lower-case letters, digits and _")
    rep.add_argument("--name", required=True, help="the rep's name, as teammates will see it")


def run(args, open_repo) -> int:
    if args.action in ("init-server", "add-rep"):
        return _admin(args)
    repo = open_repo()
    if args.action == "connect":
        password = sys.stdin.readline().rstrip("\r\n") if not sys.stdin.isatty() else _ask()
        state = client.connect(repo, args.url, args.name, password or None)
        print(f"Connected to {state['url']} as {state['name']} ({state['role']}). "
              f"{state['pending']} change(s) wait for the first sync: run `earned team sync`.")
        return 0
    if args.action == "dnc":
        return _dnc(args, repo)
    if args.action == "status":
        state = client.status(repo)
        if getattr(args, "json", False):
            print(client.dumps(state))
        elif not state["connected"]:
            print("Not connected to a team: this workspace is yours alone.")
        else:
            print(f"Connected to {state['url']} as {state['name']} ({state['role']}); "
                  f"{state['pending']} change(s) to send; last sync {state['last_sync'] or 'never'}."
                  + (f"\nLast problem: {state['last_error']}" if state["last_error"] else ""))
        return 0
    if args.action == "sync":
        report = client.sync(repo)
        if getattr(args, "json", False):
            print(client.dumps(report))
        else:
            print(f"Sent {report['pushed']} change(s), received {report['pulled_total']} in "
                  f"{report['seconds']} s" + (f"; {report['lost_edits']} of your edits were older than a "
                                                f"teammate's (kept in the history)" if report["lost_edits"] else "")
                  + ".")
        return 0
    client.disconnect(repo)
    print("Disconnected: your workspace keeps everything; nothing more is shared from this machine.")
    return 0


def _dnc(args, repo) -> int:
    from app.storage.sync_store import SyncStore

    store = SyncStore(repo.conn)
    if args.dnc_action == "add":
        gid = store.add_do_not_contact(args.reason, args.prospect, args.email, args.domain)
        print(gid)
        return 0
    if args.dnc_action == "lift":
        store.lift_do_not_contact(args.gid)
        print(f"Lifted {args.gid}.")
        return 0
    rows = [dict(r) for r in repo.conn.execute(
        "SELECT d.gid, p.company, d.email, d.domain, d.reason, d.created_by FROM do_not_contact d"
        " LEFT JOIN prospects p ON p.gid = d.prospect_gid WHERE d.deleted_at IS NULL ORDER BY d.created_at")]
    if getattr(args, "json", False):
        print(client.dumps(rows))
    elif not rows:
        print("Nobody is on the do-not-contact list.")
    for r in rows if not getattr(args, "json", False) else ():
        what = r["company"] or r["email"] or r["domain"]
        print(f"{r['gid']}\t{what}\t{r['reason']}")
    return 0


def _admin(args) -> int:
    """The team admin's two commands: no workspace involved."""
    from . import server

    admin_password = _line("Admin password: ")
    if args.action == "init-server":
        applied = server.init_server(args.url, admin_password or None)
        print(f"The team server is ready (schema version {server.LATEST_VERSION}"
              + (f"; applied {', '.join(map(str, applied))}" if applied else "; it was already set up") + "). "
              "Add each rep with `earned team add-rep`.")
        return 0
    rep_password = _line(f"Password for {args.role}: ")
    with server.connect(args.url, admin_password or None) as conn:
        server.add_rep(conn, args.role, rep_password, args.name)
    print(f"{args.name} can join as {args.role}: `earned team connect --url postgresql://{args.role}@HOST:PORT/"
          "DATABASE --name ...` (their password, typed by them, stays in their keychain).")
    return 0


def _line(prompt: str) -> str:
    return sys.stdin.readline().rstrip("\r\n") if not sys.stdin.isatty() else _ask(prompt)


def _ask(prompt: str = "Team server password: ") -> str:
    import getpass

    return getpass.getpass(prompt)
