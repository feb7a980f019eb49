"""file_item_nbr: each number that is not a positive whole number, or is used again in the file, is reported."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from ledes.formats.ledesxml.segments import XML_2X
from ledes.formats.ledesxml.values import ValueReader

NUMBER_TEXTS = st.one_of(
    st.integers(1, 40).map(str),  # the usual form, as ledes writes it
    st.integers(0, 40).map(lambda number: f"0{number}"),  # leading zeros: the same number
    st.integers(1, 40).map(lambda number: f" {number}\n"),  # spaces around it
    st.integers(1, 3).map(lambda number: str(number + (1 << 26))),  # past the bitmap
    st.sampled_from(["", "x", "\u00b2", "-3", "9" * 30]),
)


def expected(texts: list[str]) -> list[int]:
    """The positions a reading reports: not a positive whole number, or one already used."""
    seen: set[object] = set()
    reported = []
    for position, text in enumerate(texts):
        stripped = text.strip()
        digits = stripped.lstrip("0") if stripped.isascii() and stripped.isdigit() else ""
        number = int(digits) if digits else None
        if number is None or number in seen:
            reported.append(position)
        seen.add(number)
    return reported


@given(st.lists(NUMBER_TEXTS, max_size=60))
def test_item_numbers_are_reported_once_not_positive_or_used_again(texts: list[str]):
    found: list[int] = []
    reader = ValueReader(lambda *args, line=None, **kwargs: found.append(line), XML_2X)
    for position, text in enumerate(texts):
        element = etree.Element("file_item_nbr")
        element.text = text
        element.sourceline = position + 1
        reader.item_number(element, "/fee", None)
    assert [line - 1 for line in found] == expected(texts)
