"""arithmetic.line-total says what it computed with: an IF/IE line's empty unit cost as the 0 it counts, never 'None'."""

from __future__ import annotations

from pathlib import Path

import ledes

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"


def test_an_adjustment_line_without_a_unit_cost_is_computed_and_shown_with_0(tmp_path: Path):
    text = GOOD.read_text(encoding="utf-8")
    retainer = next(line for line in text.splitlines() if "|IF|" in line)
    fields = retainer.split("|")
    fields[11], fields[20] = "0", ""  # LINE_ITEM_ADJUSTMENT_AMOUNT, LINE_ITEM_UNIT_COST: the 1250 in neither
    path = tmp_path / "invoice.txt"
    path.write_text(text.replace(retainer, "|".join(fields)), encoding="utf-8")
    [finding] = [d for d in ledes.validate_file(path).diagnostics if d.rule == "arithmetic.line-total"]
    assert "= 1 × 0 + 0 = 0" in finding.message and "None" not in finding.message
