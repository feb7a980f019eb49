"""Rows converted from what earlier good rows gave (look-ups) give what every check gives: the same entries, errors and roundings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledes.importing.entries import RowConverter, column_indexes
from ledes.importing.mapping import load_mapping
from ledes.importing.pricing import HoursRule
from ledes.importing.values import ValueReader
from ledes.rules.base import ApprovedTimekeeper, RatePeriod

HEADER = ("Date", "Type", "Client", "Matter", "Ref", "TK", "Name", "Class", "Hours", "Qty", "Rate", "Cost", "Amount",
          "Task", "Activity", "Code", "Text")
# Every field mapped, with rates in the rows; or no type, rate or amount column (rates from the tables) and
# quantity and unit cost columns for expenses.
ALL_COLUMNS = dict(zip(("date", "type", "client_id", "law_firm_matter_id", "client_matter_id", "timekeeper_id",
                        "timekeeper_name", "timekeeper_classification", "hours", "quantity", "rate", "unit_cost",
                        "amount", "task_code", "activity_code", "expense_code", "description"), HEADER, strict=True))
FEWER_COLUMNS = {field: name for field, name in ALL_COLUMNS.items() if field not in ("type", "rate", "amount")}
TABLES = """
[timekeepers]
T1 = {name = "Doe, Jane", classification = "PARTNR", rate = 400}
T2 = {classification = "ASSOC"}
[classification_rates]
ASSOC = 250.5
PARALG = 90
"""
APPROVED = {"T3": ApprovedTimekeeper("T3", "Roe, Rich", "PARALG", (RatePeriod(Decimal("95"), date(2024, 3, 2), None),))}


def mapping_file(tmp_path, columns: dict[str, str], extra: str):
    lines = ['[source]\ndate_formats = ["%Y-%m-%d", "%d.%m.%Y"]\nthousands = ","\n[columns]']
    lines += [f'{field} = "{name}"' for field, name in columns.items()]
    lines += ['[defaults]\nlaw_firm_id = "12-3456789"\ncurrency = "USD"', extra, TABLES]
    path = tmp_path / "mapping.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return load_mapping(path)


# A few good spellings per field, so that rows repeat each other's values as exports do; a row now and then spoiled.
GOOD = {
    "Date": ("2024-03-01", "2024-03-02", " 01.03.2024"), "Type": ("F", "Fee", "E"), "Client": ("C1", "C2"),
    "TK": ("T1", "T3"), "Name": ("", "Doe, Jane"), "Class": ("", "ASSOC"), "Hours": ("1.0", "0.25", "1,000"),
    "Qty": ("", "2"), "Rate": ("200", ""), "Cost": ("", "12.5"), "Amount": ("", "200.00"), "Task": ("L110", ""),
    "Activity": ("A101",), "Code": ("E101", ""), "Text": ("Draft the brief", " Call with client "),
}
BAD = {
    "Date": ("2024-02-30", ""), "Type": ("x", ""), "Client": ("",), "Matter": ("", "M|3"), "Ref": ("R2",),
    "TK": ("T4", ""), "Name": ("Poe, Pat",), "Class": ("OTHER",), "Hours": ("-1", "", "x", "1,5"),
    "Qty": ("0", "-3"), "Rate": ("y", "-1"), "Cost": ("-1",), "Amount": ("1,250.00", "7"), "Task": ("L1|0",),
    "Code": ("E1\n2",), "Text": ("Call\r",),
}


@st.composite
def rows(draw) -> tuple[str, ...]:
    """A row of good spellings (its client matter id the matter's), one field spoiled in one row of four."""
    matter = draw(st.sampled_from(("M1", "M2")))
    values = {name: draw(st.sampled_from(GOOD[name])) for name in GOOD}
    values.update(Matter=matter, Ref={"M1": "", "M2": "R1"}[matter])
    if draw(st.integers(0, 3)) == 0:
        spoiled = draw(st.sampled_from(sorted(BAD)))
        values[spoiled] = draw(st.sampled_from(BAD[spoiled]))
    return tuple(values[name] for name in HEADER)


@st.composite
def exports(draw) -> list[tuple[str, ...]]:
    """Rows drawn again and again from a few: whole rows repeat, and values repeat across different rows."""
    pool = draw(st.lists(rows(), min_size=2, max_size=6))
    return [pool[index] for index in draw(st.lists(st.integers(0, len(pool) - 1), min_size=1, max_size=40))]


@pytest.mark.parametrize(("columns", "extra", "pipe_title"), [
    (ALL_COLUMNS, '[hours]\nincrement = 0.1\nrounding = "up"', "LEDES 1998B"),
    (FEWER_COLUMNS, '[hours]\nincrement = 0.25\nrounding = "nearest"', "LEDES 1998B"),
    (ALL_COLUMNS, '[invoice]\nper = "quarter"', None),
    (FEWER_COLUMNS, '[invoice]\nper = "matter"', None),
], ids=["all-columns", "fewer-columns", "all-columns-xml", "fewer-columns-xml"])
@given(rows=exports())
def test_known_rows_convert_as_every_check_does(tmp_path_factory, columns, extra, pipe_title, rows):
    """``convert`` (look-ups for known values) and ``checked`` (every check) agree on every row and its roundings."""
    mapping = mapping_file(tmp_path_factory.mktemp("mapping"), columns, extra)
    indexes = column_indexes(mapping, HEADER, "export.csv")

    def converter() -> RowConverter:
        hours = HoursRule(mapping.increment, mapping.rounding)
        return RowConverter(mapping, indexes, ValueReader(mapping, workbook=False), APPROVED, hours, pipe_title)

    fast, exact = converter(), converter()
    for number, row in enumerate(rows, start=2):
        cells = list(row)[:len(row) - number % 3]  # some rows short of cells, as exports end rows early
        assert fast.convert(number, cells) == exact.checked(number, exact._texts(cells)), number
    assert fast.roundings == exact.roundings


def test_a_row_seen_good_before_is_converted_without_the_checks(tmp_path, monkeypatch):
    """The second of two rows with the same values is converted from what the first gave: ``checked`` is not called."""
    mapping = mapping_file(tmp_path, ALL_COLUMNS, '[hours]\nincrement = 0.1\nrounding = "up"')
    converter = RowConverter(mapping, column_indexes(mapping, HEADER, "export.csv"),
                             ValueReader(mapping, workbook=False), {}, HoursRule(Decimal("0.1"), "up"), "LEDES 1998B")
    row = ["2024-03-01", "F", "C1", "M1", "", "T1", "", "", "0.25", "", "200", "", "", "L110", "A101", "", "Draft"]
    first = converter.convert(2, row)
    monkeypatch.setattr(converter, "checked", None)  # calling it now would fail
    second = converter.convert(3, row)
    assert second == first._replace(row=3)  # type: ignore[union-attr]
    assert [(rounding.row, rounding.hours, rounding.rounded) for rounding in converter.roundings] == \
        [(2, Decimal("0.25"), Decimal("0.3")), (3, Decimal("0.25"), Decimal("0.3"))]
