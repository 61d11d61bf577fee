"""Team mode's rules: one owner per account, one rep writing to a prospect at a time, and the team's
do-not-contact list. Scripts registered in checks.SCRIPTS, read by two rules of the pack:

- teammate-touch (overridable): a teammate owns the account (teammate_owner), or touched this prospect within
  the team's window (teammate_recent). Says who and when.
- team-hold (not overridable): the account is on the team's do-not-contact list (do_not_contact), or
  teammate-touch fails and the account is not the rep's (account_owner). "Copy anyway" is the owner's call and
  a pack's `overridable` is per rule: this is what keeps a rep who doesn't own the account from copying over
  teammate-touch, and everybody from writing to a prospect on the list.

The input is check_text(..., team=...): any object with the attributes of app.core.models.TeamContext
(owner, owner_is_me, last_team_touch, do_not_contact; read with getattr, so a stand-in works until it lands),
and optionally owner_since (ISO date), days (the team's window, which wins over the check's `days` option)
and a third item in last_team_touch (the touch's message kind). Without it (a solo rep) every script passes
at once: a check with no team input costs a function call per check.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from app.core import dates

from . import vocab
from .analysis import Analysis, Span
from .rulepack import Check

Result = tuple[str, dict, list[Span]]
PASS: Result = ("pass", {}, [])

DEFAULT_DAYS = 14  # a check without a `days` option and a team without its own window
# What a teammate did, by the kind of the touch when the context says it ("contacted" when it doesn't).
_VERBS = {"first-touch": "emailed", "follow-up": "emailed", "linkedin-note": "sent a LinkedIn note to",
          "call-script": "called"}
# The keys of an example's `team` table (resources/rules/outreach.toml): TeamContext's, and the optional ones.
TEAM_KEYS = frozenset({"owner", "owner_is_me", "owner_since", "last_team_touch", "do_not_contact", "days"})


def _window(team: Any, check: Check) -> int:
    days = getattr(team, "days", None)
    if isinstance(days, int) and not isinstance(days, bool) and days >= 0:
        return days  # the team's own setting
    return check.options.get("days", DEFAULT_DAYS)


def _first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def _owned_by_teammate(team: Any) -> str | None:
    """The teammate who owns the account (None: the rep does, or nobody does)."""
    owner = getattr(team, "owner", None)
    if owner and not getattr(team, "owner_is_me", False):
        return owner
    return None


def _recent_touch(a: Analysis, team: Any, check: Check) -> dict | None:
    """A teammate's touch of this prospect within the window, as message values; None when there is none."""
    touch = getattr(team, "last_team_touch", None)
    if not touch or not touch[0]:
        return None
    who = touch[0]
    day = dates.to_date(touch[1]) if len(touch) > 1 else None
    verb = _VERBS.get(touch[2], "contacted") if len(touch) > 2 else "contacted"
    days = _window(team, check)
    if day is None:  # the team says it was within its window; when, it can't tell
        return {"who": who, "first_name": _first_name(who), "verb": verb, "when": f"in the last {days} days",
                "days": days}
    age = (a.today - day).days
    if age > days:
        return None
    ago = "today" if age <= 0 else "yesterday" if age == 1 else f"{age} days ago"
    return {"who": who, "first_name": _first_name(who), "verb": verb, "when": f"on {day.isoformat()} ({ago})",
            "date": day.isoformat(), "ago": ago, "days": days}


def teammate_owner(a: Analysis, check: Check, params: dict) -> Result:
    """A teammate owns the account: says who, and since when if the team says."""
    team = a.team
    if team is None:
        return PASS
    owner = _owned_by_teammate(team)
    if owner is None:
        return PASS
    values = {"owner": owner, "first_name": _first_name(owner)}
    since = dates.day(getattr(team, "owner_since", None))
    if since:
        values.update(since=since, which="since")
    return check.level, values, []


def teammate_recent(a: Analysis, check: Check, params: dict) -> Result:
    """A teammate touched this prospect within the window: who and when ("mine" when the rep owns the
    account, whose call Copy anyway is)."""
    team = a.team
    if team is None:
        return PASS
    values = _recent_touch(a, team, check)
    if values is None:
        return PASS
    if getattr(team, "owner_is_me", False):
        values["which"] = "mine"
    return check.level, values, []


def account_owner(a: Analysis, check: Check, params: dict) -> Result:
    """teammate-touch fails and the account is not the rep's: only its owner may copy over it."""
    team = a.team
    if team is None or getattr(team, "owner_is_me", False):
        return PASS
    owner = _owned_by_teammate(team)
    if owner is not None:
        return check.level, {"owner": owner, "first_name": _first_name(owner)}, []
    recent = _recent_touch(a, team, check)
    if recent is not None:
        return check.level, {**recent, "which": "unowned"}, []
    return PASS


def do_not_contact(a: Analysis, check: Check, params: dict) -> Result:
    """The account is on the team's do-not-contact list (the reason, when the team gave one)."""
    team = a.team
    if team is None:
        return PASS
    reason = getattr(team, "do_not_contact", None)
    if reason is None:
        return PASS
    reason = " ".join(str(reason).split())
    if not reason:
        return check.level, {"which": "no_reason"}, []
    return check.level, {"reason": reason}, []


def team_from_table(table: dict | None) -> Any:
    """A team context from a rule example's `team` table (or a test's dict): None stays None (a solo rep);
    last_team_touch may be a list. Unknown keys are an error, so a typo can't make an example pass."""
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ValueError(f"a team context must be a table of {', '.join(sorted(TEAM_KEYS))}")
    unknown = sorted(set(table) - TEAM_KEYS)
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)} in a team context (it has "
                         f"{', '.join(sorted(TEAM_KEYS))})")
    values = {"owner": None, "owner_is_me": False, "last_team_touch": None, "do_not_contact": None, **table}
    if values["last_team_touch"] is not None:
        values["last_team_touch"] = tuple(values["last_team_touch"])
    return SimpleNamespace(**values)


SCRIPTS = {"teammate_owner": teammate_owner, "teammate_recent": teammate_recent, "account_owner": account_owner,
           "do_not_contact": do_not_contact}
# The window (days) is a check option, not a rule param: Settings tunes params, and one rep shortening the
# team's window for themselves would defeat the rule. The team's own setting (TeamContext.days) wins over it.
for _name in ("teammate_recent", "account_owner"):
    vocab.SCRIPT_OPTIONS[_name] = vocab.SCRIPT_OPTIONS.get(_name, frozenset()) | frozenset({"days"})
