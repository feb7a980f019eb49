"""The LEDES formats ledes reads and writes, and recognising a file's format from its content."""

from ledes.formats.registry import FORMATS, Format, detect_format, format_named

__all__ = ["FORMATS", "Format", "detect_format", "format_named"]
