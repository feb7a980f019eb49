"""The guideline rules on invoices built in Python: runs across files, effective-dated rates, and the money at stake."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import ledes
from ledes import Config, LedesConfigError
from ledes.model import Client, Invoice, LawFirm, LineItem, LineItemType, Location, Matter, Timekeeper
from ledes.rules import ALL_RULES, RULES_BY_NAME
from ledes.rules.base import ApprovedTimekeeper, Context, RatePeriod
from ledes.utbms import code_sets, with_custom

RULE_CASES = Path(__file__).resolve().parents[2] / "fixtures" / "rules"
LOC_SAMPLE = RULE_CASES / "period.line-date" / "pass_loc_sample.txt"
DAY = date(2024, 3, 4)


@attrs.frozen
class Finding:
    message: str
    record: object
    field: str | None
    amount: Decimal | None
    invoice: str | None


def fee(units: str, cost: str, *, keeper: str = "22547", on: date = DAY, task: str | None = "L120",
        activity: str | None = "A104", text: str = "Draft motion to compel", adjustment: str | None = None,
        classification: str = "PARTNR", line: int | None = None) -> LineItem:
    base = Decimal(units) * Decimal(cost) + Decimal(adjustment or 0)
    return LineItem(
        number=str(line or 1), type=LineItemType.FEE, date=on, units=Decimal(units), unit_cost=Decimal(cost),
        adjustment=Decimal(adjustment) if adjustment is not None else None, total=base, task_code=task,
        activity_code=activity, description=text, timekeeper=Timekeeper(keeper, None, classification),
        location=Location("test.txt", line),
    )


def expense(units: str, cost: str, code: str, *, on: date = DAY, text: str = "Expense", keeper: str | None = None,
            kind: LineItemType = LineItemType.EXPENSE, line: int | None = None) -> LineItem:
    return LineItem(
        number=str(line or 1), type=kind, date=on, units=Decimal(units), unit_cost=Decimal(cost),
        total=Decimal(units) * Decimal(cost), expense_code=code, description=text,
        timekeeper=Timekeeper(keeper) if keeper else None, location=Location("test.txt", line),
    )


def invoice(*items: LineItem, number: str = "INV-1", on: date = date(2024, 3, 31), matter: str = "M-1",
            firm: str = "12-3456789", end: date = date(2024, 3, 31)) -> Invoice:
    return Invoice(
        number=number, date=on, client=Client("C-1"), law_firm=LawFirm(firm),
        total=sum((item.total for item in items), Decimal(0)), billing_start=date(end.year, end.month, 1),
        billing_end=end, matters=(Matter(matter, line_items=items),), location=Location("test.txt", 1),
    )


def run(name: str, *invoices: Invoice, timekeepers=None, context: Context | None = None, **options) -> list[Finding]:
    """Run one guideline rule over ``invoices`` as one run (its ``finish`` too); the findings in order."""
    rule = RULES_BY_NAME[name]
    context = context or Context(timekeepers, code_sets())
    settings = {**rule.options, **options}
    found: list[Finding] = []

    def report(message, *, record=None, field=None, amount=None, hint=None, invoice=None):
        found.append(Finding(message, record, field, amount, invoice))

    for each in invoices:
        rule.check(each, report, settings, context)
    if rule.finish is not None:
        rule.finish(report, settings, context)
    return found


def amounts(findings: list[Finding]) -> list[Decimal | None]:
    return [finding.amount for finding in findings]


PARTNER = ApprovedTimekeeper(
    "22547", "Arnsley, Robert", "PARTNR",
    (RatePeriod(Decimal("325"), None, date(2023, 12, 31)), RatePeriod(Decimal("350"), date(2024, 1, 1)),
     RatePeriod(Decimal("360"), date(2024, 7, 1), date(2024, 12, 31))),
)
APPROVED = {"22547": PARTNER, "45875": ApprovedTimekeeper("45875", None, "ASSOC", (RatePeriod(Decimal("200")),))}


# ----------------------------------------------------------------- the rules as a set
def test_guideline_rules_are_off_without_guidelines_and_on_when_their_level_is_set(tmp_path: Path):
    text = LOC_SAMPLE.read_text(encoding="utf-8").replace("|2.00|0|700|", "|9.00|0|3150|").replace("1684.45", "4134.45")
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    assert ledes.validate_file(path).diagnostics == ()
    (finding,) = ledes.validate_file(path, Config(levels={"time.long-entry": "warning"})).diagnostics
    assert (finding.rule, finding.line, finding.amount) == ("time.long-entry", 4, Decimal("350.00"))
    rules = {d.rule for d in ledes.validate([path], Config(guidelines=True)).files[0].diagnostics}
    # 2 + 9 hours on 19990115; and "Telephone conference with John Doe" does not say what about
    assert rules == {"time.long-entry", "time.daily-hours", "narrative.vague"}


def test_every_guideline_rule_is_documented_with_its_money_at_stake():
    guideline_rules = [rule for rule in ALL_RULES if rule.guideline]
    assert len(guideline_rules) >= 21
    for rule in guideline_rules:
        assert "Money at stake:" in rule.doc, rule.name


# ----------------------------------------------------------------- time.daily-hours: one run, many files
def _loc_file(folder: Path, name: str, number: str, hours: str) -> Path:
    """The LOC sample with 22547's second line on 19990115 at ``hours`` and its own invoice number."""
    total = Decimal(hours) * 350
    text = LOC_SAMPLE.read_text(encoding="utf-8")
    text = text.replace("|2.00|0|700|", f"|{hours}|0|{total}|")
    text = text.replace("1684.45", str(Decimal("984.45") + total)).replace("|96542|", f"|{number}|")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_daily_hours_add_up_across_the_files_of_one_run(tmp_path: Path):
    first = _loc_file(tmp_path, "january.txt", "96542", "4.00")  # 2 + 4 = 6 h on 19990115
    second = _loc_file(tmp_path, "january-b.txt", "96550", "4.00")  # 6 more: 12 h
    config = Config(guidelines=True, levels={"duplicate": "off", "invoice.duplicate-number": "off", "narrative": "off"})
    assert ledes.validate([first], config).files[0].diagnostics == ()
    report = ledes.validate([first, second], config)
    assert report.files[0].diagnostics == ()
    (finding,) = report.files[1].diagnostics
    assert finding.rule == "time.daily-hours"
    assert finding.location.path == str(second) and finding.line == 4  # the line that crossed 10 h
    assert finding.invoice == "96550"
    assert finding.amount == Decimal("700.00")  # 12 - 10 = 2 h at 350
    assert "12.00 hours" in finding.message


