"""The LEDES 1998B and 1998BI sample files under fixtures/: each gets the verdict its SOURCES.md gives it,
and exactly the findings its defects produce, from the right rules at the right lines.

Every file is in the repository: copied byte for byte from a public repository under its licence,
or written by hand for ledes (fixtures/1998b/SOURCES.md and fixtures/1998bi/SOURCES.md say which).
Nothing here reads a file outside the repository, so a fresh clone skips nothing.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path

import pytest

import ledes
from ledes import Severity

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "fixtures" / "1998b"
SAMPLES_1998BI = ROOT / "fixtures" / "1998bi"
SOURCES = (SAMPLES / "SOURCES.md", SAMPLES_1998BI / "SOURCES.md")
VALID_SAMPLES = sorted((SAMPLES / "valid").glob("*.txt")) + sorted((SAMPLES_1998BI / "valid").glob("*.txt"))
INVALID_SAMPLES = sorted((SAMPLES / "invalid").glob("*.txt")) + sorted((SAMPLES_1998BI / "invalid").glob("*.txt"))
PATHS = {path.name: path for path in VALID_SAMPLES + INVALID_SAMPLES}

Finding = tuple[str, "int | None", "str | None", "str | None"]  # rule, line, field, invoice

# The consistency defects of the hand-written invoice HW-3108 (row 5 = line 7, the M-0902 retainer),
# which its LEDES1998Z and INVALID_HEADERS variants share: the lines add up to 1900.75, the total
# rows 1-4 give, so only row 5's own INVOICE_TOTAL and INVOICE_DESCRIPTION are reported.
HW_3108_ROW_5 = [
    ("invoice.consistent-fields", 7, "INVOICE_TOTAL", "HW-3108"),  # 500 vs 1900.75: Legal Tracker 007
    ("invoice.consistent-description", 7, "INVOICE_DESCRIPTION", "HW-3108"),  # a warning (rule F10)
]


def _greedy_bad() -> list[Finding]:
    """Lexitree's greedy_bad: two identical rows (lines 3 and 4) with nearly every field invalid."""
    number = "96543965439654396543123"
    # Invoice-level fields: the two rows repeat the same values, which are checked on the
    # invoice's first row (and again only on a row where they change), so reported on line 3.
    invoice_level = [
        ("field.date", "INVOICE_DATE"),  # 19990299
        ("field.date", "BILLING_START_DATE"),  # 19990199
        ("field.date", "BILLING_END_DATE"),
        ("field.number", "INVOICE_TOTAL"),  # 1250.123123: 6 decimals
        *(("field.length", name) for name in ("INVOICE_NUMBER", "CLIENT_ID", "LAW_FIRM_ID")),  # 23 characters
    ]
    row_level = [
        ("field.date", "LINE_ITEM_DATE"),  # 19990199
        ("field.number", "LINE_ITEM_ADJUSTMENT_AMOUNT"),  # 1250.12311: 5 decimals
        ("field.number", "LINE_ITEM_TOTAL"),  # 1250.123123
        ("field.line-type", "EXP/FEE/INV_ADJ_TYPE"),  # A
        ("field.classification", "TIMEKEEPER_CLASSIFICATION"),  # ABCDE
        ("field.required", "LAW_FIRM_MATTER_ID"),
        ("field.length", "TIMEKEEPER_NAME"),  # 46 characters
        *(
            ("field.length", name)  # 23 characters each
            for name in (
                "LINE_ITEM_NUMBER",
                "LINE_ITEM_TASK_CODE",
                "LINE_ITEM_EXPENSE_CODE",
                "LINE_ITEM_ACTIVITY_CODE",
                "TIMEKEEPER_ID",
                "CLIENT_MATTER_ID",
            )
        ),
    ]
    # LINE_ITEM_UNIT_COST is empty on a line of an unknown type (A), which only an IF or IE
    # adjustment may leave empty. Not reported, by design: the line arithmetic
    # 1 x 0 + 1250.12311 against 1250.123123 agrees to the cent.
    row_level.append(("field.required", "LINE_ITEM_UNIT_COST"))
    return [
        ("structure.format-line", 1, None, None),  # LEDES1998BB[]
        ("structure.header", 2, None, None),  # INVOIC_DATE
        # as fixtures/rules/field.date/fail_invoice_date_on_every_row expects
        *((rule, 3, field, number) for rule, field in invoice_level),
        *((rule, line, field, number) for line in (3, 4) for rule, field in row_level),
        ("invoice.duplicate-line-number", 4, "LINE_ITEM_NUMBER", number),
        ("arithmetic.invoice-total", 3, "INVOICE_TOTAL", number),  # 2500.246246 vs 1250.123123
    ]


