"""The rule catalogue says of every rule what its module declares, and a run imports only the rules it runs."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from ledes.rules import ALL_RULES, LOSSY_RULES, RULES_BY_NAME, WHOLE_INVOICE_RULES
from ledes.rules.catalogue import CATALOGUE, ENTRIES, GROUPS, Entry, rule_named

ROOT = Path(__file__).resolve().parents[2]
RULES_FOLDER = ROOT / "ledes" / "rules"


def declared_rules() -> dict[str, list[str]]:
    """Every module of ledes/rules that declares rules (a ``RULES`` tuple), with their names in its order."""
    found = {}
    for path in sorted(RULES_FOLDER.glob("*.py")):
        module = importlib.import_module(f"ledes.rules.{path.stem}")
        if hasattr(module, "RULES"):
            found[path.stem] = [rule.name for rule in module.RULES]
    return found


def test_every_declared_rule_is_in_the_catalogue_under_its_module_in_its_order():
    catalogued: dict[str, list[str]] = {}
    for entry in CATALOGUE:
        catalogued.setdefault(entry.module, []).append(entry.name)
    assert catalogued == declared_rules()
    assert len(ENTRIES) == len(CATALOGUE)


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda entry: entry.name)
def test_entry_says_what_the_rule_declares(entry: Entry):
    rule = rule_named(entry.name)
    assert (rule.name, rule.group, rule.level) == (entry.name, entry.group, entry.level)
    assert (rule.check is not None, rule.guideline, rule.finish is not None) == (
        entry.checks, entry.guideline, entry.finishes)
    assert (rule.lossy, rule.whole_invoice) == (entry.lossy, entry.whole_invoice)


def test_the_registry_is_the_catalogue_in_its_order():
    assert [rule.name for rule in ALL_RULES] == [entry.name for entry in CATALOGUE]
    assert all(RULES_BY_NAME[entry.name] is rule_named(entry.name) for entry in CATALOGUE)
    assert {rule.name for rule in ALL_RULES if rule.lossy} == LOSSY_RULES
    assert {rule.name for rule in ALL_RULES if rule.whole_invoice} == WHOLE_INVOICE_RULES
    assert tuple(dict.fromkeys(rule.group for rule in ALL_RULES)) == GROUPS


def test_an_unknown_name_is_a_key_error():
    with pytest.raises(KeyError):
        rule_named("arithmetic.no-such-rule")


# Run in a fresh interpreter: this one has imported every rule module already.
IMPORTED_BY_A_RUN = """
import sys
from ledes_cli.main import main
try:
    main(sys.argv[1:], prog_name="ledes")
except SystemExit:
    pass
print(" ".join(sorted(name for name in sys.modules if name.startswith("ledes.rules."))))
"""


def imported_rule_modules(*arguments: str) -> set[str]:
    ran = subprocess.run([sys.executable, "-c", IMPORTED_BY_A_RUN, *arguments], capture_output=True, text=True,
                         check=True, cwd=ROOT / "fixtures")
    return {name.removeprefix("ledes.rules.") for name in ran.stdout.splitlines()[-1].split()}


GUIDELINE_MODULES = {entry.module for entry in CATALOGUE if entry.guideline}


def test_validate_without_guidelines_imports_no_guideline_rule_module():
    sample = ROOT / "fixtures" / "1998b" / "valid" / "multi_matter.txt"
    imported = imported_rule_modules("validate", "--no-config", str(sample))
    assert "arithmetic" in imported
    assert imported & GUIDELINE_MODULES == set()


def test_validate_with_guidelines_imports_the_guideline_rule_modules():
    sample = ROOT / "fixtures" / "1998b" / "valid" / "multi_matter.txt"
    imported = imported_rule_modules("validate", "--guidelines", "default", str(sample))
    assert imported >= GUIDELINE_MODULES
