"""The LEDES formats ledes reads and writes, and recognising a file's format from its content.

The registry (and with it every format's reader) is imported when one of these names is
first used (PEP 562), so that ``ledes.formats.keys`` can be read on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ledes.formats.base import Format, WriteOptions
    from ledes.formats.registry import DEFAULT, FORMATS, detect, detect_format, format_named, message_names

__all__ = ["DEFAULT", "FORMATS", "Format", "WriteOptions", "detect", "detect_format", "format_named", "message_names"]


def __getattr__(name: str) -> Any:
    if name in ("Format", "WriteOptions"):
        from ledes.formats import base

        return getattr(base, name)
    if name in __all__:
        from ledes.formats import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
