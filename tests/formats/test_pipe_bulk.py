"""The pipe reader's two paths agree: records read in bulk (whole chunks split at once) and line by line.

``ledes.formats.pipe.records`` splits a chunk of clean records into a ``Block`` in one go and
reads any other chunk line by line. Reading the same text with the bulk path switched off,
and with chunks so small that they cut records anywhere, must give the same invoices (their
line items' source lines included) and the same findings, in the same order.
"""

from __future__ import annotations

import pytest
from formats_support import fee_row, fee_row_1998bi, ledes1998bi_file, ledes_file, read_text, read_text_as
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledes.formats.pipe import records

# What a line of a generated file is: a clean record, or one of the things the line-by-line path handles.
DAMAGE = {
    "clean": lambda row: row,
    "trailing pipe": lambda row: row[:-2] + "|[]",
    "no terminator": lambda row: row[:-2],
    "extra field": lambda row: row[:-2] + "|x[]",
    "too few fields": lambda row: row.split("|", 3)[3],
    "blank line after": lambda row: row + "\n",
    "line break in a field": lambda row: row.replace("|Research|", "|Re\nsearch|"),
    "non-ASCII": lambda row: row.replace("Research", "Recherche préalable"),
    "bad date": lambda row: row.replace("|19990115|", "|19991315|"),
    "bad number": lambda row: row.replace("|700|19990115|", "|7,00|19990115|"),
    "respelled number": lambda row: row.replace("|2|", "|2.|"),
    "trailing spaces": lambda row: row + "   ",
    "empty required field": lambda row: row.replace("|22547|", "||"),
}


def outcome(reading) -> tuple:
    """Everything a read gives: the invoices (by value), each line item's source line, and every finding."""
    invoices, diagnostics = reading
    lines = [item.location.line for invoice in invoices for item in invoice.line_items]
    found = [(d.rule, d.severity, d.line, d.field, d.message, d.invoice, d.amount) for d in diagnostics]
    return invoices, lines, found


def read_each_way(read, text: str) -> list[tuple]:
    """The outcome of reading ``text`` in bulk, line by line only, and in chunks of a few characters."""
    results = [outcome(read(text))]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(records, "_block", lambda *_: None)
        results.append(outcome(read(text)))
    for size in (1, 97, 1000):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(records, "CHUNK", size)
            results.append(outcome(read(text)))
    return results


rows = st.lists(
    st.tuples(st.integers(1, 4), st.just("clean") | st.sampled_from(sorted(DAMAGE)), st.booleans()),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_bulk_and_line_by_line_reading_agree(plan: list[tuple[int, str, bool]]):
    text = ledes_file(
        *(DAMAGE[damage](fee_row(str(invoice), str(number), {"LINE_ITEM_TOTAL": "700.00"} if odd else None))
          for number, (invoice, damage, odd) in enumerate(plan, 1))
    )
    first, *others = read_each_way(read_text, text)
    for other in others:
        assert other == first


def test_the_paths_agree_across_batches_of_many_invoices():
    """More rows than a batch holds, a damaged line now and then: the batches end where they did line by line."""
    damages = sorted(DAMAGE)
    text = ledes_file(
        *(DAMAGE[damages[n % len(damages)] if n % 97 == 0 else "clean"](fee_row(str(n // 7), str(n))) for n in range(6000))
    )
    first, *others = read_each_way(read_text, text)
    assert len(first[1]) > 5000
    for other in others:
        assert other == first


def test_the_paths_agree_on_1998bi():
    rows_1998bi = [fee_row_1998bi(str(n // 3), str(n)) for n in range(50)]
    rows_1998bi[10] = rows_1998bi[10][:-2]  # no terminator
    first, *others = read_each_way(lambda text: read_text_as("1998bi", text), ledes1998bi_file(*rows_1998bi))
    assert len(first[1]) == 50
    for other in others:
        assert other == first
