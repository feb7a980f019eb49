"""LEDES 2000 (XML, DTD-based): element tables, a tolerant streaming reader and a clean writer on the shared model."""

from ledes.formats.ledes2000.reader import read_2000
from ledes.formats.ledes2000.writer import write_2000

__all__ = ["read_2000", "write_2000"]
