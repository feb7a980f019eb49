"""LEDES 2000 (XML, DTD-based): element tables, a tolerant streaming reader and a clean writer on the shared model.

The reader and writer (and lxml) are imported when first used, not with the package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ledes.formats.ledes2000.reader import read_2000
    from ledes.formats.ledes2000.writer import write_2000

__all__ = ["read_2000", "write_2000"]


def __getattr__(name: str) -> Any:
    if name == "read_2000":
        from ledes.formats.ledes2000.reader import read_2000

        return read_2000
    if name == "write_2000":
        from ledes.formats.ledes2000.writer import write_2000

        return write_2000
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