# The tax checks that fail on the LOC 98BI sample (invoice 96542): errors by default, and a client
# profile may demote them to warnings (SOURCES.md: "INVALID (tax totals)").
TAX_RULES = ("arithmetic.line-tax", "arithmetic.invoice-tax", "arithmetic.invoice-net")
TAX_CHECKS_DEMOTED = ledes.Config(levels=dict.fromkeys(TAX_RULES, "warning"))

# Invoice 96542 of the LOC 98BI sample, rows 1-3 (lines 3-5): LINE_ITEM_TAX_RATE 0.061245 does not
# give the line taxes 87.63, 92.6 and 5.29 (630, 700 and 40 x 0.061245 = 38.58, 42.87, 2.45);
# INVOICE_TAX_TOTAL 182.52 is not their sum, and INVOICE_NET_TOTAL 1781.16 is not 1869.97 - 182.52.
LOC_98BI_96542_TAXES = [
    *(("arithmetic.line-tax", line, "LINE_ITEM_TAX_TOTAL", "96542") for line in (3, 4, 5)),
    ("arithmetic.invoice-tax", 3, "INVOICE_TAX_TOTAL", "96542"),
    ("arithmetic.invoice-net", 3, "INVOICE_NET_TOTAL", "96542"),
]


def _greedy_bad_98bi() -> list[Finding]:
    """Lexitree's 98BI greedy_bad: two identical rows (lines 3 and 4) with nearly every field invalid.

    Its first line ``LEDES98BI V32[]`` is accepted (``LEDES98BI V<n>[]``): no format-line finding.
    """
    number = "965429654296542965422"
    addresses = [f"{party}_{part}" for party in ("LAW_FIRM", "CLIENT") for part in (
        "NAME", "ADDRESS_1", "ADDRESS_2", "CITY", "STATEorREGION", "POSTCODE", "COUNTRY")]
    # Invoice-level fields (the invoice, its client and law firm): checked on the invoice's first row.
    invoice_level = [
        ("field.date", "INVOICE_DATE"),  # 20080299
        ("field.date", "BILLING_START_DATE"),  # 20080199
        ("field.date", "BILLING_END_DATE"),
        ("field.required", "CLIENT_ID"),  # empty
        *(("field.number", name) for name in (  # 5 decimals; the net total 15 integer digits
            "INVOICE_TOTAL", "INVOICE_TAX_TOTAL", "INVOICE_NET_TOTAL", "INVOICE_REPORTED_TAX_TOTAL")),
        *(("field.length", name) for name in ("INVOICE_NUMBER", "LAW_FIRM_ID", "CLIENT_TAX_ID")),  # 21 characters
        *(("field.length", name) for name in addresses),  # names 84/105 (60), cities 84/105 (40), GBRX, USAF ...
        ("field.currency", "INVOICE_CURRENCY"),  # ABC
        ("field.currency", "INVOICE_TAX_CURRENCY"),  # GBPP
        ("arithmetic.invoice-total", "INVOICE_TOTAL"),  # 1869.97111 vs 2 x 717.63999
        ("arithmetic.invoice-tax", "INVOICE_TAX_TOTAL"),  # 182.52999 vs 2 x 87.63123
        ("arithmetic.invoice-net", "INVOICE_NET_TOTAL"),  # 999999999991781.16 vs 1869.97111 - 182.52999
    ]
    # Row-level and matter-level fields: checked on every row.
    row_level = [
        ("field.date", "LINE_ITEM_DATE"),  # 20080199
        ("field.line-type", "EXP/FEE/INV_ADJ_TYPE"),  # A
        ("field.classification", "TIMEKEEPER_CLASSIFICATION"),  # ABCDE
        ("field.account-type", "ACCOUNT_TYPE"),  # X
        *(("field.number", name) for name in (  # 5 decimals; the tax rate 20 (10 at most)
            "LINE_ITEM_ADJUSTMENT_AMOUNT", "LINE_ITEM_TOTAL", "LINE_ITEM_TAX_RATE", "LINE_ITEM_TAX_TOTAL")),
        *(
            ("field.length", name)
            for name in (
                "LAW_FIRM_MATTER_ID",  # 21 characters, like the ids and codes below
                "LINE_ITEM_NUMBER",
                "LINE_ITEM_TASK_CODE",
                "LINE_ITEM_EXPENSE_CODE",
                "LINE_ITEM_ACTIVITY_CODE",
                "TIMEKEEPER_ID",
                "CLIENT_MATTER_ID",
                "TIMEKEEPER_NAME",  # 42 characters (30)
                "PO_NUMBER",  # 126 characters (100)
                "MATTER_NAME",  # 315 characters (255)
                "LINE_ITEM_TAX_TYPE",  # 42 characters (20)
            )
        ),
        ("arithmetic.line-total", "LINE_ITEM_TOTAL"),  # 2 x 350 - 70.99999 + 87.63123 = 716.63124, not 717.63999
        ("arithmetic.line-tax", "LINE_ITEM_TAX_TOTAL"),  # 629.00001 x 0.0612... = 38.52, not 87.63123
    ]
    # TIMEKEEPER_LAST_NAME and TIMEKEEPER_FIRST_NAME are empty where TIMEKEEPER_NAME is filled (they are its parts).
    row_level += [("field.required", "TIMEKEEPER_LAST_NAME"), ("field.required", "TIMEKEEPER_FIRST_NAME")]
    return [
        ("structure.header", 2, None, None),  # INVOIC_DATE
        *((rule, 3, field, number) for rule, field in invoice_level),
        *((rule, line, field, number) for line in (3, 4) for rule, field in row_level),
        ("invoice.duplicate-line-number", 4, "LINE_ITEM_NUMBER", number),
    ]


