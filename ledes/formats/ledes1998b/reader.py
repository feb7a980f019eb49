"""LEDES 1998B reader: the pipe reader with the 1998B field table (see ``ledes.formats.pipe.reader``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from ledes.diagnostics import Emit
from ledes.formats.ledes1998b.table import FORMAT
from ledes.formats.pipe.reader import read_pipe
from ledes.model import Invoice


def read_1998b(stream: TextIO, emit: Emit, path: str | None = None) -> Iterator[Invoice]:
    """Yield the invoices of a LEDES 1998B text stream, reporting problems through ``emit``."""
    return read_pipe(FORMAT, stream, emit, path)
