"""The first lines of a pipe-delimited LEDES file: the format line, the field-name header and the column layout."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import attrs

from ledes.diagnostics import Emit
from ledes.formats.pipe.sniff import NEARLY, header_names, header_score
from ledes.formats.recognise import printable
from ledes.rules import structure as structure_rules

if TYPE_CHECKING:
    from ledes.formats.pipe.reader import Plan


@attrs.define
class Layout:
    """How the file's columns map onto the table's fields: ``order`` is None for the standard header."""

    width: int
    order: tuple[int | None, ...] | None = None
    trailing_pipe: bool = False  # the header ends "|[]", and so (probably) do the records
    # The header leaves names out but keeps the others in the table's order (a 23-name 1998B header without
    # CLIENT_MATTER_ID): a record with every field of the table is read in the table's order.
    short_header: bool = False


# First lines of other formats: reading on as 1998B would only bury the one real problem.
# A NUL anywhere in the first line means binary (or UTF-16 without a byte-order mark).
# The LEDES lines match as real generators write them: "LEDES1998BI[]" is 1998BI's, not 1998B's.
OTHER_FORMATS = (
    (re.compile(r"LEDES\s*1998\s*B(?!\s*I)", re.IGNORECASE), "a LEDES 1998B file"),
    (re.compile(r"LEDES\s*(?:19)?98\s*BI", re.IGNORECASE), "a LEDES 1998BI file"),
    (re.compile(re.escape("<?xml")), "an XML file"),
    (re.compile(re.escape("<ledes")), "an XML file"),
    (re.compile(re.escape("%PDF")), "a PDF file"),
    (re.compile(re.escape("PK\x03\x04")), "a ZIP or Excel file"),
    (re.compile(".*\x00", re.DOTALL), "a binary file"),
)


def read_preamble(
    lines: Iterator[tuple[int, str]], emit: Emit, plan: Plan
) -> tuple[Layout | None, list[tuple[int, str]]]:
    """Check the format line and the header; return the column layout and any data line read ahead.

    The layout is None when the file is plainly another format, which is reported once.
    """
    spec, width = plan.spec, plan.width
    standard = Layout(width)
    first = next(lines, None)
    blank = 0
    while first is not None and not strip_end(first[1].lstrip("\ufeff")):
        blank += 1
        first = next(lines, None)
    if first is None:
        emit(structure_rules.FORMAT_LINE, "the file is empty: no invoice in any LEDES format (a"
             f" {spec.title} file starts with {spec.format_line}, a LEDES XML file with its root element)", line=1)
        return standard, []
    if blank:
        emit(
            structure_rules.FORMAT_LINE,
            f"the file starts with {blank} blank line{'s' if blank > 1 else ''}; {spec.format_line} must be line 1",
            line=1,
        )
    number, text = first
    marker = text.lstrip("\ufeff").strip()
    if not spec.accepted_lines.fullmatch(marker):
        for pattern, what in plan.others:
            if pattern.match(marker):
                # Its header decides: a file whose header fits this format is read as it (--from is honoured).
                second = next(lines, None)
                if second is not None and _fits(second[1], plan):
                    emit(
                        structure_rules.FORMAT_LINE,
                        f"first line '{clip(marker)}' belongs to {what}, but the header is {spec.title}'s;"
                        f" a {spec.title} file starts with {spec.format_line}",
                        line=number,
                    )
                    return _check_header(second[0], second[1].strip(), emit, plan), []
                emit(
                    structure_rules.FORMAT_LINE,
                    f"this is {what}, not {spec.title} (first line '{clip(marker.replace(chr(0), ''))}')",
                    line=number,
                )
                return None, []
        if _looks_like_header(marker):
            emit(
                structure_rules.FORMAT_LINE,
                f"the format line {spec.format_line} is missing; the file starts with the header",
                line=number,
            )
            return _check_header(number, marker, emit, plan), []
        if _looks_like_record(marker, width):
            emit(structure_rules.FORMAT_LINE, _wrong_line(marker, spec.title, spec.format_line, None), line=number)
            emit(structure_rules.HEADER, "the field-name header is missing; the file starts with data", line=number)
            return standard, [first]
        second = next(lines, None)
        why = f"its header has {spec.title}'s {width} field names" if second is not None and _fits(second[1], plan) else None
        emit(structure_rules.FORMAT_LINE, _wrong_line(marker, spec.title, spec.format_line, why), line=number)
    else:
        second = next(lines, None)
    if second is None:
        emit(structure_rules.HEADER, f"the header line is missing; line 2 must be the {width} field names", line=number + 1)
        return standard, []
    number, text = second
    header = text.strip()
    if _looks_like_record(header, width) and not _looks_like_header(header):
        emit(structure_rules.HEADER, f"line 2 is data, not the header of {width} field names", line=number)
        return standard, [second]
    return _check_header(number, header, emit, plan), []


def _wrong_line(marker: str, title: str, format_line: str, why: str | None) -> str:
    """What a first line that is not the format line gets: what it is, how the file is read (and why), the fix."""
    decided = f"; read as {title} ({why})" if why else ""
    return f"first line is '{clip(marker)}'{decided}; a {title} file starts with {format_line}: write that as line 1"


def _fits(header: str, plan: Plan) -> bool:
    """True when a header line holds this format's field names (in any order, a few misspelt at most)."""
    return header_score(header_names(header.strip()), plan.spec) >= NEARLY