# Every finding expected in each file, as (rule, line, field, invoice).
EXPECTED: dict[str, list[Finding]] = {
    "lexitree_ledes1998b_good.txt": [],
    "travisbashor_tests_ledes_98B_sample_file.txt": [],
    "crlf_single_fee_legacy_pt.txt": [],
    "multi_matter.txt": [],
    "multi_matter_vat.txt": [],
    "crlf_two_matters_invoice_total_differs.txt": HW_3108_ROW_5,
    "crlf_format_line_ledes1998z.txt": [("structure.format-line", 1, None, None), *HW_3108_ROW_5],
    "crlf_header_invalid_headers.txt": [("structure.header", 2, None, None), *HW_3108_ROW_5],
    "travisbashor_tests-data_ledes_98B.txt": [
        ("arithmetic.invoice-total", 8, "INVOICE_TOTAL", "96543"),  # 1250 + 1250 vs 1250
        ("invoice.consistent-fields", 9, "CLIENT_ID", "96543"),  # 500 vs 00711
        ("invoice.duplicate-line-number", 9, "LINE_ITEM_NUMBER", "96543"),  # 6 again
    ],
    "travisbashor_notebook_ledes_98B.txt": [
        ("arithmetic.invoice-total", 3, "INVOICE_TOTAL", "96542"),  # 1973.95 vs 1684.45
        ("invoice.duplicate-line-number", 8, "LINE_ITEM_NUMBER", "96542"),  # 5 again
        ("invoice.consistent-description", 8, "INVOICE_DESCRIPTION", "96542"),  # "; other stuff"
    ],
    "lexitree_ledes1998b_eager_bad.txt": [
        ("field.required", 3, "LINE_ITEM_UNIT_COST", "96543"),  # an E line without a unit cost
        ("field.required", 3, "LINE_ITEM_EXPENSE_CODE", "96543"),  # ... and without an expense code
    ],
    "lexitree_ledes1998b_greedy_bad.txt": _greedy_bad(),
    # The LOC 98BI sample: line arithmetic (tax included) and invoice totals hold; invoice 96543 is
    # consistent, 96542's taxes are not, and the rate 0.061245 matches no line tax (row 6 too).
    "travisbashor_tests-data_ledes_98BI.txt": [
        *LOC_98BI_96542_TAXES,
        ("arithmetic.line-tax", 8, "LINE_ITEM_TAX_TOTAL", "96543"),  # 1250 x 0.061245 = 76.56, not 88.81
    ],
    # Rows 1-3 of the sample: INVOICE_TOTAL 1869.97 over lines adding up to 1555.52, and the tax findings.
    "lexitree_ledes98bi_good.txt": [
        ("arithmetic.invoice-total", 3, "INVOICE_TOTAL", "96542"),
        *LOC_98BI_96542_TAXES,
    ],
    # Row 1 of the sample alone, its three timekeeper names empty: every total is inconsistent.
    "lexitree_ledes98bi_eager_bad.txt": [
        *(("field.required", 3, name, "96542") for name in (
            "TIMEKEEPER_NAME", "TIMEKEEPER_LAST_NAME", "TIMEKEEPER_FIRST_NAME")),
        ("arithmetic.line-tax", 3, "LINE_ITEM_TAX_TOTAL", "96542"),  # 630 x 0.061245 = 38.58, not 87.63
        ("arithmetic.invoice-total", 3, "INVOICE_TOTAL", "96542"),  # 1869.97 vs 717.63
        ("arithmetic.invoice-tax", 3, "INVOICE_TAX_TOTAL", "96542"),  # 182.52 vs 87.63
        ("arithmetic.invoice-net", 3, "INVOICE_NET_TOTAL", "96542"),  # 1781.16 vs 1869.97 - 182.52
    ],
    "lexitree_ledes98bi_greedy_bad.txt": _greedy_bad_98bi(),
}
WARNINGS = {"invoice.consistent-description"}

