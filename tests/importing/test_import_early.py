"""Invoices handed on as soon as the rows show them complete give what sorting the whole source first gives."""

from __future__ import annotations

import itertools
import random
from datetime import date
from decimal import Decimal

import pytest
from conftest import CSV_EXPORT, CSV_MAPPING, MINIMAL_HEADER, MINIMAL_MAPPING
from hypothesis import given, settings
from hypothesis import strategies as st
from test_import_reading import entry

from ledes.importing import grouping, import_file, run
from ledes.importing.grouping import EntrySorter, OutOfOrder

# Rows over three months, two clients and three matters; one bad row and one blank row among the spoilers.
DAYS = ["2024-01-05", "2024-01-20", "2024-02-03", "2024-02-27", "2024-03-11"]
SPOILERS = ["2024-02-30,C1,M1,T1,\"Doe, Jane\",ASSOC,1.0,200,,L110,A101,,Bad date", ",,,,,,,,,,,,"]


@st.composite
def exports(draw) -> list[str]:
    """Rows in date order, or in date order but for a few moved, or shuffled; now and then a bad or blank row."""
    rows = []
    for number in range(draw(st.integers(1, 40))):
        day = draw(st.sampled_from(DAYS))
        client, matter = draw(st.sampled_from([("C1", "M1"), ("C1", "M2"), ("C2", "M3")]))
        hours = draw(st.sampled_from(["0.5", "1.0", "2.25"]))
        rows.append(f"{day},{client},{matter},T1,\"Doe, Jane\",ASSOC,{hours},200,,L110,A101,,Entry {number}")
    rows.sort(key=lambda row: row[:10])
    order = draw(st.sampled_from(["dated", "moved", "shuffled"]))
    rng = random.Random(draw(st.integers(0, 1000)))
    if order == "moved":
        for _ in range(draw(st.integers(1, 3))):
            rows.insert(rng.randrange(len(rows) + 1), rows.pop(rng.randrange(len(rows))))
    elif order == "shuffled":
        rng.shuffle(rows)
    if draw(st.booleans()):
        rows.insert(rng.randrange(len(rows) + 1), draw(st.sampled_from(SPOILERS)))
    return rows


def both_ways(monkeypatch, tmp_path, *args, **options):
    """The import's result and written bytes with invoices handed on early, then with the whole source sorted first."""
    outcomes = []
    out = tmp_path / "out"  # one path: findings name it
    for early in (True, False):
        monkeypatch.setattr(run, "EARLY", early)
        result = import_file(*args, target=None if options.get("dry_run") else out, **options)
        outcomes.append(((result.rows, result.blank_rows, result.bad_rows, tuple(result.roundings),
                          tuple(result.invoices), result.findings, result.written),
                         out.read_bytes() if out.exists() else None))
        out.unlink(missing_ok=True)
    return outcomes


@settings(max_examples=40, deadline=None)
@given(rows=exports(), skip=st.booleans(), to=st.sampled_from(["1998b", "xml2.1"]),
       per=st.sampled_from(["month", "quarter", "matter"]), run_size=st.sampled_from([3, 1000]))
def test_early_invoices_are_those_of_the_sorted_source(tmp_path_factory, rows, skip, to, per, run_size):
    """In order, nearly in order or shuffled, spilled or not, any format and billing period: same result, same bytes."""
    folder = tmp_path_factory.mktemp("early")
    export, mapping = folder / "export.csv", folder / "mapping.toml"
    export.write_text("\n".join([MINIMAL_HEADER, *rows]) + "\n", encoding="utf-8")
    mapping.write_text(MINIMAL_MAPPING.format(source="", extra=f"[invoice]\nper = \"{per}\""), encoding="utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(grouping, "RUN_SIZE", run_size)
        monkeypatch.setattr(grouping, "EARLY_RUN_SIZE", run_size)
        early, sorted_first = both_ways(monkeypatch, folder, export, mapping, to=to, skip_bad_rows=skip)
    assert early == sorted_first


def test_the_sample_imports_the_same_early_or_not(monkeypatch, tmp_path):
    found = both_ways(monkeypatch, tmp_path, CSV_EXPORT, CSV_MAPPING, to="1998b")
    assert found[0] == found[1] and found[0][1]


def test_a_later_period_hands_on_the_invoices_held_and_an_earlier_one_after_that_is_out_of_order():
    """Periods 1, 1, 2: period 1's invoices come with the first row of 2, in key order; then a row of 1 is refused."""
    with EntrySorter(early=True) as sorter:
        assert sorter.add(entry(1, "B", "X", 2)) is None
        assert sorter.add(entry(1, "A", "X", 3)) is None
        complete = sorter.add(entry(2, "A", "X", 4))
        assert complete is not None
        assert [group[0][:4] for group in complete] == [(1, "A", "X", 3), (1, "B", "X", 2)]
        with pytest.raises(OutOfOrder):
            sorter.add(entry(1, "A", "X", 5))
    with EntrySorter() as sorter:  # sorting the whole source: any order is taken
        for period in (2, 1, 2):
            assert sorter.add(entry(period, "A", "X", period)) is None


def test_a_source_out_of_order_late_is_read_again_sorted(monkeypatch, minimal, tmp_path):
    """A row of January after February's invoices were handed on: the import starts again, sorting the source."""
    calls = []
    original = run._imported

    def imported(*args, early):
        calls.append(early)
        return original(*args, early=early)

    monkeypatch.setattr(run, "_imported", imported)
    rows = ["2024-01-05,C1,M1,T1,\"Doe, Jane\",ASSOC,1.0,200,,L110,A101,,Draft",
            "2024-02-05,C1,M1,T1,\"Doe, Jane\",ASSOC,1.0,200,,L110,A101,,Revise",
            "2024-01-06,C1,M1,T1,\"Doe, Jane\",ASSOC,1.0,200,,L110,A101,,Late entry"]
    export, mapping = minimal(rows)
    result = import_file(export, mapping, target=tmp_path / "out.txt")
    assert calls == [True, False]
    assert [invoice.lines for invoice in result.invoices] == [2, 1] and result.written


@pytest.mark.parametrize("held", [2, 4096])
def test_spilled_entries_come_back_with_the_objects_they_shared(monkeypatch, held):
    """A day or an amount entries shared before a spill is one object after it (up to the numbered objects a run
    holds; past them, an equal copy of the same spelling); the invoices are a plain sort's groups either way."""
    monkeypatch.setattr(grouping, "_SHARED_HELD", held)
    rng = random.Random(5)
    amounts = [Decimal("1.5"), Decimal("1.50"), Decimal("200"), Decimal("0.1")]
    days = [date(2024, 1, day) for day in (2, 3, 4)]
    entries = [entry(0, rng.choice("AB"), rng.choice("XYZ"), row)._replace(
        day=rng.choice(days), units=rng.choice(amounts), rate=rng.choice(amounts), total=rng.choice(amounts))
        for row in range(2, 600)]
    with EntrySorter(run_size=64) as sorter:
        for item in entries:
            sorter.add(item)
        groups = list(sorter.invoices())
    back = [item for group in groups for item in group]
    assert groups == [list(group) for _, group in itertools.groupby(sorted(entries), key=lambda item: item[:3])]
    assert [tuple(map(str, item)) for item in back] == [tuple(map(str, item)) for item in sorted(entries)]
    objects = {id(value) for item in back for value in (item.day, item.units, item.rate, item.total)}
    assert (len(objects) == len(amounts) + len(days)) is (held > len(amounts) + len(days))