def _looks_like_header(text: str) -> bool:
    return text.upper().startswith("INVOICE_DATE|") or text.upper().count("LINE_ITEM_") >= 3


def _looks_like_record(text: str, width: int) -> bool:
    return text.count("|") >= width // 2 and text[:8].isdigit()


def _check_header(number: int, header: str, emit: Emit, plan: Plan) -> Layout:
    """Compare the header with the table's names; map columns by name when the names are all there.

    Names are matched exactly, mixed case included (``LAW_FIRM_STATEorREGION``); a header
    that differs only in case is mapped and reported.
    """
    names, width = plan.names, plan.width
    if header == plan.spec.header:
        return Layout(width)
    terminated = header.endswith("[]")
    body = header[:-2] if terminated else header.rstrip("|")
    written = body.split("|")
    found = [name.strip().removesuffix("[]") for name in written]
    problems = []
    if not terminated:
        problems.append("it does not end with []")
    if any(name != name.strip() for name in written):
        problems.append("field names have spaces around them")
    if any(name.strip().endswith("[]") for name in written[:-1]):
        problems.append("each name ends with [] (only the line should)")
    trailing_pipe = len(found) > 1 and not found[-1]
    if trailing_pipe:
        found.pop()
        problems.append("it ends with '|[]' (records that end so too are read without the empty last field)")
    layout = Layout(width=len(found), trailing_pipe=trailing_pipe)
    upper = [name.upper() for name in found]
    expected = [name.upper() for name in names]
    if upper == expected:
        if found != list(names):
            wrong = next((f, n) for f, n in zip(found, names, strict=True) if f != n)
            problems.append(
                f"field names must be in upper case as the specification writes them ('{wrong[0]}' should be '{wrong[1]}')"
            )
    elif len(set(upper)) == len(upper) and set(upper) <= set(expected):
        position = {name: i for i, name in enumerate(upper)}
        layout.order = tuple(position.get(name) for name in expected)
        missing = [name for name, key in zip(names, expected, strict=True) if key not in position]
        in_order = upper == [key for key in expected if key in position]
        layout.short_header = bool(missing) and in_order
        if missing:
            problems.append(f"missing {', '.join(missing)}" + (
                f" (a record of all {width} fields is read in the standard order, one of {len(found)} by these names)"
                if in_order else ""))
        if not in_order:
            problems.append("fields are out of order; columns were matched by name")
    else:
        differences = [
            f"field {i + 1} is '{clip(name)}', expected '{wanted}'"
            for i, (name, wanted) in enumerate(zip(found, names, strict=False))  # the counts may differ
            if name != wanted
        ]
        if len(found) != width:
            differences.append(f"{len(found)} names instead of {width}")
        problems.extend(differences[:5] + ([f"and {len(differences) - 5} more"] if len(differences) > 5 else []))
        layout = Layout(width, trailing_pipe=trailing_pipe)  # fall back to the standard column order
    if problems:
        emit(
            structure_rules.HEADER,
            f"line 2 must be the {width} {plan.spec.title} field names in order, ending []: " + "; ".join(problems),
            line=number,
        )
    return layout


def strip_end(text: str) -> str:
    """Text without trailing white space or DOS end-of-file marks (Ctrl-Z)."""
    return text.rstrip().rstrip("\x1a").rstrip()


def clip(text: str, limit: int = 60) -> str:
    """The text cut to ``limit`` characters, with an ellipsis when it was longer, control characters shown as '?' (for messages)."""
    return printable(text, limit)
