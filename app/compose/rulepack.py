"""Rule packs: rules are data (resources/rules/*.toml), checked for shape when loaded.

A rule has an id, the message kinds it applies to, a why (description + source), tunable
params, and one or more checks. Each check is one of a closed set of kinds (see checks.py)
with its own level (warn | fail). The rule's status is the worst of its checks.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.models import MESSAGE_KINDS
from app.core.paths import resources_dir

from .phrases import PhraseMatcher

LEVELS = ("warn", "fail")
CHECK_KINDS = ("existence", "occurrence", "ratio", "metric", "similarity", "citation", "script")


class RulePackError(ValueError):
    """The rule file is malformed: says which rule and what is wrong."""


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


@dataclass(frozen=True)
class RulePack:
    rules: tuple[Rule, ...]
    example_defaults: dict[str, Any]

    def for_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if kind in r.applies_to]

    def get(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def tuned(self, overrides: dict[str, dict[str, Any]]) -> "RulePack":
        """A copy with some params changed: {"follow-up-short": {"max_words": 60}}."""
        rules = []
        for r in self.rules:
            changes = overrides.get(r.id)
            if changes:
                unknown = set(changes) - set(r.params)
                if unknown:
                    raise RulePackError(f"{r.id}: no tunable param {', '.join(sorted(unknown))}")
                params = {**r.params, **{k: type(r.params[k])(v) for k, v in changes.items()}}
                r = Rule(**{**r.__dict__, "params": params})
            rules.append(r)
        return RulePack(tuple(rules), self.example_defaults)


def _check(rule_id: str, raw: dict) -> Check:
    raw = dict(raw)
    kind = raw.pop("kind", None)
    if kind not in CHECK_KINDS:
        raise RulePackError(f"{rule_id}: check kind {kind!r} is not one of {', '.join(CHECK_KINDS)}")
    level = raw.pop("level", None)
    if level not in LEVELS:
        raise RulePackError(f"{rule_id}: check level must be warn or fail, not {level!r}")
    message = raw.pop("message", "")
    needs = {"existence": ("tokens",), "ratio": ("numerator", "denominator")}.get(kind, ())
    missing = [k for k in needs if k not in raw]
    if missing:
        raise RulePackError(f"{rule_id}: {kind} check needs {', '.join(missing)}")
    matchers = {}
    for key in [k for k in raw if k.endswith("tokens") or k in ("numerator", "denominator")]:
        try:
            matchers[key] = PhraseMatcher(raw.pop(key))
        except re.error as e:
            raise RulePackError(f"{rule_id}: bad pattern in {key} ({e})") from None
    return Check(kind, level, message, raw, matchers)


def _rule(raw: dict) -> Rule:
    rule_id = raw.get("id") or "?"
    missing = [k for k in ("id", "applies_to", "description", "source", "checks") if k not in raw]
    if missing:
        raise RulePackError(f"rule {rule_id}: missing {', '.join(missing)}")
    kinds = tuple(raw["applies_to"])
    if not kinds or any(k not in MESSAGE_KINDS for k in kinds):
        raise RulePackError(f"{rule_id}: applies_to must list first-touch and/or follow-up")
    checks = tuple(_check(rule_id, c) for c in raw["checks"])
    level = "fail" if any(c.level == "fail" for c in checks) else "warn"
    return Rule(
        id=rule_id, applies_to=kinds, level=level, description=raw["description"].strip(),
        source=raw["source"].strip(), pass_message=raw.get("pass_message", "OK."),
        params=dict(raw.get("params", {})), checks=checks, examples=tuple(raw.get("examples", ())),
        param_help=dict(raw.get("param_help", {})),
    )


def load_pack(path: Path) -> RulePack:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise RulePackError(f"cannot read rule pack {path}: {e}") from None
    rules = tuple(_rule(r) for r in data.get("rules", []))
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise RulePackError(f"duplicate rule ids in {path}")
    return RulePack(rules, dict(data.get("examples", {})))


_default: RulePack | None = None


def default_pack() -> RulePack:
    """The bundled outreach rules, loaded once."""
    global _default
    if _default is None:
        _default = load_pack(resources_dir() / "rules" / "outreach.toml")
    return _default
