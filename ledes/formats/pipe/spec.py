"""What a pipe-delimited LEDES format is: its name, its format line, and its field table."""

from __future__ import annotations

import re

import attrs

from ledes.formats.fields import Field


@attrs.frozen
class PipeFormat:
    """A pipe-delimited LEDES format.

    ``marker`` is the prefix of its format line (``LEDES1998B``); ``accepted_lines``
    matches every format line it accepts (``LEDES98BI V5[]`` as well as ``V2``), and
    ``format_line`` is the one its writer writes.
    """

    name: str
    title: str
    marker: str
    format_line: str
    accepted_lines: re.Pattern
    fields: tuple[Field, ...]

    @property
    def header(self) -> str:
        return "|".join(field.name for field in self.fields) + "[]"

    @property
    def field_names(self) -> dict[str, str]:
        """Model paths to this format's field names, so rules on the model report its names."""
        return {field.target: field.name for field in self.fields}
