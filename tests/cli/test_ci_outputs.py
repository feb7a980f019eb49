"""The outputs for CI: SARIF 2.1.0 (against the public schema), JUnit XML, GitHub workflow commands, concise."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from lxml import etree

from ledes import Diagnostic
from ledes.diagnostics import Severity
from ledes.model import Location
from ledes_cli import github
from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
# jsonschema (a test-only dependency): the SARIF schema is full JSON Schema (draft-04: $ref, oneOf, formats),
# far past the subset that tests/cli/test_json_schema.py checks by hand for ledes's own document.
SARIF_SCHEMA = json.loads((ROOT / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
FILES = {
    "1998B": ROOT / "fixtures" / "1998b" / "invalid" / "travisbashor_tests-data_ledes_98B.txt",
    "1998BI": ROOT / "fixtures" / "1998bi" / "valid" / "multi_matter_vat.txt",
    "XML 2.1": ROOT / "fixtures" / "xml" / "ledes21_sample.xml",
    "LEDES 2000": ROOT / "fixtures" / "xml" / "ledes2000_handwritten.xml",
}
GUIDELINES = ([], ["--guidelines", "strict"])


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("guidelines", GUIDELINES, ids=["format rules", "strict guidelines"])
@pytest.mark.parametrize("kind", FILES)
def test_sarif_validates_against_the_sarif_schema(kind, guidelines):
    """Each kind of file, with and without guidelines: a valid SARIF 2.1.0 log, one result per finding."""
    result = run("validate", "--format", "sarif", *guidelines, FILES[kind])
    log = json.loads(result.stdout)
    jsonschema.validate(log, SARIF_SCHEMA)
    findings = json.loads(run("validate", "--format", "json", *guidelines, FILES[kind]).stdout)
    (sarif_run,) = log["runs"]
    assert len(sarif_run["results"]) == len(findings["files"][0]["diagnostics"])
    assert result.exit_code == (1 if findings["summary"]["errors"] else 0)
    if guidelines:
        assert sarif_run["results"], "the strict guidelines find something in every sample"


def test_sarif_results_carry_rule_location_money_and_xpath():
    """ruleId, level, the file and line; money at stake and invoice in properties; the XPath for XML."""
    log = json.loads(run("validate", "--format", "sarif", "--guidelines", "strict", FILES["1998B"], FILES["XML 2.1"]).stdout)
    driver = log["runs"][0]["tool"]["driver"]
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert rules["arithmetic.line-total"]["helpUri"].endswith("docs/rules.md#arithmeticline-total")
    assert rules["arithmetic.line-total"]["defaultConfiguration"] == {"level": "error"}
    results = log["runs"][0]["results"]
    money = [r for r in results if "amountAtStake" in r.get("properties", {})]
    assert money and all(Decimal(r["properties"]["amountAtStake"]) for r in money)
    assert all(r["properties"].get("invoice") for r in money)
    located = results[0]["locations"][0]["physicalLocation"]
    assert located["artifactLocation"]["uri"].startswith("file:///") and located["region"]["startLine"] >= 1
    xml = [r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(".xml")]
    assert xml and all(r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].startswith("/") for r in xml)
    assert {r["level"] for r in results} <= {"error", "warning", "note"}
    assert all(rules[r["ruleId"]] == driver["rules"][r["ruleIndex"]] for r in results)


def test_the_same_finding_has_the_same_fingerprint_in_two_runs():
    """partialFingerprints are the same from run to run, and tell the findings of one run apart."""
    def fingerprints() -> list[str]:
        log = json.loads(run("validate", "--format", "sarif", "--guidelines", "strict", *FILES.values()).stdout)
        return [r["partialFingerprints"]["ledesFinding/v1"] for r in log["runs"][0]["results"]]

    first, second = fingerprints(), fingerprints()
    assert first == second
    assert len(set(first)) == len(first) > 10


def test_junit_has_a_test_case_per_rule_per_file_and_a_failure_per_error():
    """Well-formed; each file a suite with one case per rule checked; failures == the JSON output's errors."""
    args = ["--guidelines", "strict", *FILES.values()]
    result = run("validate", "--format", "junit", *args)
    root = etree.fromstring(result.stdout.encode("utf-8"))
    document = json.loads(run("validate", "--format", "json", *args).stdout)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [f["path"] for f in document["files"]]
    checked = json.loads(run("rules", "--format", "json").stdout)
    for suite, file in zip(suites, document["files"], strict=True):
        names = [case.get("name") for case in suite.findall("testcase")]
        assert len(names) == len(set(names)) == len(checked) == int(suite.get("tests"))
        errors = sum(d["severity"] == "error" for d in file["diagnostics"])
        assert len(suite.findall("testcase/failure")) == int(suite.get("failures")) == errors
        warnings = [d for d in file["diagnostics"] if d["severity"] != "error"]
        assert sum(case.findtext("system-out", "").count("\n") for case in suite.findall("testcase")) == len(warnings)
    assert len(root.findall(".//failure")) == int(root.get("failures")) == document["summary"]["errors"] > 0
    assert result.exit_code == 1


