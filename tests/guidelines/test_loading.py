"""Reading a client's guidelines file: extends, merging, presets, and an exact error for every mistake."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import ledes
from ledes import guidelines
from ledes.errors import LedesConfigError
from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_gives_levels_options_timekeepers_and_codes(tmp_path: Path):
    path = write(tmp_path, "client.toml", """
client = "Northwind"

[[timekeepers]]
id = "00547"
name = "Arnsley, Robert"
classification = "PARTNR"
rates = [{ rate = 350.00, from = 2024-01-01, until = 2024-06-30 }, { rate = "375", from = 2024-07-01 }]

[[custom_codes]]
set = "L"
code = "L199"
name = "Other case assessment"
parent = "L100"

[rules."arithmetic.line-total"]
level = "warning"
tolerance = 0.01
""")
    config = guidelines.load(path)
    assert config.guidelines and config.sources == (str(path),)
    assert config.levels == {"arithmetic.line-total": "warning"}
    assert config.options == {"arithmetic.line-total": {"tolerance": Decimal("0.01")}}
    keeper = config.timekeepers["00547"]  # leading zeros kept: ids are text
    assert keeper.rate_on(date(2024, 3, 1)) == Decimal("350.00")
    assert keeper.rate_on(date(2024, 9, 1)) == Decimal("375")
    assert keeper.rate_on(date(2023, 9, 1)) is None
    assert config.context().code_sets["L"].codes["L199"].parent == "L100"


def test_extends_merges_file_over_file_over_preset(tmp_path: Path):
    write(tmp_path, "base.toml", """
extends = "default"
client = "Base"
[[timekeepers]]
id = "1"
classification = "ASSOC"
[[timekeepers]]
id = "2"
classification = "PARALG"
[rules."arithmetic.line-total"]
level = "warning"
tolerance = 0.05
""")
    child = write(tmp_path, "child.toml", """
