"""The `ledes` command: output, JSON contract, exit codes and file handling, through click's CliRunner."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"
MULTI_MATTER = ROOT / "fixtures" / "1998b" / "valid" / "multi_matter.txt"
INVALID = ROOT / "fixtures" / "1998b" / "invalid" / "travisbashor_tests-data_ledes_98B.txt"
INCONSISTENT = ROOT / "fixtures" / "rules" / "invoice.consistent-fields" / "fail_client_id.txt"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def test_version_prints_the_package_version():
    """`ledes --version` names the program and its version."""
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.startswith("ledes, version ")


def test_valid_file_exits_0_with_a_clean_summary():
    """A valid invoice file exits 0 and says it found no errors."""
    result = run("validate", VALID)
    assert result.exit_code == 0, result.output
    assert "2 invoices, 6 line items: 0 errors, 0 warnings" in result.output


def test_invalid_file_exits_1_with_file_line_severity_rule_lines():
    """Each finding is printed as file:line: severity rule: message, then a summary."""
    result = run("validate", INVALID)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{INVALID}:8: error arithmetic.invoice-total: INVOICE_TOTAL is 1250" in "\n".join(lines)
    assert any(line.startswith(f"{INVALID}:9: error invoice.duplicate-line-number:") for line in lines)
    assert lines[-1].endswith("3 errors, 0 warnings")


def test_json_output_is_one_document_with_the_public_contract():
    """--format json prints exactly one JSON document with the documented keys and types."""
    result = run("validate", "--format", "json", VALID, INVALID)
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert set(document) == {"files", "summary"}
    assert document["summary"] == {"files": 2, "errors": 3, "warnings": 0, "at_risk": "0.00"}
    for file in document["files"]:
        assert set(file) == {"path", "format", "invoices", "line_items", "diagnostics", "at_risk"}
        assert file["format"] == "LEDES1998B" and file["at_risk"] == {}  # no guidelines, nothing at risk
        for diagnostic in file["diagnostics"]:
            assert set(diagnostic) == {"rule", "severity", "message", "line", "field", "invoice", "amount", "xpath"}
            assert diagnostic["severity"] in {"error", "warning", "info"}
            assert diagnostic["line"] is None or isinstance(diagnostic["line"], int)
            assert diagnostic["amount"] is None or isinstance(diagnostic["amount"], str)
    invalid = document["files"][1]
    assert (invalid["invoices"], invalid["line_items"]) == (2, 7)
    total = next(d for d in invalid["diagnostics"] if d["rule"] == "arithmetic.invoice-total")
    assert total == {
        "rule": "arithmetic.invoice-total",
        "severity": "error",
        "message": "INVOICE_TOTAL is 1250 but the 2 line item totals add up to 2500",
        "line": 8,
        "field": "INVOICE_TOTAL",
        "invoice": "96543",
        "amount": "1250.00",
        "xpath": None,
    }


def test_missing_file_exits_2_with_one_line_and_no_traceback():
    """A file that does not exist is a usage error: exit 2, one clear line on stderr."""
    result = CliRunner().invoke(main, ["validate", "no-such-file.txt"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "ledes: error: cannot read 'no-such-file.txt': No such file or directory"
    ]
    assert "Traceback" not in result.output


def test_directory_exits_2(tmp_path: Path):
    """A directory given as FILE is a usage error."""
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert "is a directory" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read files without read permission")
def test_unreadable_file_exits_2(tmp_path: Path):
    """A file without read permission is a usage error."""
    path = tmp_path / "locked.txt"
    path.write_text("LEDES1998B[]\n")
    path.chmod(0)
    result = run("validate", path)
    assert result.exit_code == 2


def test_level_option_demotes_a_rule_group():
    """--level arithmetic=warning turns arithmetic errors into warnings (exit then depends on the rest)."""
    only_arithmetic = ROOT / "fixtures" / "rules" / "arithmetic.invoice-total" / "fail_transposed_digits.txt"
    assert run("validate", only_arithmetic).exit_code == 1
    result = run("validate", "--level", "arithmetic=warning", only_arithmetic)
    assert result.exit_code == 0, result.output
    assert "warning arithmetic.invoice-total" in result.output


@pytest.mark.parametrize("level", ["arithmetic=loud", "no.such-rule=off", "arithmetic"])
def test_bad_level_option_exits_2(level: str):
    """An unknown rule, an unknown level or a malformed --level is a usage error."""
    result = run("validate", "--level", level, VALID)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_standard_input_is_read_for_dash():
    """`ledes validate -` reads the invoice from standard input."""
    result = run("validate", "-", input=VALID.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("-: LEDES1998B, 2 invoices")


def test_show_prints_invoices_matters_timekeepers_and_totals():
    """`ledes show` lists each invoice with its matters, line types, timekeepers and totals."""
    result = run("show", VALID)
    assert result.exit_code == 0, result.output
    output = result.output
    assert "2 invoices, 2 matters, 2 timekeepers, 6 line items" in output
    assert "Invoice 96542" in output and "Invoice 96543" in output
    assert "matter 0528 (client matter 423-987): 5 lines, 4.20 hours, 1,684.45" in output
    assert "22547 Arnsley, Robert PARTNR" in output
    assert "1,370.00" in output  # fees of invoice 96542: 630 + 700 + 40
    assert "all line items" in output and "2,934.45" in output


def test_show_writes_a_dash_for_an_empty_id(tmp_path: Path):
    """An invoice without a client id, or a matter without its id, shows ``-`` there, not Python's ``None``."""
    lines = VALID.read_text(encoding="utf-8").split("[]\n")
    rows = [row.split("|") for row in lines[2:]]
    for row in rows:
        row[2] = row[3] = ""  # CLIENT_ID, LAW_FIRM_MATTER_ID
    path = tmp_path / "no_ids.txt"
    path.write_text("[]\n".join(lines[:2] + ["|".join(row) for row in rows]), encoding="utf-8")
    result = run("show", str(path))
    assert "None" not in result.output
    assert "Invoice 96542  dated 1999-02-25  client -  law firm 24-6437381" in result.output
    assert "  matter - (client matter 423-987): 5 lines" in result.output


