"""LEDES XML 2.1 and 2.2: element tables, a streaming reader and a writer on the shared invoice model."""

from ledes.formats.ledesxml.reader import read_xml
from ledes.formats.ledesxml.writer import XmlVersion, write_xml

XML_21 = XmlVersion("ledesxmlebilling2.1", "http://www.ledes.org/LEDES21.xsd", schema="ledes-xml-2.1.xsd")
XML_22 = XmlVersion("ledesxmlebilling2.2", "http://www.ledes.org/LEDES22.xsd", schema="ledes-xml-2.2.xsd")

__all__ = ["XML_21", "XML_22", "XmlVersion", "read_xml", "write_xml"]
