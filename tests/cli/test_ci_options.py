"""What counts and when a run fails: --select, --ignore, --fail-on, --max-warnings, -q, --statistics; usage errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
INVALID = ROOT / "fixtures" / "1998b" / "invalid" / "travisbashor_tests-data_ledes_98B.txt"  # 3 errors, 3 rules
VALID = ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"
AS_WARNINGS = ("--level", "arithmetic=warning", "--level", "invoice=warning")  # INVALID's 3 errors as warnings


def run(*args: object, cwd: Path = ROOT):
    return CliRunner().invoke(main, [str(a) for a in args])


def rules_found(*args: object) -> list[str]:
    document = json.loads(run("validate", "--format", "json", *args).stdout)
    return [d["rule"] for f in document["files"] for d in f["diagnostics"]]


def test_without_selection_every_rule_counts():
    assert rules_found(INVALID) == ["arithmetic.invoice-total", "invoice.consistent-fields",
                                    "invoice.duplicate-line-number"]


def test_select_by_group_and_by_name():
    """--select takes groups and names, comma-separated or repeated; the rest do not count (exit 0 if none left)."""
    assert rules_found("--select", "arithmetic", INVALID) == ["arithmetic.invoice-total"]
    assert rules_found("--select", "arithmetic,invoice.duplicate-line-number", INVALID) == [
        "arithmetic.invoice-total", "invoice.duplicate-line-number"]
    assert rules_found("--select", "arithmetic", "--select", "invoice.consistent-fields", INVALID) == [
        "arithmetic.invoice-total", "invoice.consistent-fields"]
    result = run("validate", "--select", "field.date", INVALID)
    assert result.exit_code == 0 and "0 errors" in result.stdout


def test_ignore_and_the_longest_match_wins():
    assert rules_found("--ignore", "invoice", INVALID) == ["arithmetic.invoice-total"]
    assert rules_found("--ignore", "invoice", "--select", "arithmetic,invoice.consistent-fields", INVALID) == [
        "arithmetic.invoice-total", "invoice.consistent-fields"]
    assert rules_found("--select", "invoice", "--ignore", "invoice.consistent-fields", INVALID) == [
        "invoice.duplicate-line-number"]
    result = run("validate", "--ignore", "arithmetic,invoice", INVALID)
    assert result.exit_code == 0


def test_an_unknown_rule_is_one_line_with_a_suggestion_and_exit_2():
    result = run("validate", "--select", "arithmetic.line-totl", INVALID)
    assert result.exit_code == 2
    assert result.stderr == ("ledes: error: --select: no rule or group named 'arithmetic.line-totl';"
                             " did you mean 'arithmetic.line-total'?\n")


def test_fail_on():
    assert run("validate", INVALID).exit_code == 1
    assert run("validate", "--fail-on", "never", INVALID).exit_code == 0
    assert run("validate", "--fail-on", "error", *AS_WARNINGS, INVALID).exit_code == 0
    result = run("validate", "--fail-on", "warning", *AS_WARNINGS, INVALID)
    assert result.exit_code == 1 and "0 errors, 3 warnings" in result.stdout
    assert run("validate", "--fail-on", "warning", VALID).exit_code == 0


def test_max_warnings():
    result = run("validate", "--max-warnings", "2", *AS_WARNINGS, INVALID)
    assert result.exit_code == 1
    assert result.stderr == "ledes: 3 warnings, more than --max-warnings 2\n"
    assert run("validate", "--max-warnings", "3", *AS_WARNINGS, INVALID).exit_code == 0
    assert run("validate", "--max-warnings", "-1", INVALID).exit_code == 2


def test_quiet_prints_the_counts_only():
    result = run("validate", "-q", INVALID, VALID)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{INVALID}: LEDES1998B, 2 invoices, 7 line items: 3 errors, 0 warnings",
        f"{VALID}: LEDES1998B, 2 invoices, 6 line items: 0 errors, 0 warnings",
        "2 files: 3 errors, 0 warnings",
    ]
    assert run("validate", "--quiet", VALID).exit_code == 0


def test_statistics_counts_the_findings_per_rule():
    result = run("validate", "--statistics", "--format", "concise", INVALID, INVALID)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-4:] == [
        "       2  error    arithmetic.invoice-total",
        "       2  error    invoice.consistent-fields",
        "       2  error    invoice.duplicate-line-number",
        "2 files: 6 errors, 0 warnings",
    ]
    machine = run("validate", "--statistics", "--format", "json", INVALID)
    assert json.loads(machine.stdout)["summary"]["errors"] == 3  # the document stays one JSON document
    assert "       1  error    arithmetic.invoice-total\n" in machine.stderr


def test_a_hint_is_printed_once_per_rule():
    broken = ROOT / "fixtures" / "rules" / "structure.line-break"
    cases = sorted(broken.glob("fail_*.txt"))
    assert cases
    result = run("validate", *cases, *cases)
    assert result.stdout.count("hint: replace the line break") == 1
    assert result.stdout.count("structure.line-break") >= 2


def test_usage_errors_are_one_line_with_where_to_look():
    for args in (["validate", "--format", "yaml", VALID], ["validate"], ["validate", "--bogus", VALID]):
        result = run(*args)
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("ledes: error: "), result.stderr
        assert result.stderr.endswith("(see `ledes validate --help`)\n")
    result = run("valdate", VALID)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    result = run("convert", VALID, "-o", "out.xml")  # click lists a missing choice's values a line each
    assert result.exit_code == 2
    assert result.stderr == ("ledes: error: Missing option '--to'. Choose from: 1998b, 1998bi, xml2.0, xml2.1, xml2.2,"
                             " xml2000 (see `ledes convert --help`)\n")
    result = run("--bogus")
    assert result.exit_code == 2
    assert result.stderr == "ledes: error: No such option '--bogus' (see `ledes --help`)\n"
    assert "Commands:" in run().output  # ``ledes`` alone still shows the help


def test_an_unusable_xsd_is_a_usage_error_even_with_no_xml_file(tmp_path: Path):
    """``--xsd`` that names no file, or a file that is no schema, is refused whatever the files are (a CI step with a
    mistyped path would otherwise pass its pipe-delimited invoices unchecked against it)."""
    for xsd, reason in ((tmp_path / "missing.xsd", "cannot read it"), (VALID, "not well-formed XML")):
        result = run("validate", "--xsd", xsd, VALID)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"ledes: error: XSD '{xsd}': {reason}") and result.stderr.count("\n") == 1
    assert run("validate", "--xsd", ROOT / "schemas" / "ledes-xml-2.1.xsd", VALID).exit_code == 0