def test_a_repeat_in_another_file_names_that_file(tmp_path: Path):
    first = _loc_file(tmp_path, "january.txt", "96542", "2.00")
    second = _loc_file(tmp_path, "copy.txt", "96550", "2.00")
    report = ledes.validate([first, second], Config(guidelines=True, levels={"narrative": "off"}))
    found = {(d.rule, d.line): d.message for d in report.files[1].diagnostics}
    assert set(found) == ({("duplicate.line-item", n) for n in (3, 4, 5)} | {("duplicate.expense", n) for n in (6, 7)}
                          | {("invoice.duplicate-number", 8)})
    assert found[("duplicate.line-item", 3)].endswith(f"as line 3 of {first}")
    assert found[("duplicate.expense", 6)].endswith(f"as line 6 of {first}: a potential duplicate expense")
    assert found[("invoice.duplicate-number", 8)].endswith(f"already used at line 8 of {first}")


def test_daily_hours_are_reported_on_each_line_past_the_limit():
    lines = [fee("4.0", "350", line=n) for n in (1, 2, 3, 4)]  # 16 h: crosses on the third line
    other_day = fee("11.0", "350", on=date(2024, 3, 5), line=5)
    other_keeper = fee("11.0", "200", keeper="45875", line=6)
    second = invoice(*lines[2:], other_day, other_keeper, number="INV-2")
    findings = run("time.daily-hours", invoice(*lines[:2]), second)
    assert [(f.record.number, f.invoice, f.amount) for f in findings] == [
        ("3", "INV-2", Decimal("700.00")),  # the crossing line: 2 h over at 350
        ("4", "INV-2", Decimal("1400.00")),  # every hour of the next line is over
        ("5", "INV-2", Decimal("350.00")),
        ("6", "INV-2", Decimal("200.00")),
    ]


