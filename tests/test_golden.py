"""Findings are unchanged: every fixture's and the generated every-rule file's JSON findings equal the golden files.

The golden files were recorded by tests/golden/record.py; a change that means to change findings
reruns `python tests/golden/record.py` and says so in its commit.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
sys.path.insert(0, str(GOLDEN))

import record  # noqa: E402

from ledes.rules import RULES_BY_NAME  # noqa: E402

CURRENT = dict(record.current())

# What a single 1998BI file cannot break: XML-only rules, conversion rules, and the whole-file structure
# rules (a file with a bad format line or header, or no invoice, or a 1 MiB line, is not read past it).
# And field.control-character: the generated file is also converted to XML, which cannot hold a control character
# (the rule's cases under fixtures/rules/ have their own golden file).
NOT_IN_A_PIPE_FILE = {"arithmetic.matter-totals", "field.control-character", "field.hours-minutes",
                      "structure.format-line", "structure.header", "structure.line-length", "structure.no-invoice",
                      "field.timekeeper-name"}  # the last: 1998B only; the generated file is 1998BI, its names split


@pytest.mark.parametrize("name", sorted(CURRENT))
def test_findings_equal_the_golden_file(name: str):
    golden = GOLDEN / "findings" / name
    assert golden.is_file(), f"no golden file {name}: run python tests/golden/record.py"
    recorded = golden.read_text(encoding="utf-8")
    now = record.dumps(CURRENT[name])
    if now != recorded:
        diff = "".join(difflib.unified_diff(recorded.splitlines(True), now.splitlines(True), "golden", "now", n=2))
        pytest.fail(f"findings changed for {name} (if meant, run python tests/golden/record.py):\n{diff[:6000]}")


def test_no_golden_file_is_stale():
    assert {p.name for p in (GOLDEN / "findings").glob("*.json")} == set(CURRENT)


def test_every_rule_fires_in_the_generated_file():
    document = CURRENT["generated__everyrule.json"]["everyrule.txt"]["northwind"]
    fired = {d["rule"] for file in document["files"] for d in file["diagnostics"]}
    can_fire = {name for name in RULES_BY_NAME if not name.startswith(("xml.", "convert."))} - NOT_IN_A_PIPE_FILE
    assert can_fire - fired == set()