def test_junit_without_guidelines_has_only_the_format_rules():
    result = run("validate", "--format", "junit", FILES["1998B"])
    suite = etree.fromstring(result.stdout.encode("utf-8")).find("testsuite")
    names = {case.get("name") for case in suite.findall("testcase")}
    assert "arithmetic.line-total" in names and "rates.cap" not in names


def test_github_output_is_one_command_per_finding_with_file_and_line():
    document = json.loads(run("validate", "--format", "json", FILES["1998B"]).stdout)
    lines = run("validate", "--format", "github", FILES["1998B"]).stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    diagnostics = document["files"][0]["diagnostics"]
    assert len(commands) == len(diagnostics)
    for command, diagnostic in zip(commands, diagnostics, strict=True):
        assert command.startswith(f"::{diagnostic['severity']} file=")
        assert f",line={diagnostic['line']},title={diagnostic['rule']}::" in command
    assert lines[-1] == "1 file: 3 errors, 0 warnings"


def test_github_commands_escape_percent_colon_comma_and_newlines():
    """GitHub's escaping: % CR LF in the message; also : and , in properties (the file, the title)."""
    finding = Diagnostic("narrative.vague", Severity.WARNING, "100% vague:\nsee line 2\r", Location("x", 7),
                         invoice="A,1")
    command = github.command("bills/2024: Q1,final.txt", finding)
    assert command == ("::warning file=bills/2024%3A Q1%2Cfinal.txt,line=7,title=narrative.vague"
                       "::100%25 vague:%0Asee line 2%0D [invoice A,1]")
    assert "\n" not in command and "\r" not in command
    hostile = Diagnostic("field.date", Severity.ERROR, "title \x1b]0;pwned\x07 and \x1b[2J", Location("x", 1))
    assert github.command("f\x1b.txt", hostile) == (
        "::error file=f\\x1b.txt,line=1,title=field.date::title \\x1b]0;pwned\\x07 and \\x1b[2J")
    notice = Diagnostic("field.date", Severity.INFO, "a: b", None)
    assert github.command("f.txt", notice) == "::notice file=f.txt,title=field.date::a: b"


def test_concise_prints_one_line_per_finding_and_the_summary():
    lines = run("validate", "--format", "concise", FILES["1998B"]).stdout.splitlines()
    assert len(lines) == 4 and not any("hint:" in line for line in lines)
    assert all(": error " in line for line in lines[:3])
    assert lines[-1] == "1 file: 3 errors, 0 warnings"


def test_junit_shows_the_characters_xml_cannot_hold():
    """A control character from a file (ESC, NUL) is shown as \\xNN: the report stays well-formed XML."""
    from ledes_cli.junit import attribute, xml_text

    value = attribute("tab\there, new\nline, esc \x1b, nul \x00")
    text = xml_text("<b> & \x1b[2J \x07")
    document = f"<r a={value}>{text}</r>"
    root = etree.fromstring(document.encode("utf-8"))
    assert root.get("a") == "tab\there, new\nline, esc \\x1b, nul \\x00"
    assert root.text == "<b> & \\x1b[2J \\x07"


def test_junit_of_a_file_holding_the_noncharacters_xml_cannot_hold_is_well_formed(tmp_path: Path):
    """A date field holding U+FFFF (quoted by ``field.date``'s message) is shown as ``\\uffff``: the report parses."""
    good = (ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt").read_text(encoding="utf-8")
    odd = tmp_path / "odd.txt"
    odd.write_text(good.replace("|19990115|", "|1999\uffff0115|", 1).replace("|19990131|", "|1999\ufffe0131|", 1),
                   encoding="utf-8")
    result = run("validate", "--no-config", "--format", "junit", odd)
    root = etree.fromstring(result.stdout.encode("utf-8"))
    assert "\\uffff" in etree.tostring(root, encoding="unicode")
    assert "\uffff" not in result.stdout and "\ufffe" not in result.stdout


@pytest.mark.parametrize("output", ["json", "sarif", "junit", "github", "text"])
def test_a_file_that_cannot_be_read_stops_the_run_before_any_output(output, tmp_path: Path):
    """A missing file or a directory after a good one: exit 2, one line on stderr, and nothing on stdout (not a
    document cut off after the first file's findings, which a SARIF upload would take for a whole one)."""
    for unreadable, reason in ((tmp_path / "missing.txt", "No such file or directory"), (tmp_path, "it is a directory")):
        result = CliRunner().invoke(main, ["validate", "--no-config", "--format", output, str(FILES["1998B"]),
                                           str(unreadable)])
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr.strip() == f"ledes: error: cannot read '{unreadable}': {reason}"