def test_daily_hours_are_counted_per_law_firm():
    findings = run("time.daily-hours", invoice(fee("6.0", "350")), invoice(fee("6.0", "350"), firm="98-7654321"))
    assert findings == []


# ----------------------------------------------------------------- rates: effective-dated approved rates
@pytest.mark.parametrize(
    ("day", "rate"),
    [
        (date(2023, 12, 31), Decimal("325")),
        (date(2024, 1, 1), Decimal("350")),
        (date(2024, 6, 30), Decimal("350")),
        (date(2024, 7, 1), Decimal("360")),  # the latest-starting period covering the day wins
        (date(2025, 1, 1), Decimal("350")),  # 360 ended; 350 is open-ended
        ("20240101", None),  # an unparsed date
    ],
)
def test_rate_on_picks_the_period_covering_the_date(day, rate):
    assert PARTNER.rate_on(day) == rate


def test_rate_on_is_none_outside_every_period():
    keeper = ApprovedTimekeeper("1", rates=(RatePeriod(Decimal("300"), date(2024, 1, 1), date(2024, 12, 31)),))
    assert keeper.rate_on(date(2023, 12, 31)) is None and keeper.rate_on(date(2025, 1, 1)) is None


def test_rate_cap_uses_the_rate_approved_on_the_line_date():
    december = fee("2.0", "350", on=date(2023, 12, 29), line=1)  # approved 325 then
    january = fee("2.0", "350", on=date(2024, 1, 2), line=2)
    july = fee("1.5", "375", on=date(2024, 7, 1), line=3)  # approved 360 then
    findings = run("rates.cap", invoice(december, january, july), timekeepers=APPROVED)
    assert [(f.record.number, f.amount) for f in findings] == [("1", Decimal("50.00")), ("3", Decimal("22.50"))]
    assert findings[0].field == "line_item.unit_cost"


def test_rate_cap_takes_the_approved_rate_before_the_classification_cap():
    """The timekeeper's approved rate is the limit, above or below the cap (Mitratech CSM: TK rate, then vendor, then
    global; Brightflag: matter rates override general rates); the cap holds a timekeeper the list gives no rate for."""
    line = fee("0.5", "250", keeper="45875", classification="ASSOC")
    (approved_only,) = run("rates.cap", invoice(line), timekeepers=APPROVED)
    assert approved_only.amount == Decimal("25.00")  # 0.5 h × (250 − 200)
    (below_cap,) = run("rates.cap", invoice(line), timekeepers=APPROVED, caps={"assoc": Decimal("180")})
    assert below_cap.amount == Decimal("25.00") and "approved rate 200" in below_cap.message
    assert run("rates.cap", invoice(fee("0.5", "240", keeper="45875", classification="ASSOC")), timekeepers=APPROVED,
               caps={"assoc": Decimal("300")}) != []  # above the approved rate, within the cap
    unrated = {"45875": ApprovedTimekeeper("45875", None, "ASSOC")}  # approved, with no rate: the cap holds
    (capped,) = run("rates.cap", invoice(line), timekeepers=unrated, caps={"assoc": Decimal("180")})
    assert capped.amount == Decimal("35.00") and "ASSOC cap 180" in capped.message


def test_rate_cap_reports_a_date_no_approved_rate_covers_with_the_line_at_stake():
    """Brightflag's "No Timekeeper Rate Submitted for Time Period": a timekeeper whose rates cover other dates only."""
    later = {"45875": ApprovedTimekeeper("45875", None, "ASSOC", (RatePeriod(Decimal("200"), date(2024, 2, 1)),))}
    line = fee("2.0", "150", keeper="45875", classification="ASSOC", on=date(2024, 1, 15))
    (finding,) = run("rates.cap", invoice(line), timekeepers=later, caps={"ASSOC": Decimal("400")})
    assert finding.message == "45875 has no approved rate on 2024-01-15: the client's list approves 200 from 2024-02-01"
    assert finding.amount == Decimal("300.00")
    covered = fee("2.0", "150", keeper="45875", classification="ASSOC", on=date(2024, 2, 1))
    assert run("rates.cap", invoice(covered), timekeepers=later) == []