def test_show_json_totals_agree_with_the_file():
    """`ledes show --format json` gives the same figures as numbers in strings."""
    result = run("show", "--format", "json", VALID)
    document = json.loads(result.output)
    assert document["totals"]["amount"] == "2934.45"
    assert [invoice["invoice_total"] for invoice in document["invoices"]] == ["1684.45", "1250.00"]
    assert document["invoices"][0]["by_line_type"]["F fee"] == {"lines": 3, "units": "4.20", "amount": "1370.00"}


@pytest.mark.parametrize("path", [VALID, MULTI_MATTER, INVALID], ids=lambda p: p.name)
def test_show_writes_the_same_document_when_its_invoices_wait_on_disk(path: Path, monkeypatch: pytest.MonkeyPatch):
    """`ledes show` holds each invoice's text until the heading is known, in memory or on disk: the output is the same.

    The JSON document, written in pieces, is exactly what ``json.dumps(..., indent=2)`` makes of it.
    """
    import ledes_cli.main as cli_main

    in_memory = {fmt: run("show", "--format", fmt, path) for fmt in ("text", "json")}
    monkeypatch.setattr(cli_main, "SHOW_IN_MEMORY", 16)
    monkeypatch.setattr(cli_main, "SHOW_CHUNK", 7)
    for fmt, first in in_memory.items():
        again = run("show", "--format", fmt, path)
        assert (again.exit_code, again.output) == (first.exit_code, first.output)
    text = in_memory["json"].output
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_convert_writes_canonical_1998b(tmp_path: Path):
    """`ledes convert --to 1998b` writes the file back canonically: same content, LF line ends."""
    target = tmp_path / "out.txt"
    result = run("convert", VALID, "-o", target, "--to", "1998b")
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "2 invoices, 6 line items" in result.output
    assert target.read_text(encoding="utf-8") == VALID.read_text(encoding="utf-8") + "\n"
    assert run("validate", target).exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_convert_refuses_to_overwrite_its_input(tmp_path: Path):
    """Converting a file onto itself is refused and the file is untouched."""
    source = tmp_path / "in.txt"
    source.write_bytes(VALID.read_bytes())
    result = run("convert", source, "-o", source, "--to", "1998b")
    assert result.exit_code == 2
    assert "refusing to overwrite the input file" in result.output
    assert source.read_bytes() == VALID.read_bytes()


