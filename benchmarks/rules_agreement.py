"""Rule agreement: how often the rule engine gives the verdict a person gave, on a development set of
hand-written outreach messages (`tests/data/outreach_dev.jsonl`).

Each line of the set is one message: its text, its kind (first-touch | follow-up), the verdict expected of
each rule it is labelled for ({"no-entitlement": "fail", "insight": "pass", ...}), and for a message written
to show one family of guilt or pitch, the family ("nudge", "self-introduction", ...). Every message is checked
with `app.compose.check_text` and the facts, company and date of the rule pack's [examples] table, as the
TOML examples are. Per rule, this prints:

  - recall: of the messages labelled "fail", how many the rule fails;
  - false fails: of the messages labelled "pass" (the must-pass ones: good follow-ups, hard negatives),
    how many the rule fails; each is listed;
  - agreement: the share of labels the rule's status matches exactly (pass / warn / fail);
  - for no-entitlement and insight, recall per family.

Exit status 1 when no-entitlement's or insight's recall is under 95%, or when any must-pass message fails.

Run from the repo root:  .venv/bin/python benchmarks/rules_agreement.py [-v]   (-v lists every disagreement)
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.compose import check_text  # noqa: E402
from app.compose.rulepack import default_pack  # noqa: E402

DEV_SET = ROOT / "tests" / "data" / "outreach_dev.jsonl"
MIN_RECALL = 0.95
GATED = ("no-entitlement", "insight")  # the rules whose recall the exit status holds to MIN_RECALL


def load(path: Path = DEV_SET) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def verdicts(rows: list[dict]) -> list[tuple[dict, dict]]:
    """(row, {rule id: result}) for every row, checked as the TOML examples are."""
    pack = default_pack()
    defaults = pack.example_defaults
    today = date.fromisoformat(defaults["today"])
    out = []
    for row in rows:
        result = check_text(row["text"], row["kind"], defaults["facts"], company=defaults["company"], today=today,
                            pack=pack)
        out.append((row, {r["id"]: r for r in result["rules"]}))
    return out


def short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    args = parser.parse_args()
    rows = load()
    checked = verdicts(rows)

    labels: dict[str, Counter] = defaultdict(Counter)  # rule -> counts
    family_hits: dict[str, Counter] = defaultdict(Counter)
    false_fails: list[tuple[str, dict, dict]] = []
    missed: list[tuple[str, dict, dict]] = []
    others: list[tuple[str, dict, dict, str]] = []
    for row, results in checked:
        for rule_id, expected in row["expected"].items():
            got = results[rule_id]["status"]
            c = labels[rule_id]
            c["labels"] += 1
            c["agree"] += got == expected
            if expected == "fail":
                c["fails"] += 1
                c["caught"] += got == "fail"
                if got != "fail":
                    missed.append((rule_id, row, results[rule_id]))
                if row.get("family"):
                    family_hits[row["family"]]["n"] += 1
                    family_hits[row["family"]]["caught"] += got == "fail"
            elif expected == "pass":
                c["passes"] += 1
                if got == "fail":
                    c["false_fails"] += 1
                    false_fails.append((rule_id, row, results[rule_id]))
            if got != expected and expected != "fail" and got != "fail":
                others.append((rule_id, row, results[rule_id], expected))

    kinds = Counter(r["kind"] for r in rows)
    must_pass = sum(1 for r in rows if "pass" in r["expected"].values())
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs; dev set {DEV_SET.relative_to(ROOT)}: "
          f"{len(rows)} messages ({kinds['first-touch']} first-touch, {kinds['follow-up']} follow-up), "
          f"{sum(c['labels'] for c in labels.values())} labels, {must_pass} must-pass messages\n")
    print(f"{'rule':16} {'labels':>6}  {'recall on fails':>17}  {'false fails on must-pass':>25}  {'agreement':>9}")
    for rule_id in sorted(labels, key=lambda r: (r not in GATED, r)):
        c = labels[rule_id]
        recall = f"{c['caught']}/{c['fails']} {c['caught'] / c['fails']:6.1%}" if c["fails"] else "-"
        false = f"{c['false_fails']}/{c['passes']}" if c["passes"] else "-"
        print(f"{rule_id:16} {c['labels']:6d}  {recall:>17}  {false:>25}  {c['agree'] / c['labels']:9.1%}")

    print("\nRecall per family:")
    families = {"no-entitlement": [], "insight": []}
    for row, _ in checked:
        fam = row.get("family")
        for rule_id in GATED:
            if fam and row["expected"].get(rule_id) == "fail" and fam not in families[rule_id]:
                families[rule_id].append(fam)
    for rule_id, fams in families.items():
        for fam in fams:
            h = family_hits[fam]
            print(f"  {rule_id:16} {fam:20} {h['caught']:3d}/{h['n']:<3d} {h['caught'] / h['n']:6.1%}")

    if false_fails:
        print("\nMust-pass messages that fail:")
        for rule_id, row, result in false_fails:
            print(f"  {rule_id}: {short(row['text'])!r} -> {short(result['message'], 100)}")
    if missed and (args.verbose or len(missed) <= 20):
        print("\nLabelled fails the rule lets through:")
        for rule_id, row, result in missed:
            print(f"  {rule_id} [{row.get('family', '-')}]: {short(row['text'])!r} -> {result['status']}")
    if others and args.verbose:
        print("\nOther disagreements (pass/warn):")
        for rule_id, row, result, expected in others:
            print(f"  {rule_id}: expected {expected}, got {result['status']}: {short(row['text'])!r}")

    gated_ok = all(labels[r]["fails"] and labels[r]["caught"] / labels[r]["fails"] >= MIN_RECALL for r in GATED)
    print(f"\nTargets: recall >= {MIN_RECALL:.0%} for {' and '.join(GATED)}: {'PASS' if gated_ok else 'MISS'}; "
          f"no must-pass message fails: {'PASS' if not false_fails else 'MISS'}")
    return 0 if gated_ok and not false_fails else 1


if __name__ == "__main__":
    sys.exit(main())
