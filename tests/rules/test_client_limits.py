"""The rules for limits a client sets (invoice form, narrative length, roles, expense lines): boundaries and options."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from ledes.model import LineItemType
from ledes.rules.base import ApprovedTimekeeper
from ledes.rules.clientlimits import NarrativeLengthOptions, NotBillableOptions
from ledes.rules.invoiceform import CurrencyOptions
from ledes.rules.options import OptionError
from ledes.rules.submission import SingleMonthOptions
from tests.rules.test_guideline_rules import expense, fee, invoice, run


def adjustment(amount: str, kind: LineItemType = LineItemType.FEE_ADJUSTMENT, line: int = 9):
    return expense("1", amount, "", kind=kind, line=line)


def test_adjustments_are_counted_per_type_and_only_reductions_pass_when_asked():
    bill = invoice(fee("1", "300"), adjustment("-10", line=2), adjustment("-5", LineItemType.EXPENSE_ADJUSTMENT, 3),
                   adjustment("-20", line=4))
    found = run("invoice.adjustments", bill, max_fee_adjustments=1, max_expense_adjustments=1)
    assert [(finding.record.number, finding.amount) for finding in found] == [("4", Decimal("-20"))]
    assert run("invoice.adjustments", bill) == []  # no limit unless the client sets one
    found = run("invoice.adjustments", invoice(fee("1", "300"), adjustment("1250")), sign="negative")
    assert [finding.field for finding in found] == ["line_item.total"]


def test_invoice_number_length_and_characters():
    assert run("invoice.number-format", invoice(fee("1", "300"), number="INV-000123"), max_length=10,
               forbidden="/") == []
    (finding,) = run("invoice.number-format", invoice(fee("1", "300"), number="2024/INV-0001"), max_length=10,
                     forbidden="/;")
    assert "13 characters long" in finding.message and "'/'" in finding.message


def test_currencies_are_iso_codes_compared_upper_cased():
    assert CurrencyOptions(currencies=["usd", " eur "]).currencies == ("USD", "EUR")
    with pytest.raises(OptionError, match="ISO 4217"):
        CurrencyOptions(currencies=["US Dollar"])


def test_a_refused_classification_holds_its_legacy_code_and_a_typo_is_refused():
    assert len(run("timekeeper.not-billable", invoice(fee("1", "100", classification="LA")),
                   classifications=["PARALG"])) == 1
    assert run("timekeeper.not-billable", invoice(fee("-1", "100", classification="PARALG")),
               classifications=["PARALG"]) == []  # a credit
    with pytest.raises(OptionError, match="classification"):
        NotBillableOptions(classifications=["SECRETARY"])


def test_a_refused_approved_classification_is_named_as_approved_not_as_billed():
    approved = {"22547": ApprovedTimekeeper("22547", None, "CLKSEC")}
    (finding,) = run("timekeeper.not-billable", invoice(fee("1", "100", classification="ASSOC")), timekeepers=approved,
                     classifications=["CLKSEC"])
    assert "timekeeper 22547 is approved as CLKSEC (billed as ASSOC)" in finding.message
    (finding,) = run("timekeeper.not-billable", invoice(fee("1", "100", classification="CLKSEC")),
                     classifications=["CLKSEC"])
    assert "timekeeper 22547 bills as CLKSEC," in finding.message


def test_narrative_length_counts_the_text_without_its_outer_spaces():
    short = fee("1", "300", text="  Research  ")
    (finding,) = run("narrative.length", invoice(short), min_characters=10)
    assert "8 characters long" in finding.message
    assert run("narrative.length", invoice(fee("1", "300", text="Research the statute")), min_characters=10,
               max_characters=20) == []


def test_an_expense_above_the_threshold_passes_when_its_narrative_names_the_approval():
    big = expense("1", "650", "E124", text="Court reporter")
    approved = expense("1", "650", "E124", text="Court reporter, pre-approved by M. Lee", line=2)
    found = run("expense.approval", invoice(big, approved), threshold=Decimal(500))
    assert [finding.record.number for finding in found] == ["1"]
    assert run("expense.line-cap", invoice(big), caps={"E124": Decimal(650)}) == []
    (over,) = run("expense.line-cap", invoice(big), caps={"e124": Decimal(600)})
    assert over.amount == Decimal("50.00")


@pytest.mark.parametrize(("start", "end", "options", "reported"), [
    (date(2024, 2, 1), date(2024, 4, 30), {"months": 3}, False),  # three months, across two quarters: not aligned
    (date(2024, 2, 1), date(2024, 4, 30), {"months": 3, "aligned": True}, True),
    (date(2024, 4, 1), date(2024, 6, 30), {"months": 3, "aligned": True}, False),
    (date(2024, 2, 1), date(2024, 4, 30), {"months": 3, "aligned": True, "year_start": 2}, False),  # fiscal quarters
    (date(2024, 11, 1), date(2025, 1, 31), {"months": 3, "aligned": True}, True),  # across the year's end
    (date(2024, 6, 1), date(2024, 7, 31), {"months": 12, "aligned": True, "year_start": 7}, True),  # fiscal year end
])
def test_a_billing_period_stays_within_one_quarter_or_fiscal_year_when_aligned(start, end, options, reported):
    bill = attrs.evolve(invoice(fee("1", "300")), billing_start=start, billing_end=end)
    assert len(run("period.single-month", bill, **options)) == (1 if reported else 0)


def test_aligned_blocks_must_divide_the_year():
    with pytest.raises(OptionError, match="divide a year"):
        SingleMonthOptions(months=5, aligned=True)
    with pytest.raises(OptionError, match="true or false"):
        SingleMonthOptions(aligned="yes")


def test_research_hours_add_up_per_matter_and_an_authorized_line_is_not_counted():
    lines = [fee("2", "300", activity="A102", text="Analyze the policy", line=1),
             fee("2", "300", activity="A104", text="Research the notice-prejudice rule", line=2),
             fee("2", "300", activity="A102", text="Research case law; research authorized by M. Lee", line=3)]
    (finding,) = run("time.research", invoice(*lines), max_hours=Decimal(3))
    assert (finding.record.number, finding.amount) == ("2", Decimal("300.00"))  # 4 h: 1 h over at 300
    assert run("time.research", invoice(*lines)) == []  # no limit unless the client sets one


def test_research_over_the_limit_puts_at_stake_no_more_than_a_line_bills():
    """3 h of research, then 2 h written off (a −600 adjustment) and 2 h half written off: the second is over the
    limit but bills nothing, the third bills 300 for its 2 h over."""
    lines = [fee("3", "300", activity="A102", text="Research the notice-prejudice rule", line=1),
             fee("2", "300", activity="A102", text="Research bad faith", adjustment="-600", line=2),
             fee("2", "300", activity="A102", text="Research waiver", adjustment="-300", line=3)]
    found = run("time.research", invoice(*lines), max_hours=Decimal(3))
    assert [(finding.record.number, finding.amount) for finding in found] == [("2", Decimal("0.00")),
                                                                              ("3", Decimal("300.00"))]


def test_research_hours_per_matter_add_up_over_the_run():
    """2 h of research in January's invoice and 2 h in February's are 1 h over 3 h for the matter."""
    january = invoice(fee("2", "300", activity="A102", text="Research the notice-prejudice rule", line=1))
    february = attrs.evolve(invoice(fee("2", "300", activity="A102", text="Research bad faith", line=1)),
                            number="INV-2")
    assert run("time.research", january, february, max_hours=Decimal(3)) == []
    (finding,) = run("time.research", january, february, max_hours=Decimal(3), per="matter")
    assert finding.amount == Decimal("300.00") and "comes to 4 h on matter M-1 so far" in finding.message


def test_a_task_cap_adds_a_matters_fees_under_the_task():
    lines = [fee("20", "300", task="L160", line=1), fee("14", "300", task="L160", line=2),
             fee("5", "300", task="L120", line=3)]
    found = run("rates.task-cap", invoice(*lines), caps={"l160": Decimal(9000)})
    assert [(finding.record.number, finding.amount) for finding in found] == [("2", Decimal("1200.00"))]


def test_a_task_cap_per_matter_adds_the_matters_fees_over_the_run():
    """Lawtrac's lifetime caps per code: 6,000 in January's invoice and 4,000 in February's are 1,000 over 9,000."""
    january = invoice(fee("20", "300", task="PA320", line=1))
    february = attrs.evolve(invoice(fee("10", "400", task="PA320", line=1)), number="96543")
    assert run("rates.task-cap", january, february, caps={"PA320": Decimal(9000)}) == []
    (finding,) = run("rates.task-cap", january, february, caps={"PA320": Decimal(9000)}, per="matter")
    assert (finding.record.number, finding.amount) == ("1", Decimal("1000.00"))
    assert "come to 10000.00 on this matter so far" in finding.message
    other_matter = attrs.evolve(february, matters=(attrs.evolve(february.matters[0], law_firm_matter_id="9999"),))
    assert run("rates.task-cap", january, other_matter, caps={"PA320": Decimal(9000)}, per="matter") == []


