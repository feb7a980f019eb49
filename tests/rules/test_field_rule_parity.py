"""Every field-level rule finds the same in LEDES XML 2.1, 2.2 and LEDES 2000 as in the 1998B / 1998BI file converted.

For each failing case of a ``field.*`` rule under ``fixtures/rules/`` that is a 1998B or
1998BI file, the case's invoices are read, written with each XML writer (through the
model, as ``ledes convert`` does) and validated again: the ``field.*`` findings must be
the same rules on the same line items (an invoice-level field: the same invoice) wherever
the target holds the field (the target's ``field_names`` has its model path).

Where the target cannot hold the value the 1998B file gives, or has its own limits, the
finding is left out, by case and target, with the reason (``NOT_COMPARED``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ledes
from ledes.api import iter_invoices
from ledes.formats import WriteOptions, format_named
from ledes.formats.ledes1998b.table import FIELD_NAMES as NAMES_1998B
from ledes.formats.ledes1998bi.table import FIELD_NAMES as NAMES_1998BI

RULE_CASES = Path(__file__).resolve().parents[2] / "fixtures" / "rules"
TARGETS = ("xml2.1", "xml2.2", "xml2000")
_LINE_SCOPES = ("line_item", "timekeeper")
# What XML holds of an IF / IE line (matter_disc_cred, LEDES 2000's matter_adj_on_*): its amount.
_ADJUSTMENT_FIELDS = frozenset({"line_item.adjustment", "line_item.total"})

# Rules compared in no target, and why.
RULES_NOT_COMPARED = {
    # Each format's own maximum lengths: 1998B's 20-character identifiers and 30-character
    # TIMEKEEPER_NAME are 1998B's; XML's limits are its schemas' (lf_name, firm_URL in 2.0).
    "field.length": "the maximum lengths are each format's own",
    # XML holds the line type as the element (fee, expense, matter_disc_cred): an unknown
    # or empty EXP/FEE/INV_ADJ_TYPE has no element to be written as.
    "field.line-type": "XML holds a line's type as its element; an unknown type cannot be written",
    # XML 1.0 holds no control character but tab and the line ends: the XML writers refuse such a value.
    "field.control-character": "XML cannot hold a control character: the writers refuse it",
}

# (case, targets) -> why the case's findings are not compared there.
CASES_NOT_COMPARED: dict[tuple[str, tuple[str, ...]], str] = {
    ("field.date/fail_iso_date", ("xml2.1", "xml2.2")): "1999-02-25 is a valid XML 2.x date",
    ("field.date/fail_invoice_date_on_every_row", ("xml2.1", "xml2.2")): "1999-02-25 is a valid XML 2.x date",
    ("field.date/fail_invoice_date_changes_mid_invoice", ("xml2.1", "xml2.2")):
        "the invoice holds one INVOICE_DATE, 1999-02-25, a valid XML 2.x date; the second spelling is not held",
    ("field.number/fail_eleven_integer_digits", TARGETS): "1998B's precision (10.4) is its own; xs:decimal has none",
    ("field.number/fail_five_decimals", TARGETS): "1998B's precision (10.4) is its own; xs:decimal has none",
    ("field.number/fail_too_many_decimals_greedy", TARGETS): "1998B's precision (10.4, 12.4) is its own",
    ("field.number/fail_leading_space", TARGETS): "' 5' is a valid xs:decimal (whitespace is collapsed)",
    ("field.number/fail_plus_sign", TARGETS): "'+100.00' is a valid xs:decimal",
    ("field.number/fail_thousands_separator", ("xml2000",)):
        "LEDES 2000 holds an invoice's adjustments as one figure per matter; an unreadable one is not written",
    ("field.required/fail_empty_line_type", TARGETS): "a line of no type cannot be written as a fee or an expense",
    ("field.null/fail_null_for_empty_fields", TARGETS):
        "the word NULL for an empty value is a pipe export's (Collaborati's 1998B page); XML values are not read for it",
    ("field.timekeeper-name/fail_first_name_first", TARGETS):
        "XML holds a timekeeper's last and first names in elements of their own (tk_lname, tk_fname): no order to get wrong",
    ("field.required/fail_1998bi_currency_line_tax_and_last_name", TARGETS):
        "the XML writers require the currency (it is supplied), compute each line's tax from its rate, and hold"
        " the timekeeper's name in the timekeeper summary, once per timekeeper",
    ("field.required/fail_unknown_type_without_unit_cost", TARGETS):
        "XML holds a line's type as its element: a line of an unknown type cannot be written",
    ("field.required/fail_1998bi_e_line_naming_its_timekeeper", TARGETS):
        "XML names an expense's timekeeper by tk_id only: the name and its parts are in the timekeeper summary",
    ("field.required/fail_blank_timekeeper_id", TARGETS):
        "XML names a fee's timekeeper in tk_id, which the XML schemas leave optional on a fee",
    ("field.required/fail_f_line_without_timekeeper", TARGETS):
        "XML names a fee's timekeeper in tk_id, which the XML schemas leave optional on a fee",
    ("field.tax-rate/fail_percent_written_as_20", ("xml2.1", "xml2.2")):
        "XML holds a rate as tax_rate_percent in a tax segment: 2000 % is written, and is not checked",
    ("field.tax-rate/fail_negative_rate", ("xml2.1", "xml2.2")):
        "XML holds a rate as tax_rate_percent in a tax segment, not checked for range",
    ("field.tax-rate/fail_rate_of_one", ("xml2.1", "xml2.2")):
        "XML holds a rate as tax_rate_percent in a tax segment, not checked for range",
}


def _cases() -> list[Path]:
    found = []
    for case in sorted(RULE_CASES.glob("field.*/fail_*.txt")):
        if case.parent.name in RULES_NOT_COMPARED:
            continue
        with case.open("rb") as stream:
            if stream.read(9) in (b"LEDES1998", b"LEDES98BI"):
                found.append(case)
    return found


def _name(case: Path) -> str:
    return f"{case.parent.name}/{case.stem}"


def _item_keys(invoices) -> tuple[dict[int, tuple], dict[str, tuple]]:
    """Each line item's key (invoice, line type, n-th of its type in the invoice), by its line and by its XPath.

    The XML writers keep the order of lines of a type (LEDES 2000 writes fees, then expenses).
    """
    by_line: dict[int, tuple] = {}
    by_xpath: dict[str, tuple] = {}
    for invoice in invoices:
        if invoice.location is not None and invoice.location.xpath:
            by_xpath[invoice.location.xpath] = (str(invoice.number),)
        seen: dict[str, int] = {}
        for item in invoice.line_items:
            code = str(getattr(item.type, "value", item.type))
            kind = "adjustment" if code.startswith("I") else code
            seen[kind] = seen.get(kind, 0) + 1
            key = (str(invoice.number), kind, seen[kind])
            if item.location is not None and item.location.line is not None:
                by_line.setdefault(item.location.line, key)
            # Not LEDES 2000's matter adjustments, located at their matter.
            if item.location is not None and item.location.xpath and not item.location.xpath.rsplit("/", 1)[-1].startswith("matter["):
                by_xpath[item.location.xpath] = key
    return by_line, by_xpath


def _source_findings(case: Path, target_names, collapse: frozenset[str]) -> set[tuple]:
    report = ledes.validate_file(case)
    with case.open("rb") as stream:
        names = NAMES_1998BI if stream.read(9) == b"LEDES98BI" else NAMES_1998B
    paths = {name: path for path, name in names.items()}
    by_line, _ = _item_keys(iter_invoices(case))
    keys = set()
    for finding in report.diagnostics:
        if not finding.rule.startswith("field."):
            continue
        field = finding.location.field if finding.location is not None else None
        path = paths.get(field or "", "")
        if path and path not in target_names:
            continue  # the target does not hold the field
        item = by_line.get(finding.location.line) if path.startswith(_LINE_SCOPES) and finding.location else None
        if item is not None and item[1] == "adjustment" and path not in _ADJUSTMENT_FIELDS:
            continue  # an IF / IE line is a matter discount or credit in XML: its amount, no date or units
        if finding.rule in collapse:
            item = None
        keys.add((finding.rule, finding.invoice, item[1:] if item else None))
    return keys


def _target_findings(path: Path, key: str, collapse: frozenset[str]) -> set[tuple]:
    report = ledes.validate_file(path, format=key)
    _, by_xpath = _item_keys(iter_invoices(path, key))
    keys = set()
    for finding in report.diagnostics:
        if not finding.rule.startswith("field."):
            continue
        where = (finding.location.xpath or finding.location.field or "") if finding.location is not None else ""
        within = [found for xpath, found in by_xpath.items() if where == xpath or where.startswith(xpath + "/")]
        invoice = next((found[0] for found in within), finding.invoice)
        item = next((found for found in within if len(found) > 1), None)
        if "/tksum[" in where or "/tk_sum[" in where:
            if finding.rule not in collapse:
                continue  # the summary repeats what each line's tk_level says
            item = None
        if finding.rule in collapse:
            item = None
        keys.add((finding.rule, invoice, item[1:] if item else None))
    return keys


def _compared() -> list:
    """Every (case, target) pair but those CASES_NOT_COMPARED names, with its reason, as a format that cannot hold it."""
    left_out = {(name, target) for (name, targets) in CASES_NOT_COMPARED for target in targets}
    return [pytest.param(case, target, id=f"{_name(case)}-{target}")
            for case in _cases() for target in TARGETS if (_name(case), target) not in left_out]


@pytest.mark.parametrize(("case", "target"), _compared())
def test_a_field_rule_finds_the_same_in_xml_as_in_1998b(case: Path, target: str, tmp_path: Path):
    """Where the target holds none of the fields a case's findings are on, the target has no field finding either."""
    writer = format_named(target)
    # LEDES 2000 holds a timekeeper's level in the timekeeper summary only: compared by invoice.
    collapse = frozenset({"field.classification"}) if target == "xml2000" else frozenset()
    options = WriteOptions(currency="USD", law_firm_name="Law Firm")
    out = tmp_path / "converted.xml"
    with out.open("w", encoding="utf-8") as stream:
        writer.write([writer.prepared(invoice, options) for invoice in iter_invoices(case)], stream)
    expected = _source_findings(case, writer.field_names, collapse)
    assert _target_findings(out, target, collapse) == expected


@pytest.mark.parametrize(("case", "target"), _compared())
def test_a_field_rule_finds_the_same_after_a_round_trip_through_xml(case: Path, target: str, tmp_path: Path):
    """The case converted to the target and back to its own format has the field findings it had, on what the target holds."""
    writer = format_named(target)
    with case.open("rb") as stream:
        source = format_named("1998bi" if stream.read(9) == b"LEDES98BI" else "1998b")
    collapse = frozenset({"field.classification"}) if target == "xml2000" else frozenset()
    options = WriteOptions(currency="USD", law_firm_name="Law Firm")
    out, back = tmp_path / "converted.xml", tmp_path / "back.txt"
    with out.open("w", encoding="utf-8") as stream:
        writer.write([writer.prepared(invoice, options) for invoice in iter_invoices(case)], stream)
    with back.open("w", encoding="utf-8") as stream:
        source.write([source.prepared(invoice, options) for invoice in iter_invoices(out, target)], stream)
    assert _source_findings(back, writer.field_names, collapse) == _source_findings(case, writer.field_names, collapse)
