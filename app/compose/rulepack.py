"""Rule packs: rules are data (resources/rules/*.toml), validated when loaded.

A rule has an id, the message kinds it applies to, a why (description + source), tunable
params, and one or more checks. Each check is one of a closed set of kinds (see checks.py)
with its own level (warn | fail). The rule's status is the worst of its checks.

Anything a pack says that nothing reads (an unknown key, kind, scope, test or script, a "$param"
the rule doesn't define) is an error at load naming the file, the line and the rule: see
vocab.py for what a pack may say. A team may lay its own pack over the built-in one
(<data folder>/rules/outreach.toml): see team_pack().
"""
from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.models import MESSAGE_KINDS
from app.core.paths import resources_dir

from . import vocab
from .families import FamilyError, compile_matcher, message_for
from .phrases import PhraseMatcher

log = logging.getLogger(__name__)

LEVELS = vocab.LEVELS
TEAM_PACK = Path("rules") / "outreach.toml"  # under the data folder


class RulePackError(ValueError):
    """The rule file is malformed: one line per problem, each "file:line: rule id: what"."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()):
        super().__init__(message)
        self.problems = problems or (message,)


@dataclass(frozen=True)
class Check:
    kind: str
    level: str
    message: str
    options: dict[str, Any]
    matchers: dict[str, PhraseMatcher]  # every *tokens / numerator / denominator option, compiled


@dataclass(frozen=True)
class Rule:
    id: str
    applies_to: tuple[str, ...]
    level: str
    description: str
    source: str
    pass_message: str
    params: dict[str, Any]
    checks: tuple[Check, ...]
    examples: tuple[dict, ...] = ()
    param_help: dict[str, str] = field(default_factory=dict)
    overridable: bool = True  # False: Settings can't tune it and "Copy anyway" can't copy over it
    age_days: dict[str, Any] = field(default_factory=dict)  # fact kind -> days or "$param"
    renamed_params: dict[str, str] = field(default_factory=dict)  # old name -> new name
    char_limit: Any = None  # the kinds it applies to have at most this many characters (a number or "$param")
    team: bool = False  # checked only with a team context (a team workspace): a solo rep never sees it


@dataclass(frozen=True)
class RulePack:
    rules: tuple[Rule, ...]
    example_defaults: dict[str, Any]
    _by_kind: dict[tuple[str, bool], tuple[Rule, ...]] = field(default_factory=dict, init=False, compare=False,
                                                                repr=False)

    def for_kind(self, kind: str, team: bool = False) -> tuple[Rule, ...]:
        """The rules for a kind of message, in pack order; the team rules only in a team workspace (asked on
        every keystroke: kept)."""
        key = (kind, team)
        if key not in self._by_kind:
            self._by_kind[key] = tuple(r for r in self.rules if kind in r.applies_to and (team or not r.team))
        return self._by_kind[key]

    def get(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def overridable(self, rule_id: str) -> bool:
        """Whether a failing rule may be copied over; a rule this pack doesn't have may."""
        try:
            return self.get(rule_id).overridable
        except KeyError:
            return True

    def age_limits(self) -> dict[str, int]:
        """Fact kind -> days after which a cited fact of that kind is stale (the rules' age_days,
        tuned params applied; the tightest limit wins). Kinds not listed never go stale."""
        limits: dict[str, int] = {}
        for r in self.rules:
            for kind, value in r.age_days.items():
                days = r.params[value[1:]] if isinstance(value, str) else value
                limits[kind] = min(days, limits.get(kind, days))
        return limits

    def char_limit(self, kind: str) -> int | None:
        """The most characters a message of this kind may have (a rule's char_limit, tuned params
        applied; the tightest wins); None when no rule limits it."""
        limits = [r.params[r.char_limit[1:]] if isinstance(r.char_limit, str) else r.char_limit
                  for r in self.for_kind(kind) if r.char_limit is not None]
        return min(limits) if limits else None

    def tuned(self, overrides: dict[str, dict[str, Any]]) -> "RulePack":
        """A copy with some params changed: {"follow-up-short": {"max_words": 60}}.

        Saved overrides outlive the pack they were made for: a renamed param migrates to its new
        name, and one that no longer fits (an unknown param, a rule that can't be tuned, a value
        of the wrong type) is dropped with a logged notice; the rest still apply."""
        rules = []
        for r in self.rules:
            changes = dict(overrides.get(r.id) or {})
            if changes and not r.overridable:
                log.warning("rule %s can't be tuned: ignoring saved %s", r.id, ", ".join(sorted(changes)))
                changes = {}
            for old, new in r.renamed_params.items():
                if old in changes:
                    value = changes.pop(old)
                    changes.setdefault(new, value)
                    log.info("rule %s: saved %s now applies to %s", r.id, old, new)
            params = dict(r.params)
            for name, value in changes.items():
                if name not in params:
                    log.warning("rule %s has no tunable param %s: ignoring the saved value", r.id, name)
                    continue
                kind = type(params[name])
                if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                        (kind is int and value != int(value)):
                    log.warning("rule %s: saved %s = %r is not a %s: ignoring it", r.id, name, value, kind.__name__)
                    continue
                params[name] = kind(value)
            if params != r.params:
                r = Rule(**{**r.__dict__, "params": params})
            rules.append(r)
        unknown = set(overrides) - {r.id for r in self.rules}
        if unknown:
            log.info("no rule %s in the pack: ignoring its saved params", ", ".join(sorted(unknown)))
        return RulePack(tuple(rules), self.example_defaults)

    def laid_over(self, base: "RulePack") -> "RulePack":
        """This pack over base: a rule with a base rule's id replaces it in place, new ids follow."""
        mine = {r.id: r for r in self.rules}
        rules = [mine.pop(r.id, r) for r in base.rules] + [r for r in self.rules if r.id in mine]
        return RulePack(tuple(rules), {**base.example_defaults, **self.example_defaults})


