"""What distinguishes the LEDES XML versions (``XmlVersion``), apart from the reader and writer that use it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ledes.formats.ledesxml.table import Segments


class XmlVersion:
    """What distinguishes the LEDES XML versions: the root element and its namespace, its element tables, its schema.

    ``segments`` are the version's element tables (2.1's unless ``amend`` makes them
    differ from them: ``table.Segments.amended``), built when first asked for, so that
    a run that reads no XML never builds them; ``schema`` is the file name of the
    project's reconstructed XSD in ``ledes.schemas`` (None when none ships).
    """

    def __init__(
        self, root: str, namespace: str, amend: Callable[[Segments], Segments] | None = None, schema: str | None = None
    ) -> None:
        self.root = root
        self.namespace = namespace
        self._amend = amend
        self.schema = schema

    @functools.cached_property
    def segments(self) -> Segments:
        from ledes.formats.ledesxml import table  # built when first used: a run on a pipe file never needs it

        return table.SEGMENTS if self._amend is None else self._amend(table.SEGMENTS)
