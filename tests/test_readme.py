"""The README keeps its promises: two set-up commands, the CI runs the test one, every rule listed."""

from __future__ import annotations

import re
from pathlib import Path

import ledes

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def first_section_commands() -> list[str]:
    first = README.split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```\n(.*?)```", first, re.S)]


def test_first_section_has_exactly_two_commands():
    """One installs and validates a bundled fixture, one installs and runs the tests."""
    install_and_validate, install_and_test = first_section_commands()
    assert "ledes validate fixtures/" in install_and_validate
    assert (ROOT / install_and_validate.rsplit(" ", 1)[1]).is_file()
    assert install_and_test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    """.ci/run runs the README's test command as written."""
    _, install_and_test = first_section_commands()
    assert install_and_test in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_every_rule_is_documented_in_the_readme():
    """The README's rule table names every registered rule with its default level."""
    for rule in ledes.ALL_RULES:
        assert f"| `{rule.name}` | {rule.level.value} |" in README
