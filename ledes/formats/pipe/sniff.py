"""How a pipe-delimited format recognises a file as its own: the format line and the header, weighed together.

The header decides how the records are read, so it weighs more than the format line: a
1998BI header under a damaged (or 1998B) format line is a 1998BI file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from ledes.formats.base import FALLBACK, NOT_MINE
from ledes.formats.pipe.spec import PipeFormat

EXACT_LINE, NEAR_LINE = 40, 30  # the format line as written, or a known misspelling of it
# The header's names in order; the same names reordered; nearly the same names (a few
# misspelt or missing); every name, among others (1998B's 24 are all in a 1998BI header).
EXACT_HEADER, REORDERED, NEARLY, EVERY_NAME = 70, 60, 45, 20
NEARLY_SHARE = 0.8
_NAME_END = re.compile(r"\s*(?:\[\])?\s*$")


def pipe_sniffer(spec: PipeFormat, near_line: re.Pattern[str], *, fallback: bool = False) -> Callable[[str], int]:
    """The ``sniff`` of a pipe format; ``fallback`` formats take any text that is not XML."""
    def sniff(text: str) -> int:
        lines = [line.strip() for line in text.lstrip("\ufeff").splitlines() if line.strip()][:2]
        if lines and lines[0].startswith("<"):
            return NOT_MINE
        score = NOT_MINE
        first = lines[0] if lines else ""
        if spec.accepted_lines.fullmatch(first):
            score += EXACT_LINE
        elif near_line.match(first.upper()):
            score += NEAR_LINE
        header = first if _is_header(first) else (lines[1] if len(lines) > 1 else "")
        score += header_score(header_names(header), spec)
        return max(score, FALLBACK) if fallback else score

    return sniff


def header_names(header: str) -> tuple[str, ...]:
    """The field names of a header line, upper case, without ``[]`` after the last (or after each) one."""
    return tuple(_NAME_END.sub("", name).upper() for name in header.rstrip("[]").split("|")) if header else ()


def header_score(found: tuple[str, ...], spec: PipeFormat) -> int:
    """How well a header's names fit a format's: in order, reordered, nearly, or all of them among others."""
    names = _names(spec)
    wanted = frozenset(names)
    if found == names:
        return EXACT_HEADER
    shared = len(wanted.intersection(found))
    if shared == len(wanted) and len(found) == len(names):
        return REORDERED
    if shared >= NEARLY_SHARE * len(wanted) and abs(len(found) - len(names)) <= (1 - NEARLY_SHARE) * len(names):
        return NEARLY
    if shared == len(wanted):
        return EVERY_NAME
    return NOT_MINE


@functools.cache
def _names(spec: PipeFormat) -> tuple[str, ...]:
    return tuple(field.name.upper() for field in spec.fields)


def _is_header(line: str) -> bool:
    return line.upper().startswith("INVOICE_DATE")