def test_convert_refuses_lossy_input_unless_allowed(tmp_path: Path):
    """Rows whose repeated values disagree would lose data: nothing is written without --allow-loss."""
    target = tmp_path / "out.txt"
    refused = run("convert", INCONSISTENT, "-o", target, "--to", "1998b")
    assert refused.exit_code == 1
    assert "converting would lose data" in refused.output
    assert "invoice.consistent-fields" in refused.output
    assert not target.exists()
    allowed = run("convert", INCONSISTENT, "-o", target, "--to", "1998b", "--allow-loss")
    assert allowed.exit_code == 0, allowed.output
    assert "lost:" in allowed.output
    assert target.exists()


def test_convert_keeps_an_existing_output_when_it_fails(tmp_path: Path):
    """A refused conversion leaves an existing output file exactly as it was."""
    target = tmp_path / "out.txt"
    target.write_text("previous content")
    assert run("convert", INCONSISTENT, "-o", target, "--to", "1998b").exit_code == 1
    assert target.read_text() == "previous content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_validate_needs_a_file():
    """Calling validate without FILE is a usage error."""
    assert run("validate").exit_code == 2


XML_21 = ROOT / "fixtures" / "xml" / "ledes21_sample.xml"
XML_22 = ROOT / "fixtures" / "xml" / "ledes22_sample.xml"


@pytest.mark.parametrize("sample", [XML_21, XML_22], ids=["xml2.1", "xml2.2"])
def test_show_and_validate_read_xml_into_the_same_json_contract(sample: Path):
    """`show` and `validate --format json` work on LEDES XML as on 1998B: the same documents, from the model."""
    shown = run("show", "--format", "json", sample)
    assert shown.exit_code == 0, shown.output
    document = json.loads(shown.output)
    assert document["format"] == ("LEDESXML2.1" if sample == XML_21 else "LEDESXML2.2")
    assert document["totals"]["amount"] == document["invoices"][0]["invoice_total"]
    validated = run("validate", "--format", "json", sample)
    assert validated.exit_code == 0, validated.output
    report = json.loads(validated.output)
    assert report["files"][0]["line_items"] == 9
    assert report["files"][0]["diagnostics"] == []


def test_xml_findings_carry_line_and_xpath(tmp_path: Path):
    """A wrong matter total in XML is reported at its element's line, with its XPath, and exits 1."""
    broken = tmp_path / "broken.xml"
    text = XML_21.read_text(encoding="utf-8")
    broken.write_text(text.replace("<matter_total_detail_fees>1370.00<", "<matter_total_detail_fees>1470.00<"))
    result = run("validate", "--format", "json", broken)
    assert result.exit_code == 1
    [finding] = [d for d in json.loads(result.output)["files"][0]["diagnostics"] if d["rule"] == "arithmetic.matter-totals"]
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "<matter_total_detail_fees>1370.00<" in row)
    assert finding["line"] == line
    assert finding["amount"] == "100.00"
    assert "matter[1]/matter_total_detail_fees" in result.output


