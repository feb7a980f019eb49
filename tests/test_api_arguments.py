"""The Python API refuses what is not a path, a format key or an invoice with a TypeError or ledes's own errors, before
reading or writing anything: never a KeyError, an AttributeError, or a descriptor closed under its owner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import ledes
from ledes.errors import LedesInputError

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"
SAMPLE_22 = ROOT / "fixtures" / "xml" / "ledes22_sample.xml"


def test_an_unknown_or_missing_target_format_is_named():
    invoices = ledes.load(GOOD)
    with pytest.raises(LedesInputError, match="unknown format 'bogus'"):
        ledes.dumps(invoices, "bogus")
    with pytest.raises(TypeError, match="expected a format key such as '1998b', found NoneType"):
        ledes.dumps(invoices, None)  # type: ignore[arg-type]


def test_convert_names_an_unknown_target_before_reading(tmp_path: Path):
    with pytest.raises(LedesInputError, match="unknown format 'bogus'"):
        ledes.convert(GOOD, tmp_path / "out.xml", to="bogus")
    assert list(tmp_path.iterdir()) == []


def test_only_invoices_are_written(tmp_path: Path):
    target = tmp_path / "out.txt"
    with pytest.raises(TypeError, match="expected Invoice objects to write, found NoneType"):
        ledes.write([None], target)  # type: ignore[list-item]
    assert not target.exists()


def test_only_invoices_are_summarized():
    with pytest.raises(TypeError, match="expected Invoice objects to summarize, found NoneType"):
        ledes.summarize([None])  # type: ignore[list-item]
    assert ledes.summarize(ledes.load(GOOD)).line_items > 0


def test_a_single_path_for_a_list_of_paths_is_refused():
    with pytest.raises(TypeError, match="paths is a list of paths"):
        ledes.validate(str(GOOD))  # type: ignore[arg-type]


def test_a_file_descriptor_is_no_path_and_is_left_open():
    descriptor = os.open(GOOD, os.O_RDONLY)
    try:
        with pytest.raises(TypeError, match="expected a path"):
            ledes.load(descriptor)  # type: ignore[arg-type]
        os.fstat(descriptor)  # still open
    finally:
        os.close(descriptor)


def test_bytes_paths_read_as_their_text():
    assert ledes.validate_file(os.fsencode(GOOD)).invoices == ledes.validate_file(GOOD).invoices == 2  # type: ignore[arg-type]


def test_a_fee_level_that_is_no_code_is_kept_and_one_of_spaces_takes_the_summary(tmp_path: Path):
    """One generator writes the category's description (and spaces) in a fee's tk_level, the code in tk_sum.

    The description is kept as written (and reported): replaced by the summary's code, a converted file would
    bill the line at a level its source does not state. A level of spaces is none: the summary's applies.
    """
    text = SAMPLE_22.read_text(encoding="utf-8")
    fees = text.split("<fee>")
    fees[1] = fees[1].replace("<tk_level>PARTNR</tk_level>", "<tk_level>Sócio </tk_level>", 1)
    fees[3] = fees[3].replace("<tk_level>ASSOC</tk_level>", "<tk_level> </tk_level>", 1)
    path = tmp_path / "quirks.xml"
    path.write_text("<fee>".join(fees), encoding="utf-8")
    original = [item.timekeeper.classification for item in ledes.load(SAMPLE_22)[0].line_items if item.timekeeper]
    read = list(ledes.iter_invoices(path))  # load() refuses the file: "Sócio" is an error
    quirky = [item.timekeeper.classification for item in read[0].line_items if item.timekeeper]
    assert quirky[0] == "Sócio " and original[0] == "PARTNR"
    assert quirky[1:] == original[1:]
    # "Sócio" is still no code, and is said to be one; " " is read as no level.
    assert sum(d.rule == "field.classification" for d in ledes.validate_file(path).diagnostics) == 1
