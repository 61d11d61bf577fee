"""LanguageTool's habit: every rule carries good and bad examples, and each one runs here."""
from datetime import date

import pytest

from app.compose import check_text
from app.compose.rulepack import default_pack
from app.compose.team_rules import team_from_table

PACK = default_pack()
DEFAULTS = PACK.example_defaults


def _cases():
    for rule in PACK.rules:
        for n, ex in enumerate(rule.examples):
            yield pytest.param(rule, ex, id=f"{rule.id}-{n}-{ex['expect']}")


@pytest.mark.parametrize("rule, example", list(_cases()))
def test_rule_example(rule, example):
    kind = example.get("kind", rule.applies_to[0])
    result = check_text(
        example["text"], kind, example.get("facts", DEFAULTS["facts"]), previous=example.get("previous"),
        company=example.get("company", DEFAULTS["company"]), today=date.fromisoformat(DEFAULTS["today"]),
        team=team_from_table(example.get("team")),
    )
    if rule.team and example.get("team") is None:  # a solo rep: the team rules are not checked at all
        assert example["expect"] == "pass" and rule.id not in {r["id"] for r in result["rules"]}
        return
    verdict = next(r for r in result["rules"] if r["id"] == rule.id)
    assert verdict["status"] == example["expect"], (example.get("note"), verdict)


def test_every_rule_has_good_and_bad_examples():
    for rule in PACK.rules:
        expects = {ex["expect"] for ex in rule.examples}
        assert "pass" in expects and expects & {"warn", "fail"}, rule.id