def test_convert_1998b_to_xml_and_back(tmp_path: Path):
    """1998B -> XML 2.1 needs the firm's name and lists exactly what XML cannot hold; the rest comes back unchanged.

    The LOC sample's IF line has a description and units of 1, which XML's matter_disc_cred
    has no place for (a warning: the file is written; --strict refuses), and it numbers its
    lines through the file: its second invoice's line 6 is line 1 of that invoice in XML,
    which numbers each invoice's lines from 1 (a warning too). Everything else survives.
    """
    xml = tmp_path / "out.xml"
    missing = run("convert", VALID, "-o", xml, "--to", "xml2.1")
    assert missing.exit_code == 2 and "--law-firm-name" in missing.output
    assert not xml.exists()
    refused = run("convert", VALID, "-o", xml, "--to", "xml2.1", "--law-firm-name", "Smith LLP", "--strict")
    assert refused.exit_code == 1 and not xml.exists()
    written = run("convert", VALID, "-o", xml, "--to", "xml2.1", "--law-firm-name", "Smith LLP")
    assert written.exit_code == 0, written.output
    losses = [line for line in written.output.splitlines() if "convert.unsupported-field" in line]
    assert len(losses) == 2 and all("warning" in loss for loss in losses)
    assert "LINE_ITEM_NUMBER '6': it would be read back as '1'" in losses[0]
    assert "LINE_ITEM_DESCRIPTION 'Monthly Retainer Fee'" in losses[1]
    assert run("validate", xml).exit_code == 0
    back = tmp_path / "back.txt"
    refused_back = run("convert", xml, "-o", back, "--to", "1998b", "--strict")
    assert refused_back.exit_code == 1 and "lf_name" in refused_back.output  # 1998B has no law-firm name
    allowed = run("convert", xml, "-o", back, "--to", "1998b")
    assert allowed.exit_code == 0, allowed.output
    assert "lf_name" in allowed.output
    original = VALID.read_text(encoding="utf-8").splitlines()
    returned = back.read_text(encoding="utf-8").splitlines()
    assert returned[:-1] == original[:-1]
    assert returned[-1] == original[-1].replace("|6|IF|1|1250.|", "|1|IF||1250|").replace("Monthly Retainer Fee", "")


@pytest.mark.parametrize("target", ["xml2.1", "xml2.2", "1998bi"])
def test_convert_xml_to_every_format(target: str, tmp_path: Path):
    """The XML 2.2 sample (taxes, addresses, a discount) converts to each format and validates there."""
    out = tmp_path / f"out.{target}"
    result = run("convert", XML_22, "-o", out, "--to", target, "--allow-loss")
    assert result.exit_code == 0, result.output
    assert run("validate", out).exit_code == 0, run("validate", out).output


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE ledesxmlebilling2.2 [<!ENTITY a "x"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '<!DOCTYPE ledesxmlebilling2.2 [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
], ids=["entity-expansion", "external-entity"])
def test_unsafe_xml_is_never_read_and_never_converted(doctype: str, tmp_path: Path):
    """`show` reports the refusal (exit 1: it read no invoice); `convert` writes nothing, since nothing of the file was read."""
    source = tmp_path / "in.xml"
    source.write_text(f'<?xml version="1.0"?>\n{doctype}\n<ledesxmlebilling2.2 xmlns="http://www.ledes.org/LEDES22.xsd">'
                      "<firm><lf_name>&b;</lf_name></firm></ledesxmlebilling2.2>\n")
    shown = run("show", source)
    assert shown.exit_code == 1 and "holds no invoice" in shown.output and "xml.unsafe" in shown.output
    target = tmp_path / "out.txt"
    converted = run("convert", source, "-o", target, "--to", "1998b")
    assert converted.exit_code == 1 and "xml.unsafe" in converted.output
    assert not target.exists()


@pytest.mark.parametrize("source_format", [None, "xml2.2", "xml2000"])
def test_a_2_gb_xml_file_is_refused_from_its_size_by_every_command(source_format: str | None, tmp_path: Path):
    """validate, show and convert refuse a (sparse) 2 GB XML file from its size, whichever reader is chosen."""
    huge = tmp_path / "huge.xml"
    with open(huge, "wb") as out:
        out.write(b"<?xml version='1.0'?>\n<ledesxmlebilling2.2>")
        out.truncate(2 * 2**30)
    chosen = ["--from", source_format] if source_format else []
    validated = run("validate", "--format", "json", *chosen, huge)
    assert validated.exit_code == 1
    [finding] = json.loads(validated.output)["files"][0]["diagnostics"]
    assert finding["rule"] == "xml.size" and "2,147,483,648 bytes" in finding["message"]
    shown = run("show", *chosen, huge)
    assert shown.exit_code == 1 and "holds no invoice" in shown.output and "xml.size" in shown.output
    target = tmp_path / "out.txt"
    converted = run("convert", *chosen, huge, "-o", target, "--to", "1998b")
    assert converted.exit_code == 1 and "xml.size" in converted.output and not target.exists()