# Invoices and line items of each file, counted from its records (distinct INVOICE_NUMBERs, rows).
SHAPES = {
    "lexitree_ledes1998b_good.txt": (2, 6),  # 96542 (five rows) and 96543 (the IF retainer)
    "travisbashor_tests_ledes_98B_sample_file.txt": (2, 6),
    "crlf_single_fee_legacy_pt.txt": (1, 1),  # CRLF and a trailing " \r\n" line
    "multi_matter.txt": (3, 10),
    "multi_matter_vat.txt": (2, 6),
    "crlf_two_matters_invoice_total_differs.txt": (1, 5),  # one invoice over matters M-0814 and M-0902
    "crlf_format_line_ledes1998z.txt": (1, 5),  # an unknown marker: still read
    "crlf_header_invalid_headers.txt": (1, 5),  # no header: read in the standard column order
    "lexitree_ledes1998b_eager_bad.txt": (1, 1),
    "lexitree_ledes1998b_greedy_bad.txt": (1, 2),
    "travisbashor_tests-data_ledes_98B.txt": (2, 7),
    "travisbashor_notebook_ledes_98B.txt": (2, 7),
    "travisbashor_tests-data_ledes_98BI.txt": (2, 6),  # the LOC 98BI sample
    "lexitree_ledes98bi_good.txt": (1, 3),
    "lexitree_ledes98bi_eager_bad.txt": (1, 1),
    "lexitree_ledes98bi_greedy_bad.txt": (1, 2),  # marker LEDES98BI V32[] and a bad header: still read
}


def _ordered(findings) -> list[Finding]:
    return sorted(findings, key=lambda f: (f[1] or 0, f[0], f[2] or "", f[3] or ""))


def _findings(report) -> list[Finding]:
    return _ordered((d.rule, d.line, d.field, d.invoice) for d in report.diagnostics)


def _table(text: str, header: str) -> list[list[str]]:
    """The rows of the Markdown table that starts with ``header``, as lists of cell texts."""
    rows = []
    for line in text.split(header, 1)[1].splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def _verdicts() -> dict[str, tuple[str, str, str]]:
    """The SOURCES.md verdict tables: file name -> (folder, format, verdict), e.g. ('invalid', '98BI', 'INVALID (tax totals)')."""
    verdicts = {}
    for sources in SOURCES:
        for file, file_format, verdict, _ in _table(sources.read_text(encoding="utf-8"), "| file | format | expected verdict | main reason |"):
            folder, name = file.split("/")
            assert name not in verdicts, name
            verdicts[name] = (folder, file_format, verdict)
    return verdicts


def _provenance() -> dict[str, dict[str, str]]:
    """The SOURCES.md tables of copied files: file name -> repo, path, commit, blob, bytes, licence (and folder)."""
    header = "| file | repo | path | commit | blob | bytes | licence |"
    copied = {}
    for sources in SOURCES:
        for file, *cells in _table(sources.read_text(encoding="utf-8"), header):
            folder, name = file.split("/")
            copied[name] = {"folder": folder, **dict(zip(header.strip("| ").split(" | ")[1:], cells, strict=True))}
    return copied


def _written_for_ledes() -> set[str]:
    """The files SOURCES.md lists under "Written for ledes" (by hand, not copied)."""
    names = set()
    for sources in SOURCES:
        section = sources.read_text(encoding="utf-8").split("## Written for ledes", 1)[1].split("\n## ", 1)[0]
        names |= {name.rsplit("/", 1)[-1] for name in re.findall(r"`((?:valid|invalid)/[^`]+\.txt)`", section)}
    return names


