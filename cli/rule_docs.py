"""The rules for people and programs: ``ledes rules`` and ``ledes explain`` (text, JSON) and docs/rules.md (Markdown)."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence

import ledes
from ledes import LedesInputError, Rule
from ledes.rules.catalogue import ENTRIES, GROUPS, rule_named


def anchor(name: str) -> str:
    """The anchor GitHub gives the heading of rule ``name`` in docs/rules.md (lower case, no dots): ``arithmeticline-total``."""
    return re.sub(r"[^a-z0-9 _-]", "", name.lower()).replace(" ", "-")


def suggestion(name: str, known: Sequence[str]) -> str:
    """``; did you mean 'x'?`` for a close name, else how to list them."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else "; `ledes rules` lists them"


def chosen(name: str | None) -> tuple[Rule, ...]:
    """Every rule (no name), one rule, or a group's rules; an unknown name is a LedesInputError with a did-you-mean."""
    if name is None:
        return ledes.ALL_RULES
    if name in ENTRIES:
        return (rule_named(name),)
    if name in GROUPS:
        return tuple(rule for rule in ledes.ALL_RULES if rule.group == name)
    raise LedesInputError(f"no rule or group named '{name}'{suggestion(name, [*ENTRIES, *GROUPS])}")


def _options(rule: Rule) -> dict[str, str]:
    """Each option's default, as text."""
    return {key: str(value) for key, value in rule.options.items()}


def listing(rules: Sequence[Rule]) -> str:
    """One line per rule: name, default level, summary."""
    return "\n".join(f"{rule.name:<34} {rule.level.value:<8} {rule.summary}" for rule in rules)


def explained(rule: Rule) -> str:
    """A rule in full: name, default level, kind, options, then its documentation."""
    kind = "a client guideline rule, on with guidelines" if rule.guideline else "a format rule"
    options = _options(rule)
    lines = [f"{rule.name} (default level: {rule.level.value}; {kind})", ""]
    if options:
        lines += ["Options (defaults): " + ", ".join(f"{key} = {value}" for key, value in options.items()), ""]
    return "\n".join([*lines, rule.doc])


def as_json(rules: Sequence[Rule]) -> str:
    """The rules as a JSON list: name, group, default level, whether a guideline rule, summary, documentation, options."""
    return json.dumps([
        {"name": rule.name, "group": rule.group, "level": rule.level.value, "guideline": rule.guideline,
         "summary": rule.summary, "doc": rule.doc, "options": _options(rule)}
        for rule in rules
    ], indent=2, ensure_ascii=False)


def as_markdown(rules: Sequence[Rule]) -> str:
    """docs/rules.md: every rule by group, each under its own heading (the anchor SARIF's help links point to)."""
    out = [
        "# Rules",
        "",
        "Generated from the rules' docstrings by `ledes rules --format markdown > docs/rules.md`;",
        "`tests/cli/test_rule_docs.py` fails when this file is stale. `ledes explain RULE` prints one.",
        "Format rules always run; client guideline rules run with `--guidelines` (or a `ledes.toml`).",
        "",
    ]
    for group in dict.fromkeys(rule.group for rule in rules):
        members = [rule for rule in rules if rule.group == group]
        out += [f"## {group}", "", "| rule | default level | summary |", "| --- | --- | --- |"]
        out += [f"| [`{rule.name}`](#{anchor(rule.name)}) | {rule.level.value} | {_cell(rule.summary)} |"
                for rule in members]
        out.append("")
        for rule in members:
            kind = "client guideline rule" if rule.guideline else "format rule"
            out += [f"### {rule.name}", "", f"Default level: **{rule.level.value}**; {kind}.", ""]
            options = _options(rule)
            if options:
                out += ["Options (defaults): " + ", ".join(f"`{key} = {value}`" for key, value in options.items()), ""]
            out += ["```text", rule.doc, "```", ""]
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
