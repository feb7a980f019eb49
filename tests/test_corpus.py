"""The public sample corpus (shared/corpus): each file gets the verdict SOURCES.md gives it, and its
named defects are reported by the right rules at the right lines.

The corpus lives outside the repository, beside it; these tests are skipped when it is absent.
The in-repository copies under fixtures/1998b and fixtures/1998bi are checked here too (they need no corpus).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

import ledes
from ledes import Severity

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "1998b"
SAMPLES_1998BI = Path(__file__).resolve().parents[1] / "fixtures" / "1998bi"
needs_corpus = pytest.mark.skipif(
    not (CORPUS / "SOURCES.md").is_file(), reason=f"the sample corpus is not available at {CORPUS}"
)

Finding = tuple[str, "int | None", "str | None", "str | None"]  # rule, line, field, invoice

# The consistency defects of mikewagner's fixture (invoice 96542, row 6 = line 8), which its
# invalid-format and invalid-headers variants share.
MIKEWAGNER_ROW_6 = [
    ("invoice.consistent-fields", 8, "INVOICE_TOTAL", "96542"),  # 1250 vs 2934.45: Legal Tracker 007
    ("invoice.consistent-description", 8, "INVOICE_DESCRIPTION", "96542"),  # a warning (rule F10)
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
    # Not reported, by design: LINE_ITEM_UNIT_COST is empty, but with the line type unknown
    # only the fields every line type needs are required; and the line arithmetic
    # 1 x 0 + 1250.12311 against 1250.123123 agrees to the cent.
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
TAX_CHECKS_DEMOTED = ledes.Config(levels={rule: "warning" for rule in TAX_RULES})

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
    # Not reported, by design (SOURCES.md lists them): TIMEKEEPER_LAST_NAME and TIMEKEEPER_FIRST_NAME
    # are empty, but they are required on F lines only, and with the line type unknown (A) only the
    # fields every line type needs are required (as for LINE_ITEM_UNIT_COST in the 1998B greedy_bad).
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
    "mikewagner_fixture_ledes_single_line_item.txt": [],
    "mikewagner_fixture_ledes.txt": MIKEWAGNER_ROW_6,
    "mikewagner_fixture_ledes_with_invalid_format.txt": [("structure.format-line", 1, None, None), *MIKEWAGNER_ROW_6],
    "mikewagner_fixture_ledes_with_invalid_headers.txt": [("structure.header", 2, None, None), *MIKEWAGNER_ROW_6],
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


def _ordered(findings) -> list[Finding]:
    return sorted(findings, key=lambda f: (f[1] or 0, f[0], f[2] or "", f[3] or ""))


def _verdicts() -> dict[str, tuple[str, str]]:
    """SOURCES.md's verdict table: file -> (format, verdict), e.g. ('1998B', 'INVALID (tax totals)')."""
    text = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    table = text.split("| file | format | expected verdict | main reason |", 1)[1]
    verdicts = {}
    for line in table.splitlines()[2:]:
        if not line.startswith("|"):
            break
        name, file_format, verdict = (cell.strip() for cell in line.strip("|").split("|")[:3])
        verdicts[name] = (file_format, verdict)
    return verdicts


@needs_corpus
def test_every_corpus_file_has_a_verdict_and_expectations():
    files = {path.name for path in CORPUS.glob("*.txt")}
    verdicts = _verdicts()
    assert len(verdicts) == 14
    assert set(verdicts) == files
    assert set(EXPECTED) == files


@needs_corpus
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_gets_its_verdict(name: str):
    file_format, verdict = _verdicts()[name]
    report = ledes.validate_file(CORPUS / name)
    if verdict == "VALID":
        assert report.diagnostics == (), [d.message for d in report.diagnostics]
    else:
        assert re.fullmatch(r"INVALID( \(.*\))?", verdict), verdict
        assert report.errors > 0
    assert file_format in ("1998B", "98BI")
    assert report.format == {"1998B": "LEDES1998B", "98BI": "LEDES98BI"}[file_format]
    assert report.invoices > 0 and report.line_items > 0
    if verdict == "INVALID (tax totals)":
        # only the tax checks fail: demoted to warnings, the file passes with warnings
        assert {d.rule for d in report.diagnostics} <= set(TAX_RULES)
        demoted = ledes.validate_file(CORPUS / name, TAX_CHECKS_DEMOTED)
        assert (demoted.errors, demoted.warnings) == (0, report.errors)


@needs_corpus
def test_the_loc_98bi_sample_passes_with_warnings_when_the_tax_checks_are_demoted():
    report = ledes.validate_file(CORPUS / "travisbashor_tests-data_ledes_98BI.txt", TAX_CHECKS_DEMOTED)
    assert (report.errors, report.warnings) == (0, 6)
    assert {d.severity for d in report.diagnostics} == {Severity.WARNING}
    assert _ordered((d.rule, d.line, d.field, d.invoice) for d in report.diagnostics) == _ordered(
        EXPECTED["travisbashor_tests-data_ledes_98BI.txt"]
    )
    # the other 98BI files fail on more than the tax checks
    for name in ("lexitree_ledes98bi_good.txt", "lexitree_ledes98bi_eager_bad.txt", "lexitree_ledes98bi_greedy_bad.txt"):
        assert ledes.validate_file(CORPUS / name, TAX_CHECKS_DEMOTED).errors > 0, name