def test_every_sample_has_a_verdict_and_expectations():
    verdicts = _verdicts()
    assert set(verdicts) == set(PATHS) == set(EXPECTED) == set(SHAPES)
    assert len(PATHS) == len(VALID_SAMPLES) + len(INVALID_SAMPLES)  # no name in two folders
    for name, (folder, _, verdict) in verdicts.items():
        assert PATHS[name].parent.name == folder, name
        assert (verdict == "VALID") == (folder == "valid"), name
        assert (EXPECTED[name] == []) == (folder == "valid"), name


def test_every_sample_is_either_copied_with_its_source_and_licence_or_written_for_ledes():
    copied, written = _provenance(), _written_for_ledes()
    assert set(copied) | written == set(PATHS) and not set(copied) & written
    assert written >= {"crlf_single_fee_legacy_pt.txt", "crlf_two_matters_invoice_total_differs.txt",
                       "crlf_format_line_ledes1998z.txt", "crlf_header_invalid_headers.txt"}


@pytest.mark.parametrize("name", sorted(_provenance()))
def test_a_copied_sample_is_the_upstream_file_byte_for_byte(name: str):
    """Its size and git blob id are the ones SOURCES.md records: the copy was never re-saved or normalised."""
    source = _provenance()[name]
    data = PATHS[name].read_bytes()
    assert PATHS[name].parent.name == source["folder"]
    assert len(data) == int(source["bytes"])
    assert hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == source["blob"]
    assert re.fullmatch(r"[0-9a-f]{40}", source["commit"])
    assert source["repo"] in ("Lexitree-Labs/LEDES", "travisbashor/ledes-parser")  # both MIT
    assert source["licence"].startswith("MIT, © ")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_gets_its_verdict(name: str):
    _, file_format, verdict = _verdicts()[name]
    report = ledes.validate_file(PATHS[name])
    if verdict == "VALID":
        assert report.diagnostics == (), [d.message for d in report.diagnostics]
    else:
        assert re.fullmatch(r"INVALID( \(.*\))?", verdict), verdict
        assert report.errors == sum(1 for finding in EXPECTED[name] if finding[0] not in WARNINGS) > 0
    assert file_format in ("1998B", "98BI")
    assert report.format == {"1998B": "LEDES1998B", "98BI": "LEDES98BI"}[file_format]
    if verdict == "INVALID (tax totals)":
        # only the tax checks fail: demoted to warnings, the file passes with warnings
        assert {d.rule for d in report.diagnostics} <= set(TAX_RULES)
        demoted = ledes.validate_file(PATHS[name], TAX_CHECKS_DEMOTED)
        assert (demoted.errors, demoted.warnings) == (0, report.errors)


@pytest.mark.parametrize("path", VALID_SAMPLES, ids=lambda p: p.name)
def test_valid_sample_has_no_finding(path: Path):
    report = ledes.validate_file(path)
    assert report.diagnostics == ()
    assert report.line_items == path.read_bytes().count(b"[]") - 2


@pytest.mark.parametrize("path", INVALID_SAMPLES, ids=lambda p: p.name)
def test_invalid_sample_has_exactly_the_findings_of_its_defects(path: Path):
    """Each defect SOURCES.md names, by the right rule at the right line, field and invoice; nothing else."""
    report = ledes.validate_file(path)
    assert report.errors > 0
    assert _findings(report) == _ordered(EXPECTED[path.name])
    for finding in report.diagnostics:
        expected = Severity.WARNING if finding.rule in WARNINGS else Severity.ERROR
        assert finding.severity is expected, finding


def test_the_loc_98bi_sample_passes_with_warnings_when_the_tax_checks_are_demoted():
    report = ledes.validate_file(PATHS["travisbashor_tests-data_ledes_98BI.txt"], TAX_CHECKS_DEMOTED)
    assert (report.errors, report.warnings) == (0, 6)
    assert {d.severity for d in report.diagnostics} == {Severity.WARNING}
    assert _findings(report) == _ordered(EXPECTED["travisbashor_tests-data_ledes_98BI.txt"])