extends = "base.toml"
[[timekeepers]]
id = "1"
classification = "PARTNR"
[rules."arithmetic.line-total"]
tolerance = 0.01
""")
    config = guidelines.load(child)
    assert config.timekeepers["1"].classification == "PARTNR" and config.timekeepers["2"].classification == "PARALG"
    assert config.levels["arithmetic.line-total"] == "warning"
    assert config.options["arithmetic.line-total"]["tolerance"] == Decimal("0.01")
    assert config.sources == ("preset 'default'", str(tmp_path / "base.toml"), str(child))


@pytest.mark.parametrize(("text", "message"), [
    ("clients = 'x'", "clients: unknown key; did you mean 'client'?"),
    ("[rules.\"rates.kap\"]\nlevel = 'error'", "rules.\"rates.kap\": no such rule"),
    ("[rules.\"arithmetic.line-total\"]\nlevel = 'fatal'", "rules.\"arithmetic.line-total\".level: expected one of error, warning, info, off, found 'fatal'"),
    ("[rules.\"arithmetic.line-total\"]\ntolerance = 'a cent'", "rules.\"arithmetic.line-total\".tolerance: expected a number, found 'a cent'"),
    ("[rules.\"arithmetic.line-total\"]\ncap = 1", "rules.\"arithmetic.line-total\".cap: not an option of arithmetic.line-total"),
    ("[[timekeepers]]\nid = 547", "timekeepers[0].id: expected text (quote it: \"547\"; leading zeros matter)"),
    ("[[timekeepers]]\nid = '1'\nrates = [{ rate = 'high' }]", "timekeepers[0].rates[0].rate: expected a number, found 'high'"),
    ("[[timekeepers]]\nid = '1'\nrates = [{ rate = -450 }]", "timekeepers[0].rates[0].rate: expected a number of at least 0, found -450"),
    ("[[timekeepers]]\nid = '1'\nrates = [{ rate = '-1e999999999' }]",
     "timekeepers[0].rates[0].rate: expected a number of at most 15 digits before the decimal point"),
    ("[rules.\"expense.unit-cost-cap\"]\ncaps = { E999 = '0.10' }",
     "rules.\"expense.unit-cost-cap\".caps: 'E999' is not an expense code (such as E101) of the UTBMS sets or the"
     " custom_codes: it would match no line"),
    ("[rules.\"expense.not-reimbursable\"]\ncodes = ['E103', 'E1O9']", "'E1O9' is not an expense code"),
    ("[rules.\"expense.daily-cap\"]\ncaps = { L110 = 75 }", "'L110' is not an expense code"),  # a task code
    ("[rules.\"time.travel\"]\ncodes = ['A112', 'ZZZZ']", "'ZZZZ' is not a task or activity code"),
    ("[[custom_codes]]\nset = 'L'\ncode = 'L198'\nname = 'x'\nparent = 'L199'\n"
     "[[custom_codes]]\nset = 'L'\ncode = 'L199'\nname = 'y'\nparent = 'L198'", "L198's parent L199 is not a phase"),
    ("[[timekeepers]]\nid = '1'\nrates = [{ rate = 1, from = 2024-02-01, until = 2024-01-01 }]", "until (2024-01-01) is before from (2024-02-01)"),
    ("[[timekeepers]]\nid = '1'\nrole = 'x'", "timekeepers[0].role: unknown key"),
    ("[[custom_codes]]\nset = 'Q'\ncode = 'Q1'\nname = 'x'", "custom_codes: custom codes: no code set 'Q'"),
    ("extends = 'missing.toml'", "cannot read guidelines"),
    ("client = [", "not valid TOML"),
    ("currency = 'dollars'", "currency: expected an ISO 4217 currency code such as USD, found 'dollars'"),
    # Found by a hostile-input sweep: each was a traceback (TypeError, ValueError), not one line with exit 2.
    ("[rules.\"time.daily-hours\"]\nlevel = []", "rules.\"time.daily-hours\".level: expected one of error, warning,"
     " info, off, found an empty list"),
    ("[rules.\"narrative\"]\nlevel = {}", "rules.\"narrative\".level: expected one of error, warning, info, off"),
    ("extends = \"\\u0000\"", "extends: '\\x00' holds a NUL character: no file is named so"),
])
def test_a_mistake_names_the_file_the_key_and_what_was_expected(tmp_path: Path, text: str, message: str):
    path = write(tmp_path, "client.toml", text)
    with pytest.raises(LedesConfigError) as raised:
        guidelines.load(path)
    assert str(raised.value).startswith(str(path) + ": ") or "cannot read" in str(raised.value)
    assert message in str(raised.value)


def test_the_currency_of_the_amounts_is_inherited_unless_a_file_gives_amounts_of_its_own(tmp_path: Path):
    assert guidelines.preset("default").currency == "USD" and guidelines.preset("strict").currency == "USD"

    def loaded(text: str) -> str | None:
        path = tmp_path / "client.toml"
        path.write_text(text, encoding="utf-8")
        return guidelines.load(path).currency

    assert loaded('extends = "default"\nclient = "X"\n') == "USD"
    assert loaded('extends = "default"\ncurrency = " eur"\n') == "EUR"
    # caps or approved rates of its own, with no currency: they hold for every invoice
    assert loaded('extends = "default"\n[rules."expense.unit-cost-cap"]\ncaps = { E101 = 5 }\n') is None
    assert loaded('extends = "default"\n[[timekeepers]]\nid = "1"\nrates = [{ rate = 300 }]\n') is None
    assert loaded('extends = "default"\ncurrency = "GBP"\n[rules."rates.cap"]\ncaps = { PARTNR = 400 }\n') == "GBP"


def test_toml_nested_too_deep_for_the_parser_is_one_error_in_every_configuration_file(tmp_path: Path, monkeypatch):
    """tomllib recurses once per level: 1,000 nested arrays exhausted the stack (a RecursionError traceback)."""
    from ledes.importing.mapping import load_mapping
    from ledes.ledger.statusmapping import load_status_mapping

    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    expected = f"{deep}: not valid TOML for ledes: its arrays or tables are nested too deep"
    for load in (guidelines.load, load_mapping, load_status_mapping):
        with pytest.raises(LedesConfigError) as raised:
            load(str(deep))
        assert str(raised.value) == expected
    (tmp_path / "ledes.toml").write_text(deep.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(VALID)])
    assert result.exit_code == 2 and "nested too deep" in result.stderr and "Traceback" not in result.output


def test_a_groups_level_in_a_file_replaces_the_levels_its_parent_set_for_the_groups_rules(tmp_path: Path):
    """``strict`` makes ``invoice.late`` an error by name; a client file extending it that sets the whole ``invoice``
    group to warnings has it a warning, and one that turns the ``time`` group off turns off the ``time.increment`` its
    parent set. Within one file a rule's own level still wins over its group's."""
    softer = guidelines.load(write(tmp_path, "softer.toml", 'extends = "strict"\n[rules."invoice"]\nlevel = "warning"\n'))
    assert softer.level_of("invoice.late") is ledes.Severity.WARNING
    assert softer.level_of("invoice.zero-value-line") is ledes.Severity.WARNING
    write(tmp_path, "parent.toml", 'extends = "strict"\n[rules."time.increment"]\nlevel = "warning"\n')
    child = guidelines.load(write(tmp_path, "child.toml", 'extends = "parent.toml"\n[rules."time"]\nlevel = "off"\n'))
    assert child.level_of("time.increment") is None and child.level_of("time.daily-hours") is None
    both = guidelines.load(write(tmp_path, "both.toml", 'extends = "strict"\n[rules."invoice"]\nlevel = "off"\n'
                                 '[rules."invoice.late"]\nlevel = "error"\n'))
    assert both.level_of("invoice.late") is ledes.Severity.ERROR and both.level_of("invoice.aged-charges") is None


def test_an_extends_cycle_is_an_error(tmp_path: Path):
    write(tmp_path, "a.toml", 'extends = "b.toml"')
    write(tmp_path, "b.toml", 'extends = "a.toml"')
    with pytest.raises(LedesConfigError, match="extends makes a cycle"):
        guidelines.load(tmp_path / "a.toml")


def test_the_cli_reports_a_bad_guidelines_file_in_one_line_with_exit_2(tmp_path: Path):
    path = write(tmp_path, "client.toml", "[rules.\"arithmetic.line-total\"]\ntolerance = 'a cent'")
    result = CliRunner().invoke(main, ["validate", "--guidelines", str(path), str(VALID)])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "tolerance: expected a number" in result.output
    missing = CliRunner().invoke(main, ["validate", "--guidelines", str(tmp_path / "nope.toml"), str(VALID)])
    assert missing.exit_code == 2 and "cannot read guidelines" in missing.output


def test_without_guidelines_the_guideline_rules_do_not_run():
    config = ledes.Config()
    assert all(config.level_of(rule.name) is None for rule in ledes.ALL_RULES if rule.guideline)
    assert guidelines.preset("default").guidelines


EXAMPLE = ROOT / "fixtures" / "guidelines" / "northwind-insurance.toml"
MULTI_MATTER = ROOT / "fixtures" / "1998b" / "valid" / "multi_matter.txt"


def test_the_example_guidelines_load_and_find_what_the_client_would_cut():
    """The shipped example applies end to end from the CLI: findings, exit 1 on an error, money at risk per invoice."""
    import json

    config = guidelines.load(EXAMPLE)
    assert config.levels["narrative.administrative"] == "error" and "22547" in config.timekeepers
    assert config.options["expense.unit-cost-cap"]["caps"] == {"E101": Decimal("0.10"), "E102": Decimal("0.10")}
    result = CliRunner().invoke(main, ["validate", "--format", "json", "--guidelines", str(EXAMPLE), str(VALID),
                                       str(MULTI_MATTER)])
    assert result.exit_code == 1, result.output
    document = json.loads(result.output)
    found = {(d["rule"], d["line"], d["amount"]) for f in document["files"] for d in f["diagnostics"]}
    assert found == {
        ("narrative.vague", 5, "40.00"),  # "Telephone conference with John Doe": about what?
        ("time.increment", 4, "10.00"),  # 1.25 h in tenths: 0.05 h at 200.00
        ("timekeeper.not-approved", 5, "190.00"),  # 31337 is not on the approved list
        ("invoice.max-matters", 3, "1752.00"),  # 96544 bills matters 0528 and 1326: one an invoice
    }
    assert document["files"][1]["at_risk"] == {"96544": "1752.00"}  # the invoice rejected whole
    assert document["summary"]["at_risk"] == "1792.00"


@pytest.mark.parametrize("name", guidelines.PRESETS)
def test_the_presets_load(name: str):
    config = guidelines.preset(name)
    assert config.guidelines and config.sources[0] == "preset 'default'"


def test_guidelines_without_timekeepers_check_no_approved_list(tmp_path: Path):
    """A client file that lists no timekeepers keeps no approved list: nobody is reported as not approved."""
    config = guidelines.load(write(tmp_path, "client.toml", 'extends = "default"'))
    assert config.timekeepers is None
    report = ledes.validate([VALID], config)
    assert "timekeeper.not-approved" not in {d.rule for d in report.files[0].diagnostics}


def test_the_published_json_schema_is_generated_from_the_rules():
    """schemas/guidelines.schema.json is what ledes.guidelines.schema makes: regenerate it when a rule changes."""
    from ledes.guidelines.schema import guidelines_schema, schema_text

    assert (ROOT / "schemas" / "guidelines.schema.json").read_text(encoding="utf-8") == schema_text()
    rules = guidelines_schema()["properties"]["rules"]["properties"]
    assert rules["rates.cap"]["properties"]["caps"]["type"] == "object" and "narrative" in rules


def test_guidelines_with_a_byte_order_mark_are_read(tmp_path: Path):
    """Windows editors write a UTF-8 BOM: it is not part of the TOML."""
    path = tmp_path / "client.toml"
    path.write_bytes(b"\xef\xbb\xbf[[timekeepers]]\nid = '22547'\nrates = [{ rate = 350 }]\n")
    assert guidelines.load(path).timekeepers["22547"].rates[0].rate == 350


def test_an_expense_code_of_the_clients_own_may_be_capped(tmp_path: Path):
    """A cap or refusal may name one of the guidelines' custom codes (a misspelt code is refused above)."""
    path = tmp_path / "client.toml"
    path.write_text("[[custom_codes]]\nset = 'E'\ncode = 'E190'\nname = 'Drone survey'\n"
                    "[rules.\"expense.daily-cap\"]\ncaps = { e190 = 500 }\n", encoding="utf-8")
    assert guidelines.load(path).options["expense.daily-cap"]["caps"] == {"E190": Decimal("500")}