def test_rate_cap_applies_classification_caps_without_an_approved_list():
    line = fee("2.0", "450", keeper="77777", classification="PARTNR")
    (finding,) = run("rates.cap", invoice(line), caps={"PARTNR": "400"})
    assert finding.amount == Decimal("100.00")
    assert run("rates.cap", invoice(line)) == []


# ----------------------------------------------------------------- rates.increase
def test_rate_increase_compares_with_earlier_invoices_of_the_run():
    january = invoice(fee("2.0", "350"), number="1", on=date(2024, 1, 31))
    february = invoice(fee("2.0", "375", on=date(2024, 2, 5)), number="2", on=date(2024, 2, 29))
    (finding,) = run("rates.increase", january, february)
    assert finding.amount == Decimal("50.00") and finding.record.unit_cost == Decimal("375")
    # a later invoice read first is not an earlier rate; a different matter has its own rates
    assert run("rates.increase", february, january) == []
    other_matter = attrs.evolve(february, matters=(attrs.evolve(february.matters[0], law_firm_matter_id="M-2"),))
    assert run("rates.increase", january, other_matter) == []


def test_rate_increase_within_one_invoice_counts_only_during_a_freeze():
    raised = invoice(fee("1.0", "375", on=date(2024, 3, 20), line=2), fee("1.0", "350", on=date(2024, 3, 4), line=1))
    assert run("rates.increase", raised) == []
    (finding,) = run("rates.increase", raised, freeze_until="2024-06-30")
    assert finding.record.number == "2" and finding.amount == Decimal("25.00") and "freeze" in finding.message
    assert run("rates.increase", raised, freeze_until="2024-03-19") == []  # the raised line is dated after it
    assert len(run("rates.increase", raised, freeze_until="2024-03-30")) == 1  # the invoice is, not its lines


def test_rate_increase_rejects_a_freeze_that_is_not_a_date():
    with pytest.raises(LedesConfigError, match="rates.increase.freeze_until"):
        run("rates.increase", invoice(fee("1.0", "350")), freeze_until="next June")


# ----------------------------------------------------------------- time entries: money at stake
def test_increment_money_at_stake_is_the_part_above_the_last_increment():
    (finding,) = run("time.increment", invoice(fee("1.25", "400"), fee("1.3", "400")))
    assert finding.amount == Decimal("20.00")  # 0.05 h × 400
    assert run("time.increment", invoice(fee("1.25", "400")), increment=Decimal("0.25")) == []
    with pytest.raises(LedesConfigError):
        run("time.increment", invoice(fee("1.25", "400")), increment=Decimal("0"))


@pytest.mark.parametrize("step", ["0.0833", "0.07", "0.3", "2"])
def test_an_increment_that_does_not_divide_an_hour_is_refused(step: str):
    """Five minutes (1/12 h) has no decimal: 0.0833 would put every whole hour off the increment."""
    with pytest.raises(LedesConfigError, match="time.increment.increment: expected an increment that divides an hour"):
        run("time.increment", invoice(fee("1.0", "400")), increment=Decimal(step))


@pytest.mark.parametrize("step", ["0.05", "0.1", "0.2", "0.25", "0.5", "1"])
def test_an_increment_that_divides_an_hour_passes_whole_hours(step: str):
    assert run("time.increment", invoice(fee("1.0", "400"), fee("3", "400")), increment=Decimal(step)) == []


def test_long_entry_money_at_stake():
    (finding,) = run("time.long-entry", invoice(fee("9.5", "200"), fee("8.0", "200")))
    assert finding.amount == Decimal("300.00")


def test_travel_is_billed_at_the_allowed_share_of_the_full_rate():
    work = fee("1.0", "350", line=1, text="Draft brief")
    full = fee("3.0", "350", line=2, text="Travel to Chicago for hearing")
    halved_by_adjustment = fee("3.0", "350", line=3, text="Flight to Chicago", adjustment="-525")
    coded = fee("2.0", "350", line=4, text="Return", activity="A112")
    findings = run("time.travel", invoice(work, full, halved_by_adjustment, coded))
    assert [(f.record.number, f.amount) for f in findings] == [("2", Decimal("525.00")), ("4", Decimal("350.00"))]
    (unpaid,) = run("time.travel", invoice(work, full), percent=Decimal("0"))
    assert unpaid.amount == Decimal("1050.00")