# -- where things are in the file ----------------------------------------------------------------
_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")


class _Lines:
    """Line numbers in the raw TOML (tomllib gives none): rules are found by their [[rules]] headers,
    their checks and examples by [[rules.checks]] / [[rules.examples]] within them."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        headers = []  # (line index, "[[" or "[", table name)
        for i, line in enumerate(self.lines):
            m = _HEADER_RE.match(line)
            if m:
                headers.append((i, m.group(1), m.group(2).replace('"', "").replace(" ", "")))
        ends = [h[0] for h in headers[1:]] + [len(self.lines)]
        self.top_end = headers[0][0] if headers else len(self.lines)  # the keys before the first table
        self.tables = [(name, i, end) for (i, _, name), end in zip(headers, ends)]
        self.rules: list[dict] = []
        for (i, brackets, name), end in zip(headers, ends):
            if name == "rules" and brackets == "[[":
                self.rules.append({"start": i, "own_end": end, "end": end, "checks": [], "examples": [],
                                   "tables": {}})
            elif name.startswith("rules.") and self.rules:
                rule = self.rules[-1]
                rule["end"] = end
                part = name.split(".", 1)[1]
                if part in ("checks", "examples") and brackets == "[[":
                    rule[part].append((i, end))
                else:
                    rule["tables"][part] = i

    def _find(self, start: int, end: int, pattern: re.Pattern) -> int | None:
        for i in range(start, min(end, len(self.lines))):
            if pattern.search(self.lines[i]):
                return i + 1
        return None

    @staticmethod
    def _key(key: str) -> re.Pattern:
        return re.compile(r'(?:^|[{,])\s*"?' + re.escape(key) + r'"?\s*=')

    def top(self, key: str, table: str | None = None) -> int:
        """The line of a top-level key (or table), or of a key in a top-level table."""
        spans = [(0, self.top_end)] if table is None else [(i, end) for name, i, end in self.tables if name == table]
        for start, end in spans:
            found = self._find(start, end, self._key(key))
            if found:
                return found
        if table is not None:
            return spans[0][0] + 1 if spans else 1
        return next((i + 1 for name, i, _ in self.tables if name == key or name.startswith(key + ".")), 1)

    def rule(self, index: int, key: str | None = None, needle: str | None = None) -> int:
        """The line of rule index's header, of one of its own keys, or of some text in it."""
        if index >= len(self.rules):
            return 1
        r = self.rules[index]
        if key is not None:
            found = self._find(r["start"], r["own_end"], self._key(key))
            if found:
                return found
            if key in r["tables"]:
                return r["tables"][key] + 1
        if needle is not None:
            found = self._find(r["start"], r["end"], re.compile(re.escape(needle)))
            if found:
                return found
        return self._find(r["start"], r["own_end"], self._key("id")) or r["start"] + 1

    def part(self, index: int, which: str, n: int, key: str | None = None, needle: str | None = None) -> int:
        """The line of check/example n of rule index, or of one of its keys or some text in it."""
        if index >= len(self.rules) or n >= len(self.rules[index][which]):
            return self.rule(index, which if key is None else key, needle)
        start, end = self.rules[index][which][n]
        if key is not None:
            found = self._find(start, end, self._key(key))
            if found:
                return found
            # A table option ([rules.checks.tokens.slots]): its header, before the next check or example.
            for name, i, _ in self.tables:
                if end <= i < self.rules[index]["end"]:
                    if name in ("rules.checks", "rules.examples"):
                        break
                    if name.startswith(f"rules.{which}.{key}"):
                        return i + 1
        if needle is not None:
            found = self._find(start, end, re.compile(re.escape(needle)))
            if found:
                return found
        return start + 1


