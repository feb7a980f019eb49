"""Run-wide rule state in flat memory: the spilling map gives back what was set, and the rules find the same when it spills."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ledes
from ledes.guidelines import load_config
from ledes.rules import runstore, sortedruns
from ledes.rules.runstore import SpillingMap, digest

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests" / "golden")]

from everyrule import write_every_rule_file  # noqa: E402
from generate import generate  # noqa: E402


def test_values_come_back_after_spilling_and_memory_stays_bounded():
    spilling: SpillingMap[Decimal] = SpillingMap(str, Decimal, capacity=50)
    for n in range(2_000):
        spilling.set(digest(("keeper", n)), Decimal(n) / 10)
        assert len(spilling.cache) <= 50
    assert spilling.spilled >= 1_900
    assert [spilling.get(digest(("keeper", n))) for n in range(0, 2_000, 7)] == [
        Decimal(n) / 10 for n in range(0, 2_000, 7)]
    spilling.set(digest(("keeper", 3)), Decimal("9.9"))  # a spilled key set again: the new value wins
    for n in range(2_000, 2_200):  # push it out again
        spilling.set(digest(("keeper", n)), Decimal(0))
    assert spilling.get(digest(("keeper", 3))) == Decimal("9.9")
    spilling.close()


def test_keys_never_set_are_answered_by_the_filter_not_the_store():
    spilling: SpillingMap[str] = SpillingMap(str, str, capacity=10)
    for n in range(1_000):
        spilling.set(digest((n,)), "x")
    before = spilling.queries
    assert all(spilling.get(digest(("never", n))) is None for n in range(1_000))
    assert spilling.queries - before < 5  # false "maybe" answers only
    spilling.close()


def test_the_maps_alive_share_one_filter_and_a_later_run_starts_with_a_clean_one():
    first: SpillingMap[str] = SpillingMap(str, str, capacity=10)
    second: SpillingMap[str] = SpillingMap(str, str, capacity=10)
    for n in range(100):
        first.set(digest(("first", n)), f"a{n}")
        second.set(digest(("second", n)), f"b{n}")
    assert first.filter is second.filter  # one allocation, whichever map spilled first
    # Each map still gives back its own values only: the other's keys are at most a false "maybe".
    assert [first.get(digest(("first", n))) for n in range(100)] == [f"a{n}" for n in range(100)]
    assert all(first.get(digest(("second", n))) is None for n in range(100))
    assert all(second.get(digest(("first", n))) is None for n in range(100))
    first.close()
    second.close()
    del first, second
    later: SpillingMap[str] = SpillingMap(str, str, capacity=10)
    for n in range(20):
        later.set(digest(("later", n)), "x")
    assert later.filter is not None and sum(map(int.bit_count, later.filter)) <= 4 * 10  # only its own spills
    later.close()


def test_keys_are_fixed_size_and_tell_values_apart():
    assert len(digest(("24-6437381", "22547", "2024-01-15"))) == 16
    assert digest(("a", "b")) != digest(("ab",)) != digest(("a", "b", None))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.lists(st.tuples(st.integers(0, 300), st.integers(0, 9)), max_size=40)),
                max_size=30), st.integers(1, 12))
def test_many_at_once_gives_what_one_at_a_time_gives(steps: list[tuple[bool, list[tuple[int, int]]]], capacity: int):
    """get_many and set_many answer and keep what get and set, one key after the other, do, spilling or not."""
    batched: SpillingMap[int] = SpillingMap(str, int, capacity=capacity)
    single: SpillingMap[int] = SpillingMap(str, int, capacity=capacity)
    for setting, pairs in steps:
        keys = [digest((key,)) for key, _ in pairs]
        if setting:
            batched.set_many([(fixed, value) for fixed, (_, value) in zip(keys, pairs, strict=True)])
            for fixed, (_, value) in zip(keys, pairs, strict=True):
                single.set(fixed, value)
        else:
            assert batched.get_many(keys, -1) == [single.get(fixed, -1) for fixed in keys]
        assert len(batched.cache) <= capacity
    everything = [digest((key,)) for key in range(301)]
    assert batched.get_many(everything) == [single.get(fixed) for fixed in everything]
    batched.close()
    single.close()


def test_many_digests_at_once_are_each_keys_digest():
    keys = [("firm", "22547", 738_000 + n, None, "2.5", f"text {n}") for n in range(50)] + [(date(2024, 1, 15), "a")]
    assert runstore.digests(keys) == [digest(key) for key in keys]
    assert runstore.digests(keys[:50]) == [digest(key) for key in keys[:50]]


def findings(path: Path, config: ledes.Config) -> list[tuple]:
    (report,) = ledes.validate([path], config).files
    return [(d.rule, d.line, d.field, d.message, d.amount) for d in report.diagnostics]


@pytest.mark.parametrize("guidelines", ["default", "fixtures/guidelines/northwind-insurance.toml"])
def test_the_guideline_rules_find_the_same_when_their_state_spills(tmp_path: Path, monkeypatch, guidelines: str):
    config = load_config(str(ROOT / guidelines) if "/" in guidelines else guidelines, {})
    run = generate(tmp_path / "run.txt", 2_000)
    every = write_every_rule_file(tmp_path / "every.txt")
    kept = [findings(run, config), findings(every, config)]
    assert any(rule == "duplicate.line-item" for rule, *_ in kept[1])
    monkeypatch.setattr(runstore, "CAPACITY", 3)
    assert [findings(run, config), findings(every, config)] == kept


def test_sorted_runs_give_each_key_its_newest_value_through_merges():
    runs = sortedruns.SortedRuns()
    newest: dict[bytes, str] = {}
    batches = 3 * sortedruns.FAN_IN ** 3 + 2 * sortedruns.FAN_IN ** 2 + 3  # merged three tiers up, and more
    for batch in range(batches):
        entries = {digest(("key", (batch * 37 + n) % 700)): f"value {batch} {n}" for n in range(50)}
        runs.add(list(entries.items()))
        newest.update(entries)
    # Tiers grow as the log of the batches: at most FAN_IN - 1 runs of each, oldest (largest) first.
    assert [run.tier for run in runs.runs] == [3, 3, 3, 2, 2, 0, 0, 0]
    assert sum(run.count for run in runs.runs) < 50 * batches  # a key merged again is kept once
    assert all(runs.get(key) == value for key, value in newest.items())
    assert all(runs.get(digest(("never", n))) is None for n in range(200))
    with pytest.raises(ValueError):
        runs.add([(digest(("key", 1)), "two\nlines")])
    with pytest.raises(ValueError):
        runs.add([(digest(("key", 1)), "one"), (digest(("key", 1)), "two")])  # a batch holds each key once
    runs.close()


def test_a_journal_gives_back_its_records_in_order_from_disk():
    journal: runstore.Journal[tuple] = runstore.Journal()
    assert list(journal) == []  # nothing written: no file either
    records = [(("firm", f"{n:05d}", n), Decimal(n) / 10, None) for n in range(2_000)]
    for record in records:
        journal.append(record)
    assert list(journal) == records
    assert list(journal) == records  # read twice, the same
    journal.close()
    assert list(journal) == []


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 2_000), st.integers(0, 99)), max_size=700), min_size=1, max_size=40))
def test_merged_runs_hold_what_a_dict_holds(batches: list[list[tuple[int, int]]]):
    """Whatever the batches' sizes (a block or several) and repeats, each key keeps its newest value through the merges."""
    runs = sortedruns.SortedRuns()
    newest: dict[bytes, str] = {}
    for batch in batches:
        entries = {digest((key,)): f"v{value}" for key, value in batch}
        if entries:
            runs.add(list(entries.items()))
            newest.update(entries)
    assert sum(run.count for run in runs.runs) >= len(newest)
    assert all(runs.get(key) == value for key, value in newest.items())
    stored = {}
    for run in runs.runs:  # oldest first: a newer run's value replaces an older's
        for block in range(len(run.firsts)):
            keys, values = run.block(block)
            assert keys == sorted(keys)
            stored.update(zip(keys, values, strict=True))
    assert stored == newest
    runs.close()