def test_travel_full_rate_comes_from_the_approved_list_else_is_unknown():
    alone = fee("2.0", "175", text="Drive to client site")  # half of 350, the only line
    assert run("time.travel", invoice(alone)) == []  # no other rate to compare with
    assert run("time.travel", invoice(alone), timekeepers=APPROVED) == []  # 175 is half of the approved 350
    (finding,) = run("time.travel", invoice(fee("2.0", "300", text="Drive to client site")), timekeepers=APPROVED)
    assert finding.amount == Decimal("250.00")  # 600 − 2 h × 350 × 50 %


def test_multiple_attendees_reports_each_extra_attendee_once():
    lines = [
        fee("3.0", "350", keeper="1", text="Attend deposition of J. Smith", line=1),
        fee("3.0", "200", keeper="2", text="Attend deposition of J. Smith; meeting with client after", line=2),
        fee("3.0", "150", keeper="3", text="Deposition of J. Smith and meeting with client: take notes", line=3),
        fee("1.0", "350", keeper="1", text="Trial preparation", on=date(2024, 3, 5), line=4),
        fee("1.0", "200", keeper="2", text="Trial preparation", on=date(2024, 3, 6), line=5),
    ]
    findings = run("time.multiple-attendees", invoice(*lines))
    assert [(f.record.number, f.amount) for f in findings] == [("2", Decimal("600")), ("3", Decimal("450"))]
    assert "3 timekeepers (1, 2, 3)" in findings[0].message


def test_work_on_an_event_before_or_after_it_is_not_attendance():
    """Preparing a deposition outline or summarizing a transcript names the deposition but is not attending it."""
    attend = fee("3.0", "350", keeper="22547", text="Attend deposition of J. Smith", line=1)
    for other in ("Draft outline for deposition of J. Smith", "Summarize deposition transcript of K. Jones",
                  "Prepare witness for hearing on motion to dismiss", "Review trial exhibits"):
        assert run("time.multiple-attendees", invoice(attend, fee("2.0", "200", keeper="45875", text=other, line=2))) == []
    for both in ("Prepare for and attend deposition of J. Smith", "Deposition of J. Smith: take notes",
                 "Review documents at the deposition of J. Smith"):
        found = run("time.multiple-attendees", invoice(attend, fee("2.0", "200", keeper="45875", text=both, line=2)))
        assert [f.record.number for f in found] == ["2"], both


def test_travel_words_name_the_journey_not_any_flight():
    work = fee("1.0", "350", line=1, text="Draft brief")
    assert run("time.travel", invoice(work, fee("3.0", "350", line=2, text="Analyze flight data recorder report"))) == []
    assert len(run("time.travel", invoice(work, fee("3.0", "350", line=2, text="Flight to Chicago for hearing")))) == 1


# ----------------------------------------------------------------- expenses
def test_unit_cost_cap_money_at_stake():
    (finding,) = run("expense.unit-cost-cap", invoice(expense("120", "0.25", "e101"), expense("10", "0.10", "E101")))
    assert finding.amount == Decimal("18.00")


def test_daily_cap_counts_the_crossing_part_then_every_later_line_in_full():
    meals = [expense("1", amount, "E111", keeper="22547", line=n) for n, amount in ((1, "50"), (2, "40"), (3, "20"))]
    other_day = expense("1", "70", "E111", keeper="22547", on=date(2024, 3, 5), line=4)
    findings = run("expense.daily-cap", invoice(*meals[:2]), invoice(meals[2], other_day, number="INV-2"))
    assert [(f.record.number, f.amount) for f in findings] == [("2", Decimal("15.00")), ("3", Decimal("20.00"))]


# ----------------------------------------------------------------- the guidelines' currency
def _in(currency: str | None, bill: Invoice) -> Invoice:
    return attrs.evolve(bill, currency=currency)


