"""LEDES XML 2.1 and 2.2: element tables, a streaming reader and a writer on the shared invoice model.

The reader and writer (and lxml) are imported when first used, not with the package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledes.formats.ledesxml.versions import XmlVersion

if TYPE_CHECKING:
    from ledes.formats.ledesxml.reader import read_xml
    from ledes.formats.ledesxml.writer import write_xml

XML_21 = XmlVersion("ledesxmlebilling2.1", "http://www.ledes.org/LEDES21.xsd", schema="ledes-xml-2.1.xsd")
XML_22 = XmlVersion("ledesxmlebilling2.2", "http://www.ledes.org/LEDES22.xsd", schema="ledes-xml-2.2.xsd")

__all__ = ["XML_21", "XML_22", "XmlVersion", "read_xml", "write_xml"]


def __getattr__(name: str) -> Any:
    if name == "read_xml":
        from ledes.formats.ledesxml.reader import read_xml

        return read_xml
    if name == "write_xml":
        from ledes.formats.ledesxml.writer import write_xml

        return write_xml
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
