"""What distinguishes the LEDES XML versions (``XmlVersion``), apart from the reader and writer that use it."""

from __future__ import annotations

from ledes.formats.ledesxml import table


class XmlVersion:
    """What distinguishes the LEDES XML versions: the root element and its namespace, its element tables, its schema.

    ``segments`` are the version's element tables (2.1's unless it differs:
    ``table.Segments.amended``); ``schema`` is the file name of the project's
    reconstructed XSD in ``ledes.schemas`` (None when none ships).
    """

    def __init__(
        self, root: str, namespace: str, segments: table.Segments = table.SEGMENTS, schema: str | None = None
    ) -> None:
        self.root = root
        self.namespace = namespace
        self.segments = segments
        self.schema = schema