# -- loading -------------------------------------------------------------------------------------
class _Loader:
    def __init__(self, path: Path, text: str):
        from . import checks  # here, not at the top: checks imports this module for Check

        self.path = path
        self.where = _Lines(text)
        self.kinds = tuple(checks.KINDS)
        self.scripts = tuple(checks.SCRIPTS)
        self.problems: list[str] = []

    def problem(self, line: int, rule_id: str | None, what: str) -> None:
        self.problems.append(f"{self.path}:{line}: " + (f"rule {rule_id}: " if rule_id else "") + what)

    def pack(self, data: dict) -> RulePack:
        for key in sorted(set(data) - vocab.TOP_KEYS):
            self.problem(self.where.top(key), None, f"unknown key {key!r} (a pack has {_listing(vocab.TOP_KEYS)})")
        defaults = data.get("examples", {})
        if not isinstance(defaults, dict):
            self.problem(self.where.top("examples"), None, "[examples] must be a table of defaults")
            defaults = {}
        for key in sorted(set(defaults) - vocab.EXAMPLE_DEFAULT_KEYS):
            self.problem(self.where.top(key, "examples"), None,
                         f"unknown key {key!r} in [examples] (it has {_listing(vocab.EXAMPLE_DEFAULT_KEYS)})")
        raw_rules = data.get("rules", [])
        if not isinstance(raw_rules, list):
            self.problem(self.where.top("rules"), None, "rules must be a list of [[rules]] tables")
            raw_rules = []
        rules, seen = [], {}
        for i, raw in enumerate(raw_rules):
            rule = self.rule(i, raw)
            if rule is None:
                continue
            if rule.id in seen:
                self.problem(self.where.rule(i, "id"), rule.id,
                             f"duplicate id (also at line {self.where.rule(seen[rule.id], 'id')})")
                continue
            seen[rule.id] = i
            rules.append(rule)
        if self.problems:
            raise RulePackError("\n".join(self.problems), tuple(self.problems))
        return RulePack(tuple(rules), dict(defaults))

    def rule(self, i: int, raw: Any) -> Rule | None:
        before = len(self.problems)
        line = lambda key=None, needle=None: self.where.rule(i, key, needle)  # noqa: E731
        if not isinstance(raw, dict):
            self.problem(line(), None, "a rule must be a [[rules]] table")
            return None
        rule_id = raw.get("id") if isinstance(raw.get("id"), str) and raw.get("id") else f"#{i + 1}"
        for key in sorted(set(raw) - vocab.RULE_KEYS):
            self.problem(line(key), rule_id, f"unknown key {key!r} (a rule has {_listing(vocab.RULE_KEYS)})")
        missing = [k for k in vocab.RULE_REQUIRED if k not in raw]
        if missing:
            self.problem(line(), rule_id, f"missing {', '.join(missing)}")
            return None
        kinds = raw["applies_to"]
        if not isinstance(kinds, list) or not kinds or any(k not in MESSAGE_KINDS for k in kinds):
            self.problem(line("applies_to"), rule_id,
                         f"applies_to must list message kinds from {_listing(MESSAGE_KINDS)}")
            kinds = []
        params = raw.get("params", {})
        if not isinstance(params, dict) or any(isinstance(v, bool) or not isinstance(v, (int, float))
                                               for v in params.values()):
            self.problem(line("params"), rule_id, "params must be a table of numbers (Settings tunes them)")
            params = {}
        help_ = raw.get("param_help", {})
        for name in sorted(set(help_) - set(params)) if isinstance(help_, dict) else ():
            self.problem(line("param_help"), rule_id, f"param_help names {name!r}, which is not one of its params")
        overridable = raw.get("overridable", True)
        if not isinstance(overridable, bool):
            self.problem(line("overridable"), rule_id, "overridable must be true or false")
        team = raw.get("team", False)
        if not isinstance(team, bool):
            self.problem(line("team"), rule_id, "team must be true or false")
        age_days = raw.get("age_days", {})
        if not isinstance(age_days, dict) or any(isinstance(v, bool) or not isinstance(v, (int, str))
                                                 for v in age_days.values()):
            self.problem(line("age_days"), rule_id, 'age_days must map fact kinds to days or "$param"')
            age_days = {}
        self.refs(age_days, params, rule_id, lambda ref: line("age_days", f'"{ref}"'))
        char_limit = raw.get("char_limit")
        if char_limit is not None and (isinstance(char_limit, bool) or not isinstance(char_limit, (int, str))
                                       or (isinstance(char_limit, str) and not char_limit.startswith("$"))):
            self.problem(line("char_limit"), rule_id, 'char_limit must be a number of characters or "$param"')
            char_limit = None
        self.refs({"char_limit": char_limit} if char_limit is not None else {}, params, rule_id,
                  lambda ref: line("char_limit", f'"{ref}"'))
        renamed = raw.get("renamed_params", {})
        if not isinstance(renamed, dict):
            self.problem(line("renamed_params"), rule_id, 'renamed_params must be a table: { old_name = "new_name" }')
            renamed = {}
        for old, new in renamed.items():
            if new not in params:
                self.problem(line("renamed_params"), rule_id, f"renamed_params: {old} becomes {new!r}, "
                             f"which is not one of its params ({_listing(params) or 'none'})")
            if old in params:
                self.problem(line("renamed_params"), rule_id, f"renamed_params: {old} is still one of its params")

        checks = raw["checks"]
        if not isinstance(checks, list) or not checks:
            self.problem(line("checks"), rule_id, "checks must list one or more [[rules.checks]]")
            checks = []
        built = tuple(self.check(i, n, rule_id, c, params, age_days) for n, c in enumerate(checks))

        examples = raw.get("examples", [])
        if not isinstance(examples, list):
            self.problem(line("examples"), rule_id, "examples must be [[rules.examples]] tables")
            examples = []
        for n, ex in enumerate(examples):
            self.example(i, n, rule_id, ex, kinds)

        if len(self.problems) > before:
            return None
        level = "fail" if any(c.level == "fail" for c in built) else "warn"
        return Rule(
            id=rule_id, applies_to=tuple(kinds), level=level, description=raw["description"].strip(),
            source=raw["source"].strip(), pass_message=raw.get("pass_message", "OK."), params=dict(params),
            checks=built, examples=tuple(examples), param_help=dict(help_), overridable=overridable,
            age_days=dict(age_days), renamed_params=dict(renamed), char_limit=char_limit, team=team is True,
        )

    def refs(self, options: dict, params: dict, rule_id: str, line) -> None:
        """Every "$name" (in an option, or one level down in a table option) must be one of the rule's params."""
        for value in options.values():
            for v in value.values() if isinstance(value, dict) else (value,):
                if isinstance(v, str) and v.startswith("$") and v[1:] not in params:
                    self.problem(line(v), rule_id, f"{v} refers to no param of this rule "
                                 f"({_listing(params) or 'it has none'})")

    def check(self, i: int, n: int, rule_id: str, raw: Any, params: dict, age_days: dict) -> Check | None:
        line = lambda key=None, needle=None: self.where.part(i, "checks", n, key, needle)  # noqa: E731
        if not isinstance(raw, dict):
            self.problem(line(), rule_id, "a check must be a [[rules.checks]] table")
            return None
        raw = dict(raw)
        kind = raw.get("kind")
        if kind not in self.kinds:
            self.problem(line("kind"), rule_id, f"check kind {kind!r} is not one of {_listing(self.kinds)}")
            return None
        known = vocab.CHECK_OPTIONS.get(kind)
        if known is None:
            self.problem(line("kind"), rule_id, f"check kind {kind!r} declares no options in app/compose/vocab.py")
            return None
        level = raw.get("level")
        if level not in LEVELS:
            self.problem(line("level"), rule_id, f"check level must be warn or fail, not {level!r}")
        variants = vocab.MESSAGE_VARIANTS.get(kind, frozenset())
        where = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} check"
        if kind == "script" and raw.get("name") in self.scripts:
            known = known | vocab.SCRIPT_OPTIONS.get(raw["name"], frozenset())
            where = f"a {raw['name']} script check (app/compose/vocab.py SCRIPT_OPTIONS declares what it reads)"
        elif kind == "script":
            known = set(raw)  # what an unknown script would read is anybody's guess: its name is the error
        for key in sorted(set(raw) - vocab.CHECK_COMMON - known):
            which = key.removeprefix("message_") if key.startswith("message_") else None
            if which and (variants is None or which in variants):
                continue
            allowed = sorted(known) + [f"message_{w}" for w in sorted(variants or ())]
            self.problem(line(key), rule_id, f"unknown key {key!r} in {where}: it has kind, level, message"
                         f"{', ' + ', '.join(allowed) if allowed else ''}")
        for key in vocab.CHECK_REQUIRED.get(kind, ()):
            if key not in raw:
                self.problem(line(), rule_id, f"{where} needs {key}")
        for (k, option), choices in vocab.OPTION_CHOICES.items():
            value = raw.get(option)
            if k == kind and value is not None and not _is_ref(value) and value not in choices:
                self.problem(line(option), rule_id, f"{option} {value!r} is not one of {_listing(choices)}")
        if kind == "script" and "name" in raw and raw["name"] not in self.scripts:
            self.problem(line("name"), rule_id, f"script {raw['name']!r} is not one of {_listing(self.scripts)}")
        self.refs({k: v for k, v in raw.items() if not vocab.is_matcher_option(k)}, params, rule_id,
                  lambda ref: line(needle=f'"{ref}"'))
        if kind == "citation" and raw.get("test") == "fresh" and "max_age_days" not in raw:
            if not age_days:
                self.problem(line(), rule_id, "a fresh citation check needs the rule's age_days (or max_age_days)")
            raw["max_age_days"] = dict(age_days)  # the rule's age limits: one place for the check and the fact cards
        raw.pop("kind")
        raw.pop("level", None)
        message = raw.pop("message", "")
        matchers = {}
        for key in [k for k in raw if vocab.is_matcher_option(k)]:
            try:
                matchers[key] = compile_matcher(raw.pop(key))  # a phrase list, or a table of families
            except (re.error, TypeError, AttributeError, FamilyError) as e:
                self.problem(line(key), rule_id, f"bad pattern in {key} ({e})")
        return Check(kind, level, message_for(message, matchers), raw, matchers)

    def example(self, i: int, n: int, rule_id: str, raw: Any, kinds: list) -> None:
        line = lambda key=None: self.where.part(i, "examples", n, key)  # noqa: E731
        if not isinstance(raw, dict):
            self.problem(line(), rule_id, "an example must be a [[rules.examples]] table")
            return
        for key in sorted(set(raw) - vocab.EXAMPLE_KEYS):
            self.problem(line(key), rule_id,
                         f"unknown key {key!r} in an example (it has {_listing(vocab.EXAMPLE_KEYS)})")
        if raw.get("expect") not in vocab.EXPECTS:
            self.problem(line("expect"), rule_id, f"an example's expect must be one of {_listing(vocab.EXPECTS)}")
        if not isinstance(raw.get("text"), str):
            self.problem(line(), rule_id, "an example needs a text")
        if "kind" in raw and kinds and raw["kind"] not in kinds:
            self.problem(line("kind"), rule_id, f"example kind {raw['kind']!r} is not one the rule applies to")


