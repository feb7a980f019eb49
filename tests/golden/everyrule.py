"""A generated LEDES 1998BI file where every rule that a pipe file can break fires (for the golden findings).

Four invoices of realistic lines (several timekeepers, varied narratives, VAT on fees, correct
arithmetic), then one change per rule: a value the rule rejects, each on its own line, so that
each finding shows one rule. Deterministic: the same bytes on every run.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ledes.formats.ledes1998bi import table

NAMES = table.HEADER.removesuffix("[]").split("|")
CENT = Decimal("0.01")
VAT = Decimal("0.2")
TIMEKEEPERS = [
    ("22547", "Arnsley, Robert", "PARTNR", Decimal("350")),
    ("45875", "Beaster, John", "ASSOC", Decimal("200")),
    ("50931", "Lindqvist, Maja", "PARALG", Decimal("120")),
]
NARRATIVES = [
    "Draft motion to compel production of the insurer's claim file and supporting memorandum",
    "Review plaintiff's second amended complaint and outline the grounds for a motion to dismiss",
    "Analyze coverage position under the excess policy and summarize the exclusions for the client",
    "Revise responses to the second set of interrogatories after comments from the claims manager",
    "Research the economic loss doctrine in Delaware and prepare a short note on its limits",
    "Prepare the privilege log for the third production volume and confer on redactions",
]
TASKS = ["L110", "L120", "L210", "L310", "L320"]
ACTIVITIES = ["A101", "A102", "A103", "A104"]
LINES_PER_INVOICE = 20

Row = dict[str, str]


def base_invoices(seed: int = 2024) -> list[list[Row]]:
    """Four invoices with correct arithmetic, as rows of field name → value (totals still to be filled in)."""
    rng = random.Random(seed)
    invoices = []
    for index in range(4):
        start = date(2024, 1 + 2 * index, 1)
        end = start + timedelta(days=27)
        rows = []
        for number in range(1, LINES_PER_INVOICE + 1):
            row = dict.fromkeys(NAMES, "")
            row.update(
                INVOICE_DATE=f"{end + timedelta(days=10):%Y%m%d}", INVOICE_NUMBER=f"INV-{7001 + index}",
                CLIENT_ID="NWI-01", LAW_FIRM_MATTER_ID="2024-118", BILLING_START_DATE=f"{start:%Y%m%d}",
                BILLING_END_DATE=f"{end:%Y%m%d}", INVOICE_DESCRIPTION="Coverage litigation",
                LINE_ITEM_NUMBER=str(number), LINE_ITEM_ADJUSTMENT_AMOUNT="0",
                LINE_ITEM_DATE=f"{start + timedelta(days=number % 27):%Y%m%d}", LAW_FIRM_ID="24-6437381",
                CLIENT_MATTER_ID="CM-118", PO_NUMBER="PO-4471", CLIENT_TAX_ID="GB123456789",
                MATTER_NAME="Coverage dispute", INVOICE_CURRENCY="GBP", ACCOUNT_TYPE="O",
                LAW_FIRM_NAME="Law Offices of John Smith", LAW_FIRM_ADDRESS_1="One Fleet Street",
                LAW_FIRM_CITY="London", LAW_FIRM_POSTCODE="EC2A 2EG", LAW_FIRM_COUNTRY="GBR",
                CLIENT_NAME="Northwind Insurance", CLIENT_ADDRESS_1="One Times Square", CLIENT_CITY="New York",
                CLIENT_STATEorREGION="NY", CLIENT_POSTCODE="10036", CLIENT_COUNTRY="USA", LINE_ITEM_TAX_TYPE="VAT",
                INVOICE_TAX_CURRENCY="GBP",
            )
            if number % 5:
                tk_id, tk_name, tk_class, rate = TIMEKEEPERS[number % len(TIMEKEEPERS)]
                last, _, first = tk_name.partition(", ")
                row.update({"EXP/FEE/INV_ADJ_TYPE": "F"}, LINE_ITEM_NUMBER_OF_UNITS=str(rng.randint(2, 30) / 10),
                           LINE_ITEM_TASK_CODE=rng.choice(TASKS), LINE_ITEM_ACTIVITY_CODE=rng.choice(ACTIVITIES),
                           TIMEKEEPER_ID=tk_id, LINE_ITEM_DESCRIPTION=rng.choice(NARRATIVES),
                           LINE_ITEM_UNIT_COST=str(rate), TIMEKEEPER_NAME=tk_name, TIMEKEEPER_CLASSIFICATION=tk_class,
                           TIMEKEEPER_LAST_NAME=last, TIMEKEEPER_FIRST_NAME=first, LINE_ITEM_TAX_RATE=str(VAT))
            else:
                row.update({"EXP/FEE/INV_ADJ_TYPE": "E"}, LINE_ITEM_NUMBER_OF_UNITS=str(rng.randint(10, 90)),
                           LINE_ITEM_EXPENSE_CODE="E101", LINE_ITEM_DESCRIPTION="Photocopies of the production set",
                           LINE_ITEM_UNIT_COST="0.10", LINE_ITEM_TAX_RATE="0")
            rows.append(row)
        invoices.append(rows)
    return invoices


def fill_totals(rows: list[Row]) -> None:
    """Each line's tax and total and the invoice's totals, computed as a correct invoice states them."""
    net = tax = Decimal(0)
    for row in rows:
        base = Decimal(row["LINE_ITEM_NUMBER_OF_UNITS"]) * Decimal(row["LINE_ITEM_UNIT_COST"])
        base = (base + Decimal(row["LINE_ITEM_ADJUSTMENT_AMOUNT"])).quantize(CENT)
        line_tax = (base * Decimal(row["LINE_ITEM_TAX_RATE"] or 0)).quantize(CENT)
        row.update(LINE_ITEM_TAX_TOTAL=str(line_tax), LINE_ITEM_TOTAL=str(base + line_tax))
        net, tax = net + base, tax + line_tax
    for row in rows:
        row.update(INVOICE_TOTAL=str(net + tax), INVOICE_NET_TOTAL=str(net), INVOICE_TAX_TOTAL=str(tax),
                   INVOICE_REPORTED_TAX_TOTAL=str(tax))


def _fee(invoice: list[Row], number: int) -> Row:
    row = invoice[number - 1]
    assert row["EXP/FEE/INV_ADJ_TYPE"] == "F", number
    return row


def content_changes(invoices: list[list[Row]]) -> None:
    """Changes that keep the arithmetic right (totals are computed after them): guideline and field rules."""
    first, second, third, fourth = invoices
    _fee(first, 1).update(LINE_ITEM_TASK_CODE="L999")  # utbms.task-code
    _fee(first, 2).update(LINE_ITEM_ACTIVITY_CODE="A999")  # utbms.activity-code
    first[4].update(LINE_ITEM_EXPENSE_CODE="E999")  # utbms.expense-code
    _fee(first, 3).update(LINE_ITEM_TASK_CODE="L100")  # utbms.phase-billed
    _fee(first, 4).update(TIMEKEEPER_CLASSIFICATION="ASSOC")  # timekeeper.classification (22547 is a partner)
    _fee(first, 6).update(TIMEKEEPER_ID="99001", TIMEKEEPER_NAME="Doe, Jane")  # timekeeper.not-approved
    _fee(first, 7).update(LINE_ITEM_UNIT_COST="425")  # rates.cap
    _fee(second, 3).update(LINE_ITEM_UNIT_COST="395")  # rates.increase (22547 at 350 in the first invoice)
    _fee(first, 8).update(LINE_ITEM_NUMBER_OF_UNITS="0.25")  # time.increment
    _fee(first, 9).update(LINE_ITEM_NUMBER_OF_UNITS="9.0", LINE_ITEM_DATE=first[10]["LINE_ITEM_DATE"])  # long entry
    _fee(first, 11).update(LINE_ITEM_NUMBER_OF_UNITS="6.0", TIMEKEEPER_ID="22547", TIMEKEEPER_NAME="Arnsley, Robert",
                           TIMEKEEPER_CLASSIFICATION="PARTNR", LINE_ITEM_UNIT_COST="350")  # time.daily-hours, with line 9
    for number in (12, 13):  # time.multiple-attendees: two timekeepers at one deposition
        _fee(second, number).update(LINE_ITEM_DESCRIPTION="Attend deposition of the claims adjuster",
                                    LINE_ITEM_DATE=second[0]["LINE_ITEM_DATE"])
    _fee(first, 13).update(LINE_ITEM_DESCRIPTION="Travel to Wilmington for the hearing on the motion to dismiss")
    _fee(first, 14).update(LINE_ITEM_DESCRIPTION="Review file")  # narrative.vague
    _fee(first, 16).update(LINE_ITEM_DESCRIPTION="Scan and index documents; update the calendar")  # administrative
    _fee(first, 17).update(LINE_ITEM_DESCRIPTION="Draft the motion to compel; telephone conference with the client"
                           " on the mediation; review the deposition transcript and revise the exhibit list")  # block
    first[14].update(LINE_ITEM_EXPENSE_CODE="E111", LINE_ITEM_DESCRIPTION="Working dinner", LINE_ITEM_UNIT_COST="95",
                     LINE_ITEM_NUMBER_OF_UNITS="1", TIMEKEEPER_ID="22547")  # expense.daily-cap
    second[4].update(LINE_ITEM_UNIT_COST="0.25")  # expense.unit-cost-cap
    second[9].update(LINE_ITEM_EXPENSE_CODE="E103", LINE_ITEM_DESCRIPTION="Word processing")  # expense.not-reimbursable
    third[14].update({name: third[9][name] for name in ("LINE_ITEM_DATE", "LINE_ITEM_EXPENSE_CODE", "LINE_ITEM_UNIT_COST",
                                                        "LINE_ITEM_NUMBER_OF_UNITS")})  # duplicate.expense
    for number, keeper in ((2, "31022"), (3, "60001"), (4, "70002")):  # staffing.max-timekeepers
        _fee(third, number).update(TIMEKEEPER_ID=keeper, TIMEKEEPER_CLASSIFICATION="ASSOC")
    third[6] = dict(_fee(third, 7))  # duplicate.line-item
    third[6]["LINE_ITEM_NUMBER"] = "7"
    third[7]["LINE_ITEM_NUMBER"] = "7"  # invoice.duplicate-line-number
    _fee(second, 2).update(LINE_ITEM_NUMBER_OF_UNITS="-1.0")  # field.negative-units
    _fee(third, 9).update(LINE_ITEM_ACTIVITY_CODE="NULL")  # field.null
    _fee(third, 16).update(LINE_ITEM_NUMBER_OF_UNITS="0")  # invoice.zero-value-line
    _fee(second, 4).update(TIMEKEEPER_CLASSIFICATION="BOSS")  # field.classification
    for row in fourth:  # invoice.late, invoice.aged-charges, period.order
        row.update(INVOICE_DATE="20250601", BILLING_START_DATE="20241231", BILLING_END_DATE="20240101")
    _fee(second, 14).update(LINE_ITEM_DATE="20200105")  # period.line-date
    for row in second:  # period.single-month: March 1 to April 2
        row.update(BILLING_END_DATE="20240402")
    for row in third:  # period.invoice-date: dated May 10, for work to May 27
        row.update(INVOICE_DATE="20240510")
    second[14].update(ACCOUNT_TYPE="X")  # field.account-type
    _fee(fourth, 2).update(TIMEKEEPER_CLASSIFICATION="CLKSEC")  # timekeeper.not-billable
    _fee(fourth, 3).update(LINE_ITEM_DESCRIPTION="Review the production documents for privilege, noting " + ", ".join(
        f"the custodian files of the {name} team" for name in ("claims", "underwriting", "audit", "finance") * 8))
    fourth[4].update(LINE_ITEM_EXPENSE_CODE="E110", LINE_ITEM_UNIT_COST="1750", LINE_ITEM_NUMBER_OF_UNITS="1",
                     LINE_ITEM_DESCRIPTION="Airfare to Wilmington, pre-approved by M. Lee")  # expense.line-cap
    fourth[9].update(LINE_ITEM_EXPENSE_CODE="E124", LINE_ITEM_UNIT_COST="650", LINE_ITEM_NUMBER_OF_UNITS="1",
                     LINE_ITEM_DESCRIPTION="Court reporter for the claims adjuster's deposition")  # expense.approval
    for row in (fourth[14], fourth[19]):  # invoice.adjustments: two IF lines, one allowed
        row.update({"EXP/FEE/INV_ADJ_TYPE": "IF"}, LINE_ITEM_EXPENSE_CODE="", LINE_ITEM_UNIT_COST="0",
                   LINE_ITEM_NUMBER_OF_UNITS="1", LINE_ITEM_ADJUSTMENT_AMOUNT="-50", LINE_ITEM_DESCRIPTION="Courtesy discount")
    _fee(fourth, 6).update(LAW_FIRM_MATTER_ID="2024-119", CLIENT_MATTER_ID="CM-119")  # invoice.max-matters
    for number in (7, 8, 11):  # rates.task-cap: 3 × 3.0 h × 350 of L160 on one matter, 2,500.00 allowed
        _fee(fourth, number).update(LINE_ITEM_TASK_CODE="L160", LINE_ITEM_NUMBER_OF_UNITS="3.0", TIMEKEEPER_ID="22547",
                                    TIMEKEEPER_NAME="Arnsley, Robert", TIMEKEEPER_CLASSIFICATION="PARTNR",
                                    LINE_ITEM_UNIT_COST="350", LINE_ITEM_ACTIVITY_CODE="A104",
                                    LINE_ITEM_DESCRIPTION="Draft the mediation statement for the claims manager")
    for number in (12, 13):  # time.research: 2.0 h and 2.0 h of research on one matter, 3 h allowed
        _fee(fourth, number).update(LINE_ITEM_ACTIVITY_CODE="A102", LINE_ITEM_NUMBER_OF_UNITS="2.0",
                                    LINE_ITEM_DESCRIPTION="Research Delaware law on the notice-prejudice rule")
    for row in third:  # invoice.known-ids: the firm's tax id with two digits swapped
        row.update(LAW_FIRM_ID="24-6437318")
    for row in third:  # invoice.tax-rates: a dollar invoice taxed at two rates
        row.update(INVOICE_CURRENCY="USD", INVOICE_TAX_CURRENCY="USD", LINE_ITEM_TAX_TYPE="SALES",
                   LINE_ITEM_TAX_RATE="0.0825" if row["LINE_ITEM_TAX_RATE"] not in ("", "0") else row["LINE_ITEM_TAX_RATE"])
    _fee(third, 2).update(LINE_ITEM_TAX_RATE="0.06")
    for row in fourth:  # invoice.number-format (a '/'), invoice.currency (EUR)
        row.update(INVOICE_NUMBER="INV/7004", INVOICE_CURRENCY="EUR", INVOICE_TAX_CURRENCY="EUR")


def arithmetic_changes(invoices: list[list[Row]]) -> None:
    """Changes after the totals: stated figures that disagree, values that are not values."""
    first, second, third, _fourth = invoices
    _fee(second, 6).update(LINE_ITEM_TOTAL="999.99")  # arithmetic.line-total
    _fee(second, 7).update(LINE_ITEM_TAX_TOTAL="1.00")  # arithmetic.line-tax
    for row in third:
        row.update(INVOICE_TOTAL="1.00", INVOICE_NET_TOTAL="2.00", INVOICE_TAX_TOTAL="3.00")  # invoice-*
    _fee(second, 8).update(LINE_ITEM_DATE="20241345")  # field.date
    _fee(second, 11).update(LINE_ITEM_UNIT_COST="2OO")  # field.number
    _fee(first, 19).update(LAW_FIRM_ID="")  # field.required
    _fee(third, 1).update(LINE_ITEM_TAX_RATE="1.5")  # field.tax-rate
    second[15].update({"EXP/FEE/INV_ADJ_TYPE": "Z"})  # field.line-type
    _fee(second, 9).update(CLIENT_MATTER_ID="M" * 40)  # field.length
    _fee(second, 17).update(INVOICE_DATE="20240501")  # invoice.consistent-fields
    _fee(second, 18).update(INVOICE_DESCRIPTION="Another description")  # invoice.consistent-description
    _fee(second, 19).update(INVOICE_CURRENCY="XYZ")  # field.currency
    _fee(first, 18).update(LINE_ITEM_TAX_TOTAL="12.345")  # field.currency-decimals


def record(row: Row) -> str:
    return "|".join(row[name] for name in NAMES) + "[]"


LineChange = Callable[[str], str]
RECORD_CHANGES: dict[tuple[int, int], LineChange] = {
    (0, 20): lambda line: line.replace("|GBP|", "|GBP|extra|", 1),  # structure.field-count
    (1, 20): lambda line: line.removesuffix("[]"),  # structure.terminator
    (1, 19): lambda line: "|".join(text + " []" if index == 18 else text  # structure.embedded-terminator
                                   for index, text in enumerate(line.split("|"))),
    (2, 20): lambda line: line.removesuffix("[]") + "|[]",  # structure.trailing-separator
    (2, 12): lambda line: line.replace("Draft", "Draft\nthe", 1).replace("Review", "Review\nthe", 1),  # line-break
}


def write_every_rule_file(path: Path) -> Path:
    """Write the file (Windows-1252 bytes in one narrative, for structure.encoding) and return its path."""
    invoices = base_invoices()
    content_changes(invoices)
    for rows in invoices:
        fill_totals(rows)
    arithmetic_changes(invoices)
    lines = [table.FORMAT_LINE, table.HEADER]
    for index, rows in enumerate(invoices):
        for number, row in enumerate(rows, 1):
            change = RECORD_CHANGES.get((index, number), lambda line: line)
            lines.append(change(record(row)))
    lines.insert(30, lines.pop(60))  # invoice.non-contiguous: a line of the second invoice inside the first
    lines.append(lines[3].replace("INV-7001", "INV-7002"))  # invoice.duplicate-number: another INV-7002 later
    text = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    data = text.replace(b"Coverage dispute", "Coverage d\xe9cision".encode("cp1252"), 1)
    path.write_bytes(data)
    return path
