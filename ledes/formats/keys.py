"""The CLI keys of the formats (``--from`` / ``--to``), in the registry's order, without importing any format.

``ledes.formats.registry`` checks, when imported, that its formats have exactly these keys.
"""

FORMAT_KEYS = ("1998b", "1998bi", "xml2.0", "xml2.1", "xml2.2", "xml2000")
