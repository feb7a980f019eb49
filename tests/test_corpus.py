"""The public sample corpus (shared/corpus): each file gets the verdict SOURCES.md gives it, and its
named defects are reported by the right rules at the right lines.

The corpus lives outside the repository, beside it; these tests are skipped when it is absent.
The in-repository copies under fixtures/1998b are checked here too (they need no corpus).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ledes
from ledes import Severity

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "1998b"
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


# 98BI files: ledes does not read LEDES 1998BI yet and reports one structure.format-line error
# naming the format. TODO(1998BI): when the 98BI reader lands, replace these with the defects
# SOURCES.md lists (tax totals, invoice totals, empty timekeeper names, greedy field errors).
NOT_1998B_YET = [("structure.format-line", 1, None, None)]

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
    "travisbashor_tests-data_ledes_98BI.txt": NOT_1998B_YET,
    "lexitree_ledes98bi_good.txt": NOT_1998B_YET,
    "lexitree_ledes98bi_eager_bad.txt": NOT_1998B_YET,
    "lexitree_ledes98bi_greedy_bad.txt": NOT_1998B_YET,
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
    if file_format == "98BI":
        # TODO(1998BI): for now the file is refused with one error naming its format
        (finding,) = report.diagnostics
        assert finding.rule == "structure.format-line" and "1998BI" in finding.message
        assert (report.invoices, report.line_items) == (0, 0)
    else:
        assert file_format == "1998B"
        assert report.format == "LEDES1998B"


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
    ],
)
def test_corpus_files_are_read_whole(name: str, invoices: int, line_items: int):
    report = ledes.validate_file(CORPUS / name)
    assert (report.invoices, report.line_items) == (invoices, line_items)


@needs_corpus
def test_multi_matter_invoice_keeps_its_matters():
    (invoice,) = ledes.iter_invoices(CORPUS / "mikewagner_fixture_ledes.txt")
    assert [(m.law_firm_matter_id, m.client_matter_id, len(m.line_items)) for m in invoice.matters] == [
        ("0528", "423-987", 5),
        ("1326", "425-936", 1),
    ]
    assert str(invoice.total) == "2934.45"  # the first row's value is the one kept


# ----------------------------------------------------------------- the in-repository copies
VALID_SAMPLES = sorted((SAMPLES / "valid").glob("*.txt"))
INVALID_SAMPLES = sorted((SAMPLES / "invalid").glob("*.txt"))


@pytest.mark.parametrize("path", VALID_SAMPLES, ids=lambda p: p.name)
def test_valid_sample_has_no_finding(path: Path):
    report = ledes.validate_file(path)
    assert report.diagnostics == ()
    assert report.line_items == path.read_bytes().count(b"[]") - 2


@pytest.mark.parametrize("path", INVALID_SAMPLES, ids=lambda p: p.name)
def test_invalid_sample_has_errors(path: Path):
    assert ledes.validate_file(path).errors > 0


def test_samples_are_there():
    assert {p.name for p in VALID_SAMPLES} >= {"lexitree_ledes1998b_good.txt", "multi_matter.txt"}
    assert len(INVALID_SAMPLES) >= 3


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
