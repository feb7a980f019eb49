"""Guideline rule cases from a review against published guidelines: credits, the scope of duplicates, legacy codes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from ledes.model import Client
from ledes.rulereports import at_stake, magnitude
from ledes.rules.lineitems import names_approval
from ledes.rules.options import OptionError
from ledes.rules.rates import RateCapOptions
from tests.rules.test_guideline_rules import APPROVED, expense, fee, invoice, run


def test_a_guideline_findings_money_at_stake_is_none_for_a_credit_and_a_format_findings_is_its_size():
    assert at_stake(Decimal("-350.00")) is None
    assert at_stake(Decimal("350.00")) == Decimal("350.00")
    assert magnitude(Decimal("-350.00")) == Decimal("350.00")


def test_an_old_credit_is_not_an_aged_charge():
    old = date(2023, 1, 5)
    found = run("invoice.aged-charges", invoice(fee("1", "350", on=old, adjustment="-700", line=1),
                                                fee("1", "350", on=old, line=2)), days=180)
    assert [finding.record.number for finding in found] == ["2"]


def test_a_credit_reversing_a_refused_expense_is_the_remedy_not_a_breach():
    found = run("expense.not-reimbursable", invoice(expense("1", "-24.95", "E103", text="Credit: word processing"),
                                                    expense("1", "24.95", "E103", text="Word processing", line=2)))
    assert [finding.record.number for finding in found] == ["2"]


def test_an_unapproved_timekeepers_write_off_is_not_reported():
    found = run("timekeeper.not-approved", invoice(fee("-1", "400", keeper="99999", line=1),
                                                   fee("1", "400", keeper="99998", line=2)), timekeepers=APPROVED)
    assert [finding.record.number for finding in found] == ["2"]


def test_a_timekeeper_on_a_write_off_only_is_not_counted_against_the_staffing_cap():
    lines = [fee("1", "200", keeper=keeper, line=number) for number, keeper in enumerate(("1", "2"), 1)]
    assert run("staffing.max-timekeepers", invoice(*lines, fee("-1.5", "100", keeper="3", line=3)), max=2) == []
    assert len(run("staffing.max-timekeepers", invoice(*lines, fee("1.5", "100", keeper="3", line=3)), max=2)) == 1


def test_a_credits_narrative_is_not_judged():
    text = "Credit: conference billed in error"
    assert run("narrative.administrative", invoice(fee("-1", "300", text=text))) == []
    assert len(run("narrative.administrative", invoice(fee("1", "300", text=text)))) == 1


def test_the_same_entry_on_two_matters_is_no_duplicate():
    entry = fee("0.5", "300", text="Review correspondence from opposing counsel")
    assert run("duplicate.line-item", invoice(entry, matter="M-1"), invoice(entry, matter="M-2", number="INV-2")) == []
    assert len(run("duplicate.line-item", invoice(entry, matter="M-1"), invoice(entry, number="INV-2"))) == 1


def test_an_invoice_number_is_a_duplicate_for_one_client_within_the_window():
    first = invoice(fee("1.0", "300"), on=date(2024, 3, 31))
    year_later = invoice(fee("1.0", "300"), on=date(2025, 3, 31))  # 365 days: still within a year
    two_years_later = invoice(fee("1.0", "300"), on=date(2026, 4, 1))  # 366 days after the one before it
    other_client = attrs.evolve(invoice(fee("1.0", "300")), client=Client("C-2"))
    found = run("invoice.duplicate-number", first, other_client, year_later, two_years_later)
    assert [finding.record for finding in found] == [year_later]
    assert run("invoice.duplicate-number", first, two_years_later) == []
    assert len(run("invoice.duplicate-number", first, two_years_later, days=800)) == 1


def test_a_meal_reversed_and_billed_again_corrected_the_same_day_is_within_the_daily_cap():
    day = [expense("1", "120", "E111", keeper="22547", line=1), expense("1", "-120", "E111", keeper="22547", line=2),
           expense("1", "60", "E111", keeper="22547", line=3)]
    assert run("expense.daily-cap", invoice(*day)) == []
    found = run("expense.daily-cap", invoice(*day, expense("1", "20", "E111", keeper="22547", line=4)))
    assert [(finding.record.number, finding.amount) for finding in found] == [("4", Decimal("5.00"))]


def test_a_classification_cap_holds_the_legacy_1998b_codes_and_a_legacy_cap_the_loc_codes():
    lines = [fee("1", "500", classification="PT", line=1), fee("1", "300", classification="AS", line=2),
             fee("1", "150", classification="LA", line=3), fee("1", "500", classification="PARTNR", line=4)]
    caps = {"PARTNR": Decimal(400), "ASSOC": Decimal(250), "PARALG": Decimal(125)}
    found = run("rates.cap", invoice(*lines), caps=caps)
    assert [(finding.record.number, finding.amount) for finding in found] == [
        ("1", Decimal("100.00")), ("2", Decimal("50.00")), ("3", Decimal("25.00")), ("4", Decimal("100.00"))]
    assert len(run("rates.cap", invoice(lines[3]), caps={"PT": Decimal(400)})) == 1


def test_a_cap_given_twice_under_one_key_with_two_amounts_is_refused():
    with pytest.raises(OptionError, match="same key"):
        RateCapOptions(caps={"assoc": 100, "ASSOC": 200})
    assert RateCapOptions(caps={"assoc": 100, "ASSOC": 100}).caps == {"ASSOC": Decimal(100)}


@pytest.mark.parametrize(("first", "second", "reported"), [
    ("Trial preparation: draft direct examination outline", "Trial preparation: assemble exhibits", False),
    ("Email client regarding outcome of hearing", "Conference with R. Arnsley regarding outcome of hearing", False),
    ("Prepare for deposition of J. Smith", "Review deposition transcript of J. Smith", False),
    ("Attend hearing regarding trial preparation", "Attend hearing", True),
    ("Meeting with client regarding deposition", "Meeting with client regarding deposition", True),
    ("Attend deposition of J. Smith", "Second chair deposition of J. Smith", True),
])
def test_work_about_an_event_is_not_attending_it(first: str, second: str, reported: bool):
    lines = invoice(fee("2", "300", keeper="1", text=first, line=1), fee("2", "200", keeper="2", text=second, line=2))
    assert [finding.record.number for finding in run("time.multiple-attendees", lines)] == (["2"] if reported else [])


# Found by a second review of the changes above (sweep J).

def test_rates_increase_takes_no_rate_from_a_credit_or_a_no_charge_line():
    jan = invoice(fee("2", "350"), on=date(2024, 1, 31), number="J")
    credit = fee("-2", "375", line=2, on=date(2024, 2, 2))  # reverses an old error at 375
    feb = invoice(fee("1", "350"), credit, on=date(2024, 2, 28), number="F")
    mar = invoice(fee("1", "375", on=date(2024, 3, 4)), on=date(2024, 3, 31), number="M")
    assert [finding.record.number for finding in run("rates.increase", jan, feb, mar)] == ["1"]  # March only
    no_charge = invoice(fee("1", "350", on=date(2024, 2, 1)), fee("0.2", "0", line=2, on=date(2024, 2, 26)),
                        on=date(2024, 2, 28), number="F0")
    held = run("rates.increase", no_charge, invoice(fee("1", "350", on=date(2024, 3, 4)), number="M0"),
               freeze_from="2024-03-01", freeze_until="2024-12-31")
    assert held == []  # held to 350, the last rate billed before the freeze, not the no-charge line's 0


def test_a_late_entry_at_a_raised_rate_does_not_become_the_frozen_rate():
    jan = invoice(fee("1", "300", on=date(2024, 1, 10)), on=date(2024, 1, 31), number="J")
    feb = invoice(fee("1", "325", on=date(2024, 1, 5)), fee("1", "325", line=2, on=date(2024, 2, 15)),
                  on=date(2024, 2, 29), number="F")
    mar = invoice(fee("1", "325", on=date(2024, 3, 11)), on=date(2024, 3, 31), number="M")
    found = run("rates.increase", jan, feb, mar, freeze_until="2024-12-31")
    assert [finding.record.number for finding in found] == ["1", "2", "1"]  # the late entry, 02-15 and March


@pytest.mark.parametrize("text", ["Attend rescheduled hearing on motion to compel", "Attend scheduled deposition of plaintiff",
                                  "Attend hearing - order granting motion to compel entered"])
def test_attendance_at_a_rescheduled_event_or_one_described_after_a_dash_is_attendance(text: str):
    lines = invoice(fee("2", "300", keeper="1", text=text, line=1), fee("2", "200", keeper="2", text=text, line=2))
    assert [finding.record.number for finding in run("time.multiple-attendees", lines)] == ["2"]


def test_a_write_off_is_no_attendance_no_daily_hours_no_staff_and_no_duplicate():
    text = "Meeting with client regarding settlement"
    written_off = fee("6", "350", keeper="1", text=text, adjustment="-4200", line=1)  # positive hours, total -2100
    attended = fee("2", "200", keeper="2", text=text, line=2)
    assert run("time.multiple-attendees", invoice(written_off, attended)) == []
    day = invoice(fee("6", "350", keeper="1", line=3), written_off)
    assert run("time.daily-hours", day, max_hours=Decimal(10)) == []  # 6 h billed, 6 h written off
    assert run("staffing.max-timekeepers", invoice(written_off, attended), max=1) == []
    entry = fee("6", "350", keeper="1", text=text, line=1)
    assert run("duplicate.line-item", invoice(entry), invoice(written_off, number="INV-2")) == []


@pytest.mark.parametrize(("text", "given"), [
    ("Court reporter, pre-approved by M. Lee", True), ("Expert fee per client approval", True),
    ("Airfare with the claims manager's approval", True), ("Hotel, approved in writing by the claims manager", True),
    ("Research prior authorization requirements under the plan", False),
    ("Court filing fee: petition for approval of minor's settlement", False),
    ("Court reporter: expedited (not approved by client)", False), ("Expert fee, consent decree compliance review", False),
    ("Airfare, without client approval", False),
])
def test_an_approval_counts_when_the_narrative_names_it_as_given(text: str, given: bool):
    assert names_approval(text) is given


def test_a_repeated_invoice_number_is_found_whatever_the_order_of_the_files():
    first, later, between = (invoice(fee("1", "300"), on=on, number="100")
                             for on in (date(1997, 2, 5), date(1999, 6, 5), date(1997, 6, 5)))
    for order in ((first, later, between), (first, between, later), (later, first, between)):
        assert len(run("invoice.duplicate-number", *order)) == 1


def test_a_legacy_code_bills_as_the_approved_classification_of_its_kind():
    approved = {"22547": APPROVED["22547"]}  # approved as PARTNR
    assert run("timekeeper.classification", invoice(fee("1", "350", classification="PT")), timekeepers=approved) == []
    assert len(run("timekeeper.classification", invoice(fee("1", "350", classification="AS")),
                   timekeepers=approved)) == 1


def test_a_denied_approval_does_not_excuse_a_second_attendee():
    text = "Attend deposition of J. Smith"
    lines = [fee("2", "300", keeper="1", text=text, line=1),
             fee("2", "200", keeper="2", text=f"{text} (second attendee not approved by client)", line=2)]
    assert len(run("time.multiple-attendees", invoice(*lines))) == 1
    lines[1] = fee("2", "200", keeper="2", text=f"{text}; second attendee approved by M. Lee", line=2)
    assert run("time.multiple-attendees", invoice(*lines)) == []


def test_a_no_charge_line_is_judged_by_no_narrative_rule_and_no_long_entry():
    """A line written down to 0.00 (or billed at a rate of 0) bills nothing: under strict guidelines its vague,
    block-billed or clerical narrative or its 9 hours were errors, exit 1, on time the firm already wrote off."""
    lines = [fee("1.0", "200", text="Review file", adjustment="-200", line=1),
             fee("2.0", "0", text="Review documents; draft memo; call client; revise brief", line=2),
             fee("1.0", "150", text="Bates stamp documents", adjustment="-150", line=3),
             fee("9.0", "200", text="Travel to Boston for deposition of plaintiff", adjustment="-1800", line=4)]
    for rule in ("narrative.vague", "narrative.block-billing", "narrative.administrative", "time.long-entry"):
        assert run(rule, invoice(*lines)) == [], rule
    billed = [fee("1.0", "200", text="Review file", line=1)]
    assert len(run("narrative.vague", invoice(*billed))) == 1  # the same narrative billed is judged
