"""Findings on a LEDES XML file name its fields as the file names them, in the field, the message and the hint.

Every failing rule case of a 1998B or 1998BI file under ``fixtures/rules/`` (the guideline
rules' with their guidelines on) is converted to LEDES XML 2.1, 2.2 and 2000 and validated
again: no finding may name a field by the 1998B name where the XML file has its own
(``tk_level``, not TIMEKEEPER_CLASSIFICATION; ``total_amount``, not LINE_ITEM_TOTAL).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_rule_cases import case_config

import ledes
from ledes.api import iter_invoices
from ledes.formats import WriteOptions, format_named, message_names

RULE_CASES = Path(__file__).resolve().parents[2] / "fixtures" / "rules"
TARGETS = ("xml2.1", "xml2.2", "xml2000")


def _cases() -> list[Path]:
    found = []
    for case in sorted(RULE_CASES.glob("*/fail_*.txt")):
        with case.open("rb") as stream:
            if stream.read(9) in (b"LEDES1998", b"LEDES98BI"):
                found.append(case)
    return found


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("case", _cases(), ids=lambda case: f"{case.parent.name}/{case.stem}")
def test_no_finding_on_xml_names_a_1998b_field(case: Path, target: str, tmp_path: Path):
    writer = format_named(target)
    options = WriteOptions(currency="USD", law_firm_name="Law Firm")
    out = tmp_path / "converted.xml"
    try:
        invoices = [writer.prepared(invoice, options) for invoice in iter_invoices(case)]
        with out.open("w", encoding="utf-8") as stream:
            writer.write(invoices, stream)
    except (ledes.LedesError, ValueError, TypeError):
        pytest.skip("the case's invoices cannot be written in the target (an unknown line type, say)")
    config = case_config(case.parent.name) or ledes.Config()
    (report,) = ledes.validate([out], config).files
    names = message_names(target)
    pattern = re.compile(r"(?<![\w/])(?:" + "|".join(map(re.escape, names)) + r")(?![\w/])")
    for finding in report.diagnostics:
        assert not pattern.search(finding.message), finding
        assert not pattern.search(finding.hint or ""), finding
        assert finding.location.field not in names, finding


def test_a_guideline_message_on_xml_names_the_xml_field(tmp_path: Path):
    """An expense without an expense code, converted to XML 2.1: both findings name expense_code, as the file does."""
    case = RULE_CASES / "utbms.expense-code" / "fail_missing_expense_code.txt"
    writer = format_named("xml2.1")
    out = tmp_path / "converted.xml"
    with out.open("w", encoding="utf-8") as stream:
        writer.write([writer.prepared(invoice, WriteOptions(law_firm_name="Law Firm"))
                      for invoice in iter_invoices(case)], stream)
    (report,) = ledes.validate([out], case_config("utbms.expense-code")).files
    assert [(finding.rule, finding.message) for finding in report.diagnostics] == [
        ("field.required", "<expense> has no expense_code"),
        ("utbms.expense-code", "expense_code is empty; the client requires an expense code on E lines"),
    ]
    assert report.diagnostics[1].location.field == "expense_code"
