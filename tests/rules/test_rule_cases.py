"""Every rule against its data-driven cases in fixtures/rules/<rule>/ (see fixtures/rules/README.md).

``pass_*.txt`` must produce no finding at all; ``fail_*.txt`` must produce exactly the
findings listed in its ``fail_*.expect`` sidecar, as (rule, line, field). The cases for
``structure.line-length`` need lines over 1 MiB, so they are generated here instead.
A guideline rule's cases run with guidelines on, configured by the folder's ``config.json``.
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import ledes
from ledes.rules import RULES_BY_NAME
from ledes.rules.base import ApprovedTimekeeper, RatePeriod

RULE_CASES = Path(__file__).resolve().parents[2] / "fixtures" / "rules"
CASES = sorted(RULE_CASES.glob("*/*.txt"))

Finding = tuple[str, "int | None", "str | None"]


def ordered(findings) -> list[Finding]:
    return sorted(findings, key=lambda f: (f[0], f[1] or 0, f[2] or ""))


def findings_of(report: ledes.FileReport) -> list[Finding]:
    return ordered((d.rule, d.line, d.field) for d in report.diagnostics)


def read_expect(path: Path) -> list[Finding]:
    """The findings an ``.expect`` file lists: ``rule line field`` per line, ``-`` for no field."""
    found = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not text.strip() or text.startswith("#"):
            continue
        parts = text.split()
        assert len(parts) == 3, f"{path.name}:{number}: expected 'rule line field', found {text!r}"
        rule, line, field = parts
        found.append((rule, int(line), None if field == "-" else field))
    return ordered(found)


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _approved(entry: dict) -> ApprovedTimekeeper:
    periods = tuple(
        RatePeriod(Decimal(rate["rate"]), *(_day(rate.get(k)) for k in ("from", "until")))
        for rate in entry.get("rates", ())
    )
    return ApprovedTimekeeper(entry["id"], entry.get("name"), entry.get("classification"), periods)


def case_config(rule: str) -> ledes.Config | None:
    """Guidelines on (narrative rules only in their own folders), with the folder's ``config.json``; None for other rules."""
    if rule not in RULES_BY_NAME or not RULES_BY_NAME[rule].guideline:
        return None
    path = RULE_CASES / rule / "config.json"
    settings = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    keepers = settings.get("timekeepers")
    # The LOC sample's "Telephone conference with John Doe" does not say what about: the
    # narrative rules are left to their own cases, so that each case shows its own rule.
    quiet = {} if rule.startswith("narrative.") else {"narrative": "off"}
    return ledes.Config(
        levels={**quiet, **settings.get("levels", {})},
        options=settings.get("options", {}),
        guidelines=True,
        timekeepers=None if keepers is None else {entry["id"]: _approved(entry) for entry in keepers},
    )


def validate_case(case: Path) -> ledes.FileReport:
    """A case validated as its rule needs: a guideline rule's as a run of one file, so that ``finish`` runs too;
    a conversion rule's (a folder with ``convert.json``) also converted, its losses added to the findings."""
    config = case_config(case.parent.name)
    if config is None:
        report = ledes.validate_file(case)
    else:
        (report,) = ledes.validate([case], config).files
    conversion = RULE_CASES / case.parent.name / "convert.json"
    if conversion.is_file():
        with tempfile.TemporaryDirectory() as folder:
            settings = json.loads(conversion.read_text(encoding="utf-8"))
            converted = ledes.convert(case, Path(folder) / "out", allow_loss=True, **settings)
        report = attrs.evolve(report, diagnostics=report.diagnostics + converted.losses)
    return report


def expected_for(case: Path) -> list[Finding]:
    if case.name.startswith("pass_"):
        return []
    sidecar = case.with_suffix(".expect")
    assert sidecar.is_file(), f"{case_id(case)}: a failing case needs {sidecar.name}"
    return read_expect(sidecar)


