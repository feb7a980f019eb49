"""Invoice files the report tests generate: a 30-character matter name over 100 million in 1999 and 2024, and 5,000 matters."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from report_support import ROOT

VAT_SAMPLE = ROOT / "fixtures" / "1998bi" / "valid" / "multi_matter_vat.txt"
LONG_MATTER_NAME = "Northwind Holdings Acquisition"  # 30 characters
MATTERS = 5000
HEADER_1998B = (
    "INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|BILLING_END_DATE|"
    "INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|LINE_ITEM_ADJUSTMENT_AMOUNT|"
    "LINE_ITEM_TOTAL|LINE_ITEM_DATE|LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|LINE_ITEM_ACTIVITY_CODE|TIMEKEEPER_ID|"
    "LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]"
)


def long_name_file(folder: Path) -> Path:
    """LEDES 1998BI in GBP: a fee in January 1999 and one of 125,000,000.00 in January 2024, on a 30-character matter."""
    format_line, header, first, *_ = VAT_SAMPLE.read_text(encoding="utf-8").splitlines()
    names = header.removesuffix("[]").split("|")
    template = dict(zip(names, first.removesuffix("[]").split("|"), strict=True))

    def row(number: str, year: int, units: str, rate: str) -> str:
        total = str(Decimal(units) * Decimal(rate))
        values = {
            **template, "INVOICE_NUMBER": number, "INVOICE_DATE": f"{year}0215", "BILLING_START_DATE": f"{year}0101",
            "BILLING_END_DATE": f"{year}0131", "LINE_ITEM_DATE": f"{year}0112", "LINE_ITEM_NUMBER": "1",
            "LINE_ITEM_NUMBER_OF_UNITS": units, "LINE_ITEM_UNIT_COST": rate, "LINE_ITEM_ADJUSTMENT_AMOUNT": "0",
            "LINE_ITEM_TOTAL": total, "INVOICE_TOTAL": total, "INVOICE_NET_TOTAL": total, "LINE_ITEM_TAX_RATE": "0",
            "LINE_ITEM_TAX_TOTAL": "0", "INVOICE_TAX_TOTAL": "0", "INVOICE_REPORTED_TAX_TOTAL": "0",
            "LAW_FIRM_MATTER_ID": "1326", "CLIENT_MATTER_ID": "425-936", "MATTER_NAME": LONG_MATTER_NAME,
        }
        return "|".join(values[name] for name in names) + "[]"

    path = folder / "long_matter_name.txt"
    lines = [format_line, header, row("NW-1999-01", 1999, "3.5", "350"), row("NW-2024-01", 2024, "250000", "500")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def many_matters_file(folder: Path, matters: int = MATTERS) -> Path:
    """LEDES 1998B: one invoice of one fee on each of ``matters`` matters, amounts in no order (so file order is not size)."""
    amounts = [Decimal((index * 7919) % matters + 1) * 10 for index in range(matters)]
    total = sum(amounts)
    rows = [
        f"20230331|MANY-1|00711|M-{index:05d}|{total}|20230301|20230331|Many matters|{index + 1}|F|1|0|{amount}|"
        f"20230315|L120||A104|22547|Review|24-6437381|{amount}|Arnsley, Robert|PARTNR|CM-{index:05d}[]"
        for index, amount in enumerate(amounts)
    ]
    path = folder / "many_matters.txt"
    path.write_text("\n".join(["LEDES1998B[]", HEADER_1998B, *rows]) + "\n", encoding="utf-8")
    return path