TIMEKEEPER_MISTAKES = [
    ("[[timekeepers]]\nid = '22547'\nclassification = 'PARTNR'\nrates = [{ rate = 400 }]\n"
     "[[timekeepers]]\nid = '22547'\nclassification = 'ASSOC'\nrates = [{ rate = 300 }]",
     "timekeepers[1]: timekeeper '22547' is listed again (first as timekeepers[0]) with classification 'ASSOC',"
     " not 'PARTNR'"),
    ("[[timekeepers]]\nid = '22547'\nname = 'Arnsley, Robert'\n[[timekeepers]]\nid = '22547'\nname = 'Beaster, John'",
     "timekeepers[1]: timekeeper '22547' is listed again (first as timekeepers[0]) with name 'Beaster, John'"),
    ("[[timekeepers]]\nid = '22547'\nrates = [{ rate = 300, from = 1999-01-01, until = 1999-01-31 },"
     " { rate = 350, from = 1999-01-01, until = 1999-01-31 }]",
     "timekeepers[0].rates[1]: timekeeper '22547' has a second rate from 1999-01-01 (350; timekeepers[0].rates[0]"
     " gives 300)"),
    ("[[timekeepers]]\nid = '22547'\nrates = [{ rate = 400 }]\n[[timekeepers]]\nid = '22547'\nrates = [{ rate = 300 }]",
     "timekeepers[1].rates[0]: timekeeper '22547' has a second rate without a from date"),
    ("[[timekeepers]]\nid = '22547'\nclassification = 'PARLGL'\nrates = [{ rate = 350 }]",
     "timekeepers[0].classification: 'PARLGL' is not a timekeeper classification of the LEDES lists"),
]


