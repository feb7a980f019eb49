"""The one interface every LEDES format implements: recognising itself, checking, reading, preparing and writing.

A format is one ``Format`` value, declared in its own package and listed once in
``ledes.formats.registry``. Nothing outside ``ledes.formats`` asks which format a file is
by its key: the engine, the API and the importer ask the format itself.
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any, BinaryIO, TextIO

import attrs

from ledes.diagnostics import Diagnostic, Emit
from ledes.model import Invoice

# How sure a format is that a file's first bytes are its own (``Format.sniff``); the highest wins.
NOT_MINE = 0
FALLBACK = 1  # nothing better: read it as this format, so that its reader reports what is wrong
LIKELY = 50
CERTAIN = 100

Opener = Callable[[], AbstractContextManager[BinaryIO]]
# A format's reader: (stream, emit, path) to the invoices. The stream is binary (``BinaryIO``) for a
# ``binary`` format (XML) and text (``TextIO``) otherwise; which one depends on the format's own flag,
# so the declaration takes either and each reader annotates the one it reads.
Reader = Callable[[Any, Emit, "str | None"], Iterator[Invoice]]
Writer = Callable[[Iterable[Invoice], TextIO], None]


@attrs.frozen
class RequiredOption:
    """A value a format's writer needs and the model may lack: ``name`` in ``WriteOptions`` and what it is."""

    name: str
    what: str


@attrs.frozen
class WriteOptions:
    """Values supplied by the user for what the source does not hold (``--currency``, ``--law-firm-name``)."""

    currency: str | None = None
    law_firm_name: str | None = None


@attrs.frozen
class Precheck:
    """What a format's checks before reading found: whether the file can be read, and what it turned out to be."""

    readable: bool = True
    format_name: str | None = None


class NotValid(Exception):
    """A document read by a format's ``read_valid`` was not valid (or not read to its end): read it again as usual."""


@attrs.frozen
class Format:
    """A LEDES format and everything about it that differs from the others.

    ``sniff`` scores a file's first characters (``NOT_MINE`` … ``CERTAIN``); ``binary``
    formats (XML) are read from bytes, the others from text: ``read`` takes a ``BinaryIO``
    for a binary format and a ``TextIO`` otherwise (``Source.stream`` gives the right one); ``precheck`` runs before
    reading (schema validation for XML); ``required_options`` name what its writer needs
    that the model may lack, ``prepare`` fills it in; ``losses`` makes, for one
    conversion, the function that lists what an invoice would lose in this format;
    ``preamble_lines`` is the number of lines before a pipe file's first record (None for
    a document format, where one invoice's text cannot be appended to another's);
    ``unread`` are the model paths its writer never reads (``line_item.number`` for XML,
    which numbers its items itself): a value there changes nothing it writes.
    ``read_valid``, when given, reads a document expected to pass ``precheck`` in one
    parse, checking it on the way: it raises NotValid (after the invoices read so far,
    then void) where ``precheck`` would not have passed it; otherwise it gives what
    ``read`` gives after a passing ``precheck``. ``texts``, when given, is ``write``'s text
    as pieces to take one at a time (each in ``exact()``), for a caller that reads the
    text back as it is written. ``valid``, when given, tells in one streaming pass whether a
    document passes ``precheck`` without a finding (``read`` then gives what ``ledes validate`` does).
    """

    name: str
    key: str
    title: str
    read: Reader
    write: Writer
    field_names: Mapping[str, str]
    sniff: Callable[[str], int]
    losses: Callable[[Format, Mapping[str, str], str | None], Callable[[Invoice], list[Diagnostic]]]
    binary: bool = False
    precheck: Callable[[Opener, Emit, str | os.PathLike[str] | None], Precheck] | None = None
    required_options: tuple[RequiredOption, ...] = ()
    prepare: Callable[[Invoice, WriteOptions, str], Invoice] | None = None
    preamble_lines: int | None = None
    unread: frozenset[str] = frozenset()
    read_valid: Reader | None = None
    texts: Callable[[Iterable[Invoice]], Iterator[str]] | None = None
    valid: Callable[[BinaryIO], bool] | None = None

    def prepared(self, invoice: Invoice, options: WriteOptions) -> Invoice:
        """``invoice`` with what this format requires filled in (LedesMissingValueError when it cannot be)."""
        return self.prepare(invoice, options, self.title) if self.prepare is not None else invoice


def deferred(module: str, name: str) -> Callable[..., Any]:
    """``module.name``, imported on its first call: a format's reader or writer that start-up need not import.

    A run on a 1998B file never imports lxml or the XML readers and writers; the format
    table still lists every format.
    """

    @functools.cache
    def target() -> Callable[..., Any]:
        return getattr(importlib.import_module(module), name)

    def call(*args: Any, **kwargs: Any) -> Any:
        return target()(*args, **kwargs)

    call.__qualname__ = call.__name__ = name
    return call


# How a format finds what an invoice would lose in it (``Format.losses``; see ``ledes.formats.losses``), imported
# when ``convert`` first asks: reading and validating never do.
BY_HELD_FIELDS = deferred("ledes.formats.losses", "by_held_fields")
BY_READING_BACK = deferred("ledes.formats.losses", "by_reading_back")


class DeferredMapping(Mapping[str, str]):
    """``module.name``, a mapping imported on its first use: a format's field names that start-up need not build.

    A run on a 1998B file never builds the LEDES XML and LEDES 2000 element tables that
    those formats' field names come from.
    """

    def __init__(self, module: str, name: str) -> None:
        self._module = module
        self._name = name

    @functools.cached_property
    def _mapping(self) -> Mapping[str, str]:
        return getattr(importlib.import_module(self._module), self._name)

    def __getitem__(self, key: str) -> str:
        return self._mapping[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._mapping)

    def __len__(self) -> int:
        return len(self._mapping)

    def __repr__(self) -> str:
        return repr(self._mapping)