@needs_corpus
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_defects_are_reported_by_the_right_rules_at_the_right_lines(name: str):
    report = ledes.validate_file(CORPUS / name)
    found = _ordered((d.rule, d.line, d.field, d.invoice) for d in report.diagnostics)
    assert found == _ordered(EXPECTED[name])
    for finding in report.diagnostics:
        expected = Severity.WARNING if finding.rule in WARNINGS else Severity.ERROR
        assert finding.severity is expected, finding


@needs_corpus
@pytest.mark.parametrize(
    ("name", "invoices", "line_items"),
    [
        ("lexitree_ledes1998b_good.txt", 2, 6),  # 96542 (five rows) and 96543 (the IF retainer)
        ("mikewagner_fixture_ledes_single_line_item.txt", 1, 1),  # CRLF and a trailing " \r\n" line
        ("mikewagner_fixture_ledes.txt", 1, 6),  # one invoice over matters 0528 and 1326
        ("travisbashor_tests-data_ledes_98B.txt", 2, 7),
        ("travisbashor_notebook_ledes_98B.txt", 2, 7),
        ("travisbashor_tests-data_ledes_98BI.txt", 2, 6),  # the LOC 98BI sample
        ("lexitree_ledes98bi_good.txt", 1, 3),
        ("lexitree_ledes98bi_eager_bad.txt", 1, 1),
        ("lexitree_ledes98bi_greedy_bad.txt", 1, 2),  # marker LEDES98BI V32[] and a bad header: still read
    ],
)
def test_corpus_files_are_read_whole(name: str, invoices: int, line_items: int):
    report = ledes.validate_file(CORPUS / name)
    assert (report.invoices, report.line_items) == (invoices, line_items)


@needs_corpus
def test_the_loc_98bi_sample_is_read_into_the_model():
    first, retainer = ledes.iter_invoices(CORPUS / "travisbashor_tests-data_ledes_98BI.txt")
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


@needs_corpus
def test_multi_matter_invoice_keeps_its_matters():
    (invoice,) = ledes.iter_invoices(CORPUS / "mikewagner_fixture_ledes.txt")
    assert [(m.law_firm_matter_id, m.client_matter_id, len(m.line_items)) for m in invoice.matters] == [
        ("0528", "423-987", 5),
        ("1326", "425-936", 1),
    ]
    assert str(invoice.total) == "2934.45"  # the first row's value is the one kept


# ----------------------------------------------------------------- the in-repository copies
VALID_SAMPLES = sorted((SAMPLES / "valid").glob("*.txt")) + sorted((SAMPLES_1998BI / "valid").glob("*.txt"))
INVALID_SAMPLES = sorted((SAMPLES / "invalid").glob("*.txt")) + sorted((SAMPLES_1998BI / "invalid").glob("*.txt"))


@pytest.mark.parametrize("path", VALID_SAMPLES, ids=lambda p: p.name)
def test_valid_sample_has_no_finding(path: Path):
    report = ledes.validate_file(path)
    assert report.diagnostics == ()
    assert report.line_items == path.read_bytes().count(b"[]") - 2


@pytest.mark.parametrize("path", INVALID_SAMPLES, ids=lambda p: p.name)
def test_invalid_sample_has_errors(path: Path):
    assert ledes.validate_file(path).errors > 0


def test_samples_are_there():
    assert {p.name for p in VALID_SAMPLES} >= {"lexitree_ledes1998b_good.txt", "multi_matter.txt", "multi_matter_vat.txt"}
    assert {p.name for p in INVALID_SAMPLES} >= {"travisbashor_tests-data_ledes_98BI.txt"}
    assert len(INVALID_SAMPLES) >= 4


COPIED_SAMPLES = [p for p in VALID_SAMPLES + INVALID_SAMPLES if p.name in EXPECTED]


@needs_corpus
@pytest.mark.parametrize("path", COPIED_SAMPLES, ids=lambda p: p.name)
def test_sample_copy_is_byte_identical_to_the_corpus(path: Path):
    assert path.read_bytes() == (CORPUS / path.name).read_bytes()


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


def test_the_1998bi_copy_of_the_loc_sample_gets_the_corpus_verdict():
    """The in-repository copy: the tax findings, without the corpus."""
    path = SAMPLES_1998BI / "invalid" / "travisbashor_tests-data_ledes_98BI.txt"
    report = ledes.validate_file(path)
    assert _ordered((d.rule, d.line, d.field, d.invoice) for d in report.diagnostics) == _ordered(
        EXPECTED["travisbashor_tests-data_ledes_98BI.txt"]
    )
    assert ledes.validate_file(path, TAX_CHECKS_DEMOTED).errors == 0