@pytest.mark.parametrize(("text", "message"), TIMEKEEPER_MISTAKES)
def test_a_timekeeper_listed_twice_an_ambiguous_rate_or_an_unknown_classification_is_refused(
        tmp_path: Path, text: str, message: str):
    """A [[timekeepers]] mistake that would silently change which rate or classification applies is refused."""
    path = write(tmp_path, "client.toml", text)
    with pytest.raises(LedesConfigError) as raised:
        guidelines.load(path)
    assert str(raised.value).startswith(f"{path}: ") and message in str(raised.value)
    result = CliRunner().invoke(main, ["validate", "--guidelines", str(path), str(VALID)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip().count("\n") == 0 and message in result.stderr


def test_two_entries_for_one_timekeeper_give_their_rate_periods_together(tmp_path: Path):
    """Entries of one id that agree are one timekeeper with every period they give, not the last entry alone."""
    path = write(tmp_path, "client.toml", """
[[timekeepers]]
id = "22547"
classification = "partnr"
rates = [{ rate = 325, until = 1998-12-31 }]
[[timekeepers]]
id = "22547"
name = "Arnsley, Robert"
rates = [{ rate = 350, from = 1999-01-01 }, { rate = 360, from = 1999-07-01, until = 1999-12-31 }]
""")
    keeper = guidelines.load(path).timekeepers["22547"]
    assert (keeper.name, keeper.classification) == ("Arnsley, Robert", "PARTNR")
    assert [keeper.rate_on(date(year, month, 1)) for year, month in ((1998, 6), (1999, 1), (1999, 8), (2000, 1))] == [
        Decimal("325"), Decimal("350"), Decimal("360"), Decimal("350")]


def test_strict_makes_every_guideline_rule_it_runs_an_error():
    """The strict preset's promise: every guideline finding an error (period.single-month and invoice.zero-value-line
    stayed warnings, so an invoice Collaborati rejects for spanning two months exited 0)."""
    from ledes.diagnostics import Severity
    from ledes.rules.catalogue import CATALOGUE

    strict = guidelines.preset("strict")
    running = {entry.name: strict.level_of(entry.name) for entry in CATALOGUE if entry.guideline}
    assert {name: level for name, level in running.items() if level not in (None, Severity.ERROR)} == {}