def test_caps_are_not_applied_to_an_invoice_in_another_currency():
    usd = Context(None, code_sets(), currency="USD")
    copies = invoice(expense("120", "0.25", "E101"))
    meals = invoice(expense("1", "80", "E111", keeper="22547"))
    partner = invoice(fee("2.0", "450", keeper="77777", classification="PARTNR"))
    for bill, rule, options in ((copies, "expense.unit-cost-cap", {}), (meals, "expense.daily-cap", {}),
                                (partner, "rates.cap", {"caps": {"PARTNR": "400"}})):
        assert run(rule, _in("JPY", bill), context=usd, **options) == []  # the caps are dollars
        assert len(run(rule, _in("usd ", bill), context=usd, **options)) == 1  # the same currency, however written
        assert len(run(rule, _in(None, bill), context=usd, **options)) == 1  # 1998B states none: the guidelines'
        assert len(run(rule, _in("JPY", bill), **options)) == 1  # guidelines without a currency: every invoice


def test_daily_cap_never_adds_two_currencies_together():
    dollars = _in("USD", invoice(expense("1", "50", "E111", keeper="22547")))
    euros = _in("EUR", invoice(expense("1", "50", "E111", keeper="22547", line=2), number="INV-2"))
    assert run("expense.daily-cap", dollars, euros) == []  # 50 USD and 50 EUR: neither day is over 75
    assert len(run("expense.daily-cap", dollars, attrs.evolve(euros, currency="USD"))) == 1


def test_rate_increase_never_compares_two_currencies():
    january = _in("USD", invoice(fee("2.0", "350"), number="1", on=date(2024, 1, 31)))
    february = _in("EUR", invoice(fee("2.0", "375", on=date(2024, 2, 5)), number="2", on=date(2024, 2, 29)))
    assert run("rates.increase", january, february) == []
    assert len(run("rates.increase", january, attrs.evolve(february, currency="USD"))) == 1


def test_duplicate_expense_is_the_same_timekeeper_date_code_and_amount():
    meal = expense("1", "24.95", "E111", keeper="22547", line=1, text="Dinner")
    again = expense("1", "24.95", "e111 ", keeper="22547", line=2, text="Dinner with client")
    (found,) = run("duplicate.expense", invoice(meal, again))
    assert found.record.number == "2" and found.amount == Decimal("24.95")
    colleague = expense("1", "24.95", "E111", keeper="45875", line=2)
    next_day = expense("1", "24.95", "E111", keeper="22547", line=2, on=date(2024, 3, 5))
    dearer = expense("1", "25.00", "E111", keeper="22547", line=2)
    for other in (colleague, next_day, dearer):
        assert run("duplicate.expense", invoice(meal, other)) == []
    assert len(run("duplicate.expense", invoice(meal), invoice(again, number="INV-2"))) == 1  # across invoices


def test_not_reimbursable_by_code_or_whole_word():
    lines = [
        expense("1", "30", "E103", text="Word processing", line=1),
        expense("1", "45", "E124", text="CLE seminars", line=2),
        expense("1", "60", "E124", text="Cleaning of exhibits", line=3),
        expense("1", "80", "E110", text="First-class airfare", line=4),
    ]
    findings = run("expense.not-reimbursable", invoice(*lines))
    assert [(f.record.number, f.field, f.amount) for f in findings] == [
        ("1", "line_item.expense_code", Decimal("30")),
        ("2", "line_item.description", Decimal("45")),
        ("4", "line_item.description", Decimal("80")),
    ]


# ----------------------------------------------------------------- codes
def test_task_code_sets_option():
    lines = invoice(fee("1.0", "300", task="B110", line=1), fee("1.0", "300", task="L120", line=2))
    assert [f.record.number for f in run("utbms.task-code", lines)] == ["1"]
    assert run("utbms.task-code", lines, sets=()) == []  # any task set
    assert [f.record.number for f in run("utbms.task-code", lines, sets=("B",))] == ["2"]
    with pytest.raises(LedesConfigError, match="utbms.task-code.sets: no code set 'Q'"):
        run("utbms.task-code", lines, sets=("Q",))
    with pytest.raises(LedesConfigError, match="holds expense codes"):
        run("utbms.task-code", lines, sets=("E",))