@given(st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=20)), max_size=6))
def test_equal_keys_have_one_digest_however_their_values_were_made(values: list):
    """marshal writes a value, never a reference to an equal one met before: a copy digests alike."""
    copied = tuple(value if not isinstance(value, str) else "".join(list(value)) for value in values)
    shared = tuple(values)
    assert digest(shared) == digest(copied)
    assert digest((*shared, shared[0] if shared else None)) == digest((*copied, copied[0] if copied else None))


def test_keys_marshal_cannot_write_are_digested_by_their_repr_apart():
    assert digest((date(2024, 1, 15), "a")) == digest((date(2024, 1, 15), "a"))
    assert digest((date(2024, 1, 15),)) != digest((date(2024, 1, 16),))
    assert digest((Decimal("2.0"),)) != digest((Decimal("2.00"),))  # the caller spells equal values alike
    assert digest(("a", 1)) != digest(("a", "1")) != digest(("a", True))


_texts = st.none() | st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(_texts, st.none() | st.integers(min_value=-10, max_value=10**12), _texts, _texts)
def test_a_place_comes_back_as_it_was_spilled(path, line, field, xpath):
    from ledes.model import Location
    from ledes.rules.places import _decoded, _encoded

    place = Location(path, line, field, xpath)
    text = _encoded(place)
    assert text.isascii() and "\n" not in text  # one line of the store
    back = _decoded(text)
    assert (back.path, back.line, back.field, back.xpath) == (path, line, field, xpath)
