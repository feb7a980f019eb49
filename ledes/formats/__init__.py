"""The LEDES formats ledes reads and writes, and recognising a file's format from its content."""

from ledes.formats.base import Format, WriteOptions
from ledes.formats.registry import DEFAULT, FORMATS, detect, detect_format, format_named

__all__ = ["DEFAULT", "FORMATS", "Format", "WriteOptions", "detect", "detect_format", "format_named"]