def test_codes_include_the_clients_own_codes():
    line = invoice(fee("1.0", "300", task="L199"))
    assert len(run("utbms.task-code", line)) == 1
    custom = Context(None, with_custom(code_sets(), {"L": [("L199", "Other case assessment", "L100")]}))
    assert run("utbms.task-code", line, context=custom) == []


def test_expense_code_on_adjustments_when_configured_and_never_on_fees():
    adjustment = expense("1", "-50", "", kind=LineItemType.EXPENSE_ADJUSTMENT, line=1)
    on_fee = attrs.evolve(fee("1.0", "300", line=2), expense_code="E101")
    assert [f.record.number for f in run("utbms.expense-code", invoice(adjustment, on_fee))] == ["2"]
    found = run("utbms.expense-code", invoice(adjustment, on_fee), required_on=("E", "IE"))
    assert [f.record.number for f in found] == ["1", "2"]


@pytest.mark.parametrize(("task", "phase"), [("L100", True), ("L110", False), ("C100", False), ("B100", True),
                                            ("P100", False), ("P200", True), ("l500", True)])
def test_phase_billed(task: str, phase: bool):
    assert bool(run("utbms.phase-billed", invoice(fee("1.0", "300", task=task)))) is phase


# ----------------------------------------------------------------- timekeepers, duplicates, submission
def test_timekeeper_rules_need_an_approved_list():
    stranger = invoice(fee("1.0", "300", keeper="99999"), fee("1.0", "300", keeper="45875", classification="PARTNR"))
    assert run("timekeeper.not-approved", stranger) == [] and run("timekeeper.classification", stranger) == []
    assert [f.amount for f in run("timekeeper.not-approved", stranger, timekeepers=APPROVED)] == [Decimal("300.0")]
    (finding,) = run("timekeeper.classification", stranger, timekeepers=APPROVED)
    assert "approved them as ASSOC" in finding.message


def test_duplicate_line_item_across_invoices_of_a_run():
    entry = fee("2.0", "350", text="Draft  motion to compel")
    again = attrs.evolve(fee("2.00", "350", text="draft motion to compel"), number="7")
    other_task = fee("2.0", "350", task="L130")
    findings = run("duplicate.line-item", invoice(entry), invoice(again, other_task, number="INV-2"))
    assert [(f.record.number, f.amount) for f in findings] == [("7", Decimal("700.000"))]


def test_duplicate_invoice_number_is_per_law_firm():
    first, again = invoice(fee("1.0", "300")), invoice(fee("2.0", "300"))
    other_firm = invoice(fee("1.0", "300"), firm="98-7654321")
    findings = run("invoice.duplicate-number", first, other_firm, again)
    assert [(f.record is again, f.amount) for f in findings] == [(True, Decimal("600.0"))]


def test_late_and_aged_charges_boundaries():
    on_time = invoice(fee("1.0", "300"), on=date(2024, 5, 30))  # 60 days after 2024-03-31
    late = invoice(fee("1.0", "300"), on=date(2024, 5, 31))
    assert run("invoice.late", on_time) == []
    assert amounts(run("invoice.late", late)) == [Decimal("300.0")]
    old = fee("1.0", "300", on=date(2023, 10, 3), line=1)  # 180 days before 2024-03-31
    older = fee("1.0", "300", on=date(2023, 10, 2), line=2)
    credit = expense("1", "-100", "", kind=LineItemType.FEE_ADJUSTMENT, on=date(2023, 1, 1), line=3)
    assert [f.record.number for f in run("invoice.aged-charges", invoice(old, older, credit))] == ["2"]


def test_staffing_counts_the_timekeepers_with_the_fewest_hours_as_extra():
    team = [fee(hours, "200", keeper=keeper, line=n)
            for n, (keeper, hours) in enumerate([("1", "5.0"), ("2", "0.5"), ("3", "3.0"), ("4", "0.5")], 1)]
    found = run("staffing.max-timekeepers", invoice(*team), max=2)
    assert [(f.record.number, f.amount) for f in found] == [("2", Decimal("100.00")), ("4", Decimal("100.00"))]
    assert "2 is past the cap (fewest hours: 2 (0.5 h), 4 (0.5 h))" in found[0].message
    assert run("staffing.max-timekeepers", invoice(*team)) == []
