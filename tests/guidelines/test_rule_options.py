"""Rule options are typed and checked when the configuration is built: a wrong one stops the run before any file is read.

Each kind of option (a number, a whole number, a list of text, a list of line types, a
list of code sets, a table of amounts, a date) is given a value of the wrong type or out
of range in a guidelines file: ``ledes validate``, ``ledes report`` and ``ledes import``
exit 2 with one line on stderr naming the file and the key, and the invoice they were
given does not exist, so reading it would have been another error.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import ledes
from ledes import Config, LedesConfigError, guidelines
from ledes.config import default_options
from ledes.rules import ALL_RULES, RULES_BY_NAME
from ledes.rules.options import SCHEMA
from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]

# (rule, the option's TOML, the key path and message the error gives): one or more per kind of option.
WRONG_OPTIONS = [
    # a decimal number: not a number, not finite, out of range
    ("time.increment", "increment = 'a tenth'", "increment: expected a number, found 'a tenth'"),
    ("time.increment", "increment = 0.0", "increment: expected a number above 0 and at most 24, found 0.0"),
    ("arithmetic.line-total", "tolerance = 'nan'", "tolerance: expected a number, found 'nan'"),
    ("time.travel", "percent = 150", "percent: expected a number from 0 to 100, found 150"),
    ("time.increment", "increment = 25", "increment: expected a number above 0 and at most 24, found 25"),
    ("time.daily-hours", "max_hours = 1e999999", "max_hours: expected a number of at most 15 digits before the"
     " decimal point and 10 after it, found 1E+999999"),
    ("time.increment", "increment = 1e-999999999", "increment: expected a number of at most 15 digits before the"
     " decimal point and 10 after it, found 1E-999999999"),
    ("rates.cap", f"caps = {{ PARTNR = '{'9' * 100}' }}", f"caps.PARTNR: expected a number of at most 15 digits"
     f" before the decimal point and 10 after it, found '{'9' * 39}… (102 characters)"),
    ("narrative.block-billing", "reduction_percent = true", "reduction_percent: expected a number, found true"),
    # a whole number: a float, text, below its minimum
    ("invoice.late", "days = 1.5", "days: expected a whole number of at least 0, found 1.5"),
    ("invoice.aged-charges", "days = '180'", "days: expected a whole number of at least 0, found '180'"),
    ("staffing.max-timekeepers", "max = 0", "max: expected a whole number of at least 1, found 0"),
    ("narrative.vague", "min_words = 0", "min_words: expected a whole number of at least 1, found 0"),
    # a list of text: one text alone, an item that is not text
    ("time.multiple-attendees", "words = 'meeting'", "words: expected a list of text values, found 'meeting'"),
    ("expense.not-reimbursable", "codes = ['E103', 109]", "codes[1]: expected text, found 109"),
    ("narrative.vague", "extra_phrases = { a = 1 }", "extra_phrases: expected a list of text values, found a table"),
    # a list of words or phrases, matched as one regex: bounded (280,000 took 1.3 GB to compile)
    ("narrative.administrative", "extra_phrases = [" + ", ".join(['"mail"'] * 2001) + "]",
     "extra_phrases: expected at most 2,000 words or phrases, found 2,001"),
    ("time.travel", "words = ['" + "x" * 201 + "']", "words[0]: expected a word or phrase of at most 200 characters, found 201"),
    # a list of line types (an enumeration)
    ("utbms.expense-code", "required_on = ['E', 'X']", "required_on[1]: expected one of F, E, IF, IE, found 'X'"),
    # a list of code sets: no such set, a set of the wrong kind
    ("utbms.task-code", "sets = ['Q']", "sets: no code set 'Q' (sets: L, L2007,"),
    ("utbms.activity-code", "sets = ['L']", "sets: set L holds task codes, not activity codes"),
    # a table of amounts: not a table, an amount that is not one
    ("rates.cap", "caps = 400", "caps: expected a table (key = amount), found 400"),
    ("rates.cap", "caps = { PARTNR = 'abc' }", "caps.PARTNR: expected a number, found 'abc'"),
    ("expense.daily-cap", "caps = { E111 = -1 }", "caps.E111: expected a number of at least 0, found -1"),
    # a cap for a classification no LEDES list has: it would cap no line
    ("rates.cap", "caps = { PARLGL = 125 }", "caps.PARLGL: 'PARLGL' is not a timekeeper classification of the LEDES"
     " lists (LOC 2014: PARTNR, ASSOC, PARALG...; 1998B: PT, AS, OC, LA, OT); did you mean 'PARALG'?"),
    # a date: text that is not one, a number
    ("rates.increase", "freeze_until = 'next June'", "freeze_until: expected a date such as 2025-12-31, found 'next June'"),
    ("rates.increase", "freeze_until = 20251231", "freeze_until: expected a date such as 2025-12-31, found 20251231"),
]


def _guidelines(folder: Path, rule: str, option: str) -> Path:
    path = folder / "northwind.toml"
    path.write_text(f'extends = "default"\n\n[rules."{rule}"]\n{option}\n', encoding="utf-8")
    return path


def _expected(path: Path, rule: str, message: str) -> str:
    return f"ledes: error: {path}: rules.\"{rule}\".{message}"


@pytest.mark.parametrize(("rule", "option", "message"), WRONG_OPTIONS)
def test_validate_stops_on_a_wrong_option_before_reading_a_file(tmp_path: Path, rule: str, option: str, message: str):
    path = _guidelines(tmp_path, rule, option)
    never_read = tmp_path / "no-such-invoice.txt"  # reading it would be another error ("cannot read")
    result = CliRunner().invoke(main, ["validate", "--guidelines", str(path), str(never_read)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(_expected(path, rule, message)), line


@pytest.mark.parametrize(("rule", "option", "message"), WRONG_OPTIONS[:3])
def test_report_and_import_stop_on_a_wrong_option_too(tmp_path: Path, rule: str, option: str, message: str):
    path = _guidelines(tmp_path, rule, option)
    never_read = str(tmp_path / "no-such-invoice.txt")
    report = CliRunner().invoke(main, ["report", "--guidelines", str(path), never_read])
    assert report.exit_code == 2 and report.stderr.splitlines() == [_expected(path, rule, message)], report.output
    mapping = str(ROOT / "fixtures" / "import" / "marlow-stanton.toml")
    imported = CliRunner().invoke(main, ["import", never_read, "--mapping", mapping, "--guidelines", str(path),
                                         "--to", "1998b", "-o", str(tmp_path / "out.txt")])
    assert imported.exit_code == 2 and imported.stderr.splitlines() == [_expected(path, rule, message)], imported.output
    assert not (tmp_path / "out.txt").exists()


def test_the_error_names_the_file_that_gave_the_option(tmp_path: Path):
    base = tmp_path / "base.toml"
    base.write_text('[rules."invoice.late"]\ndays = -30\n', encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text('extends = "base.toml"\nclient = "Northwind"\n', encoding="utf-8")
    with pytest.raises(LedesConfigError) as raised:
        guidelines.load(child)
    assert str(raised.value) == f"{base}: rules.\"invoice.late\".days: expected a whole number of at least 0, found -30"


def test_options_are_typed_when_loaded(tmp_path: Path):
    path = tmp_path / "client.toml"
    path.write_text("""