def test_there_are_cases():
    assert len(CASES) > 40
    assert all(case.name.startswith(("pass_", "fail_")) for case in CASES), "case files are pass_*.txt or fail_*.txt"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_rule_finds_exactly_what_the_case_expects(case: Path):
    rule = case.parent.name
    expected = [f for f in expected_for(case) if f[0] == rule]
    if case.name.startswith("fail_"):
        assert expected, f"{case.with_suffix('.expect').name} lists no finding of {rule}"
    found = [f for f in findings_of(validate_case(case)) if f[0] == rule]
    assert found == expected


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_case_has_no_other_findings(case: Path):
    """Passing cases are otherwise valid; failing cases list every side effect they have."""
    assert findings_of(validate_case(case)) == expected_for(case)


GUIDELINE_CASES = [case for case in CASES if case_config(case.parent.name) is not None]


@pytest.mark.parametrize("case", [c for c in GUIDELINE_CASES if c.name.startswith("fail_")], ids=case_id)
def test_guideline_case_is_clean_without_guidelines(case: Path):
    """Guideline rules are off without a client's guidelines; with them, findings come at the rules' default levels."""
    assert {d.rule for d in ledes.validate_file(case).diagnostics} <= {f[0] for f in expected_for(case)}
    assert not any(RULES_BY_NAME[d.rule].guideline for d in ledes.validate_file(case).diagnostics)
    for finding in validate_case(case).diagnostics:
        assert finding.severity is RULES_BY_NAME[finding.rule].level, finding.rule


@pytest.mark.parametrize("case", [c for c in CASES if c.name.startswith("pass_")], ids=case_id)
def test_passing_case_reads_every_record(case: Path):
    """No finding must not mean nothing was read: every ``[]`` record (every XML fee, expense and discount) is counted."""
    data = case.read_bytes()
    if data.lstrip().startswith(b"<"):
        records = data.count(b"<fee>") + data.count(b"<expense>") + data.count(b"<matter_disc_cred>")
        # LEDES 2000 holds a matter's discount or credit as a non-zero matter_adj_on_fees / _exp.
        records += len(re.findall(rb"<matter_adj_on_(?:fees|exp)>(?!-?0*(?:\.0*)?<)", data))
    else:
        records = data.count(b"[]") - 2  # the format line and the header end with [] too
    report = ledes.validate_file(case)
    assert report.line_items == records
    assert report.invoices >= 1


# Reader quirks whose bytes are the test: make sure nothing (git, an editor) normalised them.
def _case(rule: str, name: str) -> bytes:
    return (RULE_CASES / rule / f"{name}.txt").read_bytes()


def test_byte_level_cases_are_intact():
    crlf = _case("structure.terminator", "pass_crlf")
    assert crlf.count(b"\r\n") == 8 and crlf.count(b"\n") == 8
    cr_only = _case("structure.terminator", "pass_cr_only")
    assert cr_only.count(b"\r") == 8 and b"\n" not in cr_only
    assert _case("structure.terminator", "pass_no_final_newline").endswith(b"425-936[]")
    assert _case("structure.terminator", "pass_crlf_trailing_space_line").endswith(b"[]\r\n \r\n")
    assert _case("structure.format-line", "pass_bom").startswith(b"\xef\xbb\xbfLEDES1998B[]\n")
    cp1252 = _case("structure.encoding", "fail_windows_1252")
    assert b"Attorney\x92s" in cp1252
    with pytest.raises(UnicodeDecodeError):
        cp1252.decode("utf-8")
    assert "Attorney\u2019s".encode() in _case("structure.encoding", "pass_utf8_apostrophe")


def test_windows_1252_file_is_read_as_windows_1252():
    case = RULE_CASES / "structure.encoding" / "fail_windows_1252.txt"
    (finding,) = ledes.validate_file(case).diagnostics
    assert finding.severity is ledes.Severity.INFO
    items = [item for invoice in ledes.load(case) for item in invoice.line_items]
    assert items[0].description == "Research Attorney\u2019s fees, Set off claim"
    assert items[4].description == "Out-of-town travel \u2013 Zurich"


def test_narrative_with_line_break_is_one_record():
    case = RULE_CASES / "structure.line-break" / "fail_narrative_with_line_break.txt"
    first = next(next(ledes.iter_invoices(case)).line_items)
    assert first.description == "Research Attorney's fees,\nSet off claim"
    assert first.location.line == 3