def _is_ref(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("$")


def _listing(names) -> str:
    return ", ".join(sorted(names) if isinstance(names, (set, frozenset, dict)) else names)


def load_pack(path: Path) -> RulePack:
    """Load and validate one pack file; RulePackError lists every problem with its file and line."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise RulePackError(f"cannot read rule pack {path}: {e}") from None
    return _Loader(path, text).pack(data)


_default: RulePack | None = None


def default_pack() -> RulePack:
    """The bundled outreach rules, loaded once."""
    global _default
    if _default is None:
        _default = load_pack(resources_dir() / "rules" / "outreach.toml")
    return _default


def team_pack_path(data_folder: Path) -> Path:
    return data_folder / TEAM_PACK


def team_pack(data_folder: Path) -> tuple[RulePack, str | None]:
    """The built-in rules with the team's pack (data_folder/rules/outreach.toml) laid over them, if
    there is one: its rules replace built-in rules of the same id, new ids are added. A malformed
    team pack gives the built-in rules and a message saying what is wrong with it."""
    path = team_pack_path(data_folder)
    if not path.is_file():
        return default_pack(), None
    try:
        return load_pack(path).laid_over(default_pack()), None
    except RulePackError as e:
        return default_pack(), f"The team rule pack {path} can't be used, so the built-in rules apply:\n{e}"