[rules."rates.increase"]
freeze_until = 2025-12-31
[rules."rates.cap"]
caps = { partnr = 400, ASSOC = "250.50" }
[rules."utbms.expense-code"]
required_on = ["e", " IE "]
sets = ["x"]
[rules."staffing.max-timekeepers"]
max = 3
""", encoding="utf-8")
    config = guidelines.load(path)
    assert config.options_of(RULES_BY_NAME["rates.increase"]).freeze_until == date(2025, 12, 31)
    assert config.options_of(RULES_BY_NAME["rates.cap"]).caps == {"PARTNR": Decimal(400), "ASSOC": Decimal("250.50")}
    codes = config.options_of(RULES_BY_NAME["utbms.expense-code"])
    assert (codes.required_on, codes.sets) == (("E", "IE"), ("X",))
    assert config.options_of(RULES_BY_NAME["staffing.max-timekeepers"]).max == 3
    # a rule the file does not mention keeps its defaults, typed too
    assert config.options_of(RULES_BY_NAME["time.increment"]).increment == Decimal("0.1")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"rates.cap": {"caps": {"PARTNR": "abc"}}}, "options.rates.cap.caps.PARTNR: expected a number, found 'abc'"),
        ({"invoice.late": {"days": "60"}}, "options.invoice.late.days: expected a whole number of at least 0, found '60'"),
        ({"rates.increase": {"freeze_until": "soon"}},
         "options.rates.increase.freeze_until: expected a date such as 2025-12-31, found 'soon'"),
        ({"utbms.task-code": {"sets": ["E"]}}, "options.utbms.task-code.sets: set E holds expense codes, not task codes"),
        ({"time.travel": {"words": "travel"}}, "options.time.travel.words: expected a list of text values, found 'travel'"),
    ],
)
def test_a_config_made_in_python_is_checked_when_made(options, message):
    with pytest.raises(LedesConfigError) as raised:
        Config(options=options)
    assert str(raised.value) == message


@pytest.mark.parametrize("rule", [rule for rule in ALL_RULES if rule.options], ids=lambda rule: rule.name)
def test_every_rule_with_options_declares_them_as_a_typed_class(rule):
    assert rule.options_type is not None and attrs.has(rule.options_type)
    fields = attrs.fields(rule.options_type)
    assert [field.name for field in fields] == list(rule.options)
    assert all(field.metadata.get(SCHEMA) for field in fields), "declare each option with ledes.rules.options"
    built = default_options(rule.name)  # the defaults are valid values of their own options
    assert isinstance(built, rule.options_type)


def test_the_checks_receive_the_typed_options():
    rule = RULES_BY_NAME["arithmetic.line-total"]
    config = Config(options={"arithmetic.line-total": {"tolerance": "0.01"}})
    options = config.options_of(rule)
    assert isinstance(options, rule.options_type) and options.tolerance == Decimal("0.01")
    one_cent_off = ROOT / "fixtures" / "rules" / "arithmetic.line-total" / "fail_one_cent_off.txt"
    assert ledes.validate_file(one_cent_off, config).diagnostics == ()
    # called directly with a mapping (as the rule tests do), a check builds its options the same way
    with pytest.raises(LedesConfigError, match="options.arithmetic.line-total.tolerance: expected a number"):
        rule.check(ledes.load(one_cent_off)[0], lambda *args, **kwargs: None, {"tolerance": "a cent"})