# ----------------------------------------------------------------- structure.line-length
# "No physical line is longer than 1 MiB characters": files that big are generated, not committed.
ONE_MIB = 1 << 20
LOC_SAMPLE = (RULE_CASES / "structure.line-length" / "pass_loc_sample.txt").read_bytes()


def _lines() -> list[bytes]:
    return LOC_SAMPLE.rstrip(b"\n").split(b"\n")


def _validate(tmp_path: Path, lines: list[bytes], newline: bytes = b"\n", final: bool = True) -> ledes.FileReport:
    path = tmp_path / "long.txt"
    path.write_bytes(newline.join(lines) + (newline if final else b""))
    return ledes.validate_file(path)


def test_line_length_fails_on_a_garbage_line_over_1_mib(tmp_path: Path):
    lines = _lines()
    lines.insert(5, b"x" * (ONE_MIB + 1))  # between rows 3 and 4: physical line 6
    report = _validate(tmp_path, lines)
    assert findings_of(report) == [("structure.line-length", 6, None)]
    assert (report.invoices, report.line_items) == (2, 6)  # the rest of the file is still read


def test_line_length_skips_an_overlong_record(tmp_path: Path):
    lines = _lines()
    lines[3] = lines[3].replace(b"Trial pleading", b"Trial pleading " + b"y" * ONE_MIB)
    report = _validate(tmp_path, lines)
    # the record is skipped, so invoice 96542 is 700 short
    assert findings_of(report) == [("arithmetic.invoice-total", 3, "INVOICE_TOTAL"), ("structure.line-length", 4, None)]
    assert report.line_items == 5


def test_line_length_fails_on_an_overlong_last_line_without_newline(tmp_path: Path):
    report = _validate(tmp_path, [*_lines(), b" " * (ONE_MIB + 1)], final=False)
    assert findings_of(report) == [("structure.line-length", 9, None)]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"], ids=["LF", "CRLF", "CR"])
def test_line_length_passes_a_line_of_exactly_1_mib(tmp_path: Path, newline: bytes):
    lines = _lines()
    lines.insert(5, b" " * ONE_MIB)
    report = _validate(tmp_path, lines, newline)
    assert findings_of(report) == []
    assert report.line_items == 6


def test_line_length_passes_a_last_line_of_exactly_1_mib(tmp_path: Path):
    report = _validate(tmp_path, [*_lines(), b" " * ONE_MIB], final=False)
    assert findings_of(report) == []


# ----------------------------------------------------------------- xml.size and xml.schema
# Generated: a file over the 256 MiB ceiling (sparse, never read), and a schema given with --xsd.
XML_SAMPLE = RULE_CASES.parent / "xml" / "ledes22_sample.xml"
XSD_22 = RULE_CASES.parent.parent / "schemas" / "ledes-xml-2.2.xsd"
GENERATED_XML_CASES = [("xml.size", "over_the_ceiling"), ("xml.schema", "compact_dates")]


@pytest.mark.parametrize(("rule", "name"), GENERATED_XML_CASES)
def test_generated_xml_case(rule: str, name: str, tmp_path: Path):
    """Over 256 MiB: refused before anything is read; against --xsd: errors with line and XPath."""
    path = tmp_path / f"{name}.xml"
    if rule == "xml.size":
        with open(path, "wb") as out:
            out.write(b"<?xml version='1.0'?>\n<ledesxmlebilling2.2>")
            out.truncate(300 * 2**20)
        report = ledes.validate_file(path)
        assert [(d.rule, d.line) for d in report.diagnostics] == [("xml.size", None)]
    else:
        text = XML_SAMPLE.read_text(encoding="utf-8").replace("<charge_date>2021-01-15", "<charge_date>20210115")
        path.write_text(text, encoding="utf-8")
        report = ledes.validate_file(path, xsd=XSD_22)
        # The schema's findings, and the reader's own on the same dates.
        assert {d.rule for d in report.diagnostics} == {"xml.schema", "field.date"}
        assert all(d.severity is ledes.Severity.ERROR for d in report.diagnostics)
        assert next((d.line, d.field) for d in report.diagnostics) == (
            103, "/ledesxmlebilling2.2/firm[1]/client[1]/invoice[1]/matter[1]/fee[1]/charge_date"
        )