@pytest.mark.parametrize("name", ["lexitree_ledes98bi_good.txt", "lexitree_ledes98bi_eager_bad.txt", "lexitree_ledes98bi_greedy_bad.txt"])
def test_the_other_98bi_samples_fail_on_more_than_the_tax_checks(name: str):
    """With the tax checks demoted, their tax findings become warnings and the others stay errors."""
    report = ledes.validate_file(PATHS[name], TAX_CHECKS_DEMOTED)
    errors = _ordered((d.rule, d.line, d.field, d.invoice) for d in report.diagnostics if d.severity is Severity.ERROR)
    warnings = _ordered((d.rule, d.line, d.field, d.invoice) for d in report.diagnostics if d.severity is Severity.WARNING)
    assert errors == _ordered(finding for finding in EXPECTED[name] if finding[0] not in TAX_RULES)
    assert warnings == _ordered(finding for finding in EXPECTED[name] if finding[0] in TAX_RULES)
    assert errors


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_sample_files_are_read_whole(name: str):
    report = ledes.validate_file(PATHS[name])
    assert (report.invoices, report.line_items) == SHAPES[name]


def test_the_loc_98bi_sample_is_read_into_the_model():
    first, retainer = ledes.iter_invoices(PATHS["travisbashor_tests-data_ledes_98BI.txt"])
    assert (first.number, first.currency, str(first.total), str(first.tax_total), str(first.net_total)) == (
        "96542", "GBP", "1869.97", "182.52", "1781.16"
    )
    assert (str(first.reported_tax_total), first.tax_currency) == ("182.52", "GBP")
    assert (first.client.name, first.client.tax_id, first.client.address.country) == ("Stanley's Widgets", "76-1235", "USA")
    assert (first.law_firm.name, first.law_firm.address.city, first.law_firm.address.region) == (
        "Law Offices of John Smith", "London", None
    )
    (matter,) = first.matters
    assert (matter.law_firm_matter_id, matter.name, matter.po_number, matter.account_type) == ("528", "Merten Merger", "77654", "O")
    item = matter.line_items[0]
    assert (str(item.tax_rate), str(item.tax_total), item.tax_type, str(item.total)) == ("0.061245", "87.63", "VAT", "717.63")
    assert (item.timekeeper.last_name, item.timekeeper.first_name) == ("Arnsley", "Robert")
    assert retainer.matters[0].po_number is None  # empty on invoice 96543


def test_multi_matter_invoice_keeps_its_matters():
    (invoice,) = ledes.iter_invoices(PATHS["crlf_two_matters_invoice_total_differs.txt"])
    assert [(m.law_firm_matter_id, m.client_matter_id, len(m.line_items)) for m in invoice.matters] == [
        ("M-0814", "CM-2291", 4),
        ("M-0902", "CM-3040", 1),
    ]
    assert [[str(item.total) for item in m.line_items] for m in invoice.matters] == [
        ["875.00", "315.00", "24.00", "186.75"],
        ["500"],
    ]
    assert str(invoice.total) == "1900.75"  # the first row's value is the one kept
    assert invoice.description == "Professional services, February 2023"


def test_multi_matter_sample_is_canonical():
    path = SAMPLES / "valid" / "multi_matter.txt"
    text = path.read_bytes().decode("ascii")
    assert "\r" not in text and text.endswith("[]\n")
    invoices = ledes.load(path)
    assert [(i.number, [m.law_firm_matter_id for m in i.matters]) for i in invoices] == [
        ("96544", ["0528", "1326"]),
        ("96545", ["0611"]),
        ("96546", ["1326"]),
    ]
    assert ledes.dumps(invoices) == text


def test_multi_matter_1998bi_sample_is_canonical_and_consistent():
    path = SAMPLES_1998BI / "valid" / "multi_matter_vat.txt"
    text = path.read_bytes().decode("ascii")
    assert "\r" not in text and text.endswith("[]\n")
    invoices = ledes.load(path)
    assert [(i.number, i.currency, [m.law_firm_matter_id for m in i.matters]) for i in invoices] == [
        ("96544", "GBP", ["528", "1326"]),
        ("96545", "GBP", ["1326"]),
    ]
    assert [(str(i.total), str(i.tax_total), str(i.net_total)) for i in invoices] == [
        ("2016.35", "331.9", "1684.45"),
        ("1500", "250", "1250"),
    ]
    assert {item.tax_rate for i in invoices for item in i.line_items} == {Decimal("0.2"), Decimal("0")}
    assert ledes.dumps(invoices, format="1998bi") == text
    report = ledes.validate_file(path)
    assert (report.format, report.diagnostics) == ("LEDES98BI", ())
