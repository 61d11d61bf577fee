"""What a rule pack may say: the keys of a pack, a rule, a check and an example, and the options
each check kind reads. rulepack.py rejects anything else at load, with the file and line.

Adding an option to a check kind (in checks.py)? Add its key to CHECK_OPTIONS here, and its
choices to OPTION_CHOICES if it takes one of a closed set of words. A script (checks.SCRIPTS) that
reads options of its own declares them in SCRIPT_OPTIONS. The kinds themselves and the script names
come from checks.KINDS and checks.SCRIPTS, so they are not repeated here.
"""
from __future__ import annotations

LEVELS = ("warn", "fail")
EXPECTS = ("pass", "warn", "fail")

TOP_KEYS = frozenset({"version", "examples", "rules"})
EXAMPLE_DEFAULT_KEYS = frozenset({"today", "company", "facts"})  # the [examples] table
RULE_KEYS = frozenset({
    "id", "applies_to", "description", "source", "pass_message", "params", "param_help", "checks", "examples",
    "overridable",  # false: never tuned in Settings and never copied over ("Copy anyway")
    "age_days",  # {fact kind: days or "$param"}: when a cited fact is stale (fact cards show it too)
    "renamed_params",  # {old_name: "new_name"}: saved overrides of old_name migrate to new_name
    "char_limit",  # days-like: a number or "$param": the message's character limit (the composer counts to it)
    "team",  # true: checked only in a team workspace (with a team context); a solo rep never sees it
})
RULE_REQUIRED = ("id", "applies_to", "description", "source", "checks")
# team: a table of the team context the example is checked with (team_rules.TEAM_KEYS; absent: a solo rep).
EXAMPLE_KEYS = frozenset({"expect", "text", "kind", "note", "previous", "facts", "company", "today", "team"})

CHECK_COMMON = frozenset({"kind", "level", "message"})  # and message_<which> (see MESSAGE_VARIANTS)

# The options each kind reads (checks.py), besides CHECK_COMMON.
CHECK_OPTIONS: dict[str, frozenset[str]] = {
    "existence": frozenset({"tokens", "scope", "anchor", "pleasantry_tokens"}),
    "occurrence": frozenset({"feature", "min", "max", "cta_tokens"}),
    "ratio": frozenset({"scope", "numerator", "denominator", "min_ratio"}),
    "metric": frozenset({"feature", "min", "max"}),
    "similarity": frozenset({"max"}),
    "citation": frozenset({"test", "max_age_days"}),
    "script": frozenset({"name"}),
}
CHECK_REQUIRED: dict[str, tuple[str, ...]] = {
    "existence": ("tokens",), "occurrence": ("feature",), "ratio": ("numerator", "denominator"),
    "metric": ("feature",), "similarity": ("max",), "citation": ("test",), "script": ("name",),
}
# The "which" each kind reports, so a check may word each case: message_few, message_low, ...
# None: any message_<word> (a script decides its own).
MESSAGE_VARIANTS: dict[str, frozenset[str] | None] = {
    "existence": frozenset(), "occurrence": frozenset({"few", "many"}), "ratio": frozenset(),
    "metric": frozenset({"low", "high"}), "similarity": frozenset(),
    "citation": frozenset({"unknown", "none", "none_used", "some_unused"}), "script": None,
}

# The options a script reads besides a script check's own (name); a script not listed reads none. A
# script's module adds its entry when checks.py imports it (claims.py, deliverability.py), beside its code.
SCRIPT_OPTIONS: dict[str, frozenset[str]] = {}

SCOPES = ("subject", "message", "content", "new")  # checks._regions
# Options that take one of a closed set of words: (kind, option) -> the words.
OPTION_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("existence", "scope"): (*SCOPES, "opening"),
    ("existence", "anchor"): ("start",),
    ("ratio", "scope"): SCOPES,
    ("occurrence", "feature"): ("questions", "asks"),
    ("metric", "feature"): ("words", "new_words", "subject_words", "words_per_sentence", "grade"),
    ("citation", "test"): ("resolves", "used", "fresh", "reused"),
}


def is_matcher_option(key: str) -> bool:
    """Options compiled as phrase lists (every *tokens, and a ratio's numerator and denominator)."""
    return key.endswith("tokens") or key in ("numerator", "denominator")