def test_known_ids_are_compared_exactly_and_one_of_a_98bi_firms_ids_will_do():
    bill = invoice(fee("1", "300"), firm="24-6437381~GB123456789")
    assert run("invoice.known-ids", bill, law_firm_ids=["GB123456789"], client_ids=["C-1"]) == []
    (finding,) = run("invoice.known-ids", bill, law_firm_ids=["24-6437318"], client_ids=["C-01"])
    assert "LAW_FIRM_ID" in finding.message and "CLIENT_ID 'C-1'" in finding.message


def test_a_98bi_law_firm_id_listed_whole_is_on_file():
    bill = invoice(fee("1", "300"), firm="24-6437381~GB123456789")
    assert run("invoice.known-ids", bill, law_firm_ids=["24-6437381~GB123456789"]) == []


def test_contradictory_or_huge_numbers_are_refused():
    with pytest.raises(OptionError, match="more than max_characters"):
        NarrativeLengthOptions(min_characters=100, max_characters=20)
    with pytest.raises(OptionError, match="at most 15 digits"):
        NarrativeLengthOptions(min_characters=10**23)


def test_an_error_in_two_options_together_names_the_rule_as_the_file_does(tmp_path):
    from ledes import guidelines
    from ledes.errors import LedesConfigError

    path = tmp_path / "client.toml"
    path.write_text('[rules."period.single-month"]\nmonths = 5\naligned = true\n', encoding="utf-8")
    with pytest.raises(LedesConfigError, match=r'client.toml: rules\."period\.single-month"\.aligned: needs months'):
        guidelines.load(path)
