"""LEDES 1998B writer: the pipe writer with the 1998B field table (see ``ledes.formats.pipe.writer``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from ledes.formats.ledes1998b.table import FORMAT
from ledes.formats.pipe.writer import pipe_records, write_pipe
from ledes.model import Invoice


def write_1998b(invoices: Iterable[Invoice], out: TextIO, newline: str = "\n") -> None:
    """Write ``invoices`` to ``out`` as LEDES 1998B."""
    write_pipe(FORMAT, invoices, out, newline)


def dumps_1998b(invoices: Iterable[Invoice], newline: str = "\n") -> str:
    """The LEDES 1998B text of ``invoices``."""
    return "".join(record + newline for record in records_1998b(invoices))


def records_1998b(invoices: Iterable[Invoice]) -> Iterator[str]:
    """The format line, the header, then one record per line item, each ending ``[]``."""
    return pipe_records(FORMAT, invoices)
