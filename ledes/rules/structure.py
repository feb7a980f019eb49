"""Structure rules: the format line, the header, record terminators and field counts (reader-applied)."""

from ledes.diagnostics import Severity
from ledes.rules.base import reader_rule

FORMAT_LINE = reader_rule(
    "structure.format-line",
    Severity.ERROR,
    """The first line is the format marker ``LEDES1998B[]``.

    Why: portals identify the format from line 1 and reject the upload otherwise
    ("Invoice upload file contains invalid format", Collaborati).
    A file that is not LEDES at all (a CSV export, an Excel workbook, a PDF, a ZIP archive,
    a binary file, XML of another kind, other text) is reported once, here, with what it
    looks like and what to run instead, and is not read further.
    Options: none.
    Passing: ``LEDES1998B[]``
    Failing: ``LEDES1998Z[]``; a file that starts with the header; a CSV export.
    """,
)

NO_INVOICE = reader_rule(
    "structure.no-invoice",
    Severity.ERROR,
    """The file holds at least one invoice.

    Why: a file of a format line and a header only (an exporter that dropped every row),
    or an XML document whose root holds no invoice, bills nothing: a portal rejects it,
    and ``ledes show``, ``report`` and ``convert`` have nothing to read. When reading the
    file found errors (a damaged header, records that were skipped), they say why no
    invoice was read, and this rule adds nothing; a file that is not LEDES at all is
    reported once, as ``structure.format-line``.
    Options: none.
    Passing: ``LEDES1998B[]``, the header, then the invoices' records.
    Failing: ``LEDES1998B[]`` and the header with nothing after them; a ``<ledesxmlebilling2.1>`` root with no ``<invoice>``.
    """,
)

HEADER = reader_rule(
    "structure.header",
    Severity.ERROR,
    """The second line is the 24 field names, in order, joined by ``|`` and ending ``[]``.

    Why: receivers check the header exactly (the LEDES 1998B specification, ledes.org). When the names are
    all present but out of order or in lower case, ledes still maps the columns by name
    so the rest of the file is checked.
    Options: none.
    Passing: ``INVOICE_DATE|INVOICE_NUMBER|…|CLIENT_MATTER_ID[]``
    Failing: ``INVALID_HEADERS[]``; ``INVOIC_DATE|INVOICE_NUMBER|…``
    """,
)

FIELD_COUNT = reader_rule(
    "structure.field-count",
    Severity.ERROR,
    """Each data record has exactly 24 fields (23 ``|`` separators).

    Why: a record with more or fewer fields cannot be mapped; a ``|`` inside a
    description is the usual cause. The record is reported and skipped.
    Options: none.
    Passing: a record of 24 fields ending ``[]``.
    Failing: ``19990225|96542|…|Research, Smith|Jones|…[]`` (25 fields).
    """,
    lossy=True,
)

TRAILING_SEPARATOR = reader_rule(
    "structure.trailing-separator",
    Severity.ERROR,
    """No record ends with ``|[]``, a separator after the last field.

    Why: some exporters write a ``|`` after CLIENT_MATTER_ID, which makes 25 fields and
    gets the file rejected. Nothing is lost, so ledes reads such a record without the
    empty last field and reports it here rather than as ``structure.field-count``; when
    the header ends ``|[]`` too, ``structure.header`` reports it once for the file.
    Options: none.
    Passing: ``…|Arnsley, Robert|PARTNR|423-987[]``
    Failing: ``…|Arnsley, Robert|PARTNR|423-987|[]``
    """,
)

TERMINATOR = reader_rule(
    "structure.terminator",
    Severity.ERROR,
    """Each data record ends with ``[]``.

    Why: ``[]`` is the LEDES 1998B record terminator; portals reject records without it.
    A record that spans lines (a line break inside a narrative) is accepted as long as
    it ends with ``[]``.
    Options: none.
    Passing: ``…|423-987[]``
    Failing: ``…|423-987``
    """,
)

EMBEDDED_TERMINATOR = reader_rule(
    "structure.embedded-terminator",
    Severity.WARNING,
    """No field holds ``[]``, the record terminator: it ends the record only.

    Why: readers that end a record at the first ``[]`` (public 1998B parsers split the text
    at it; others read the last field up to the first ``[``) cut such a record short, so a
    narrative like ``Research fees [] set off`` or a record ending ``[][]`` (the last field
    then reads ``423-987[]``) is misread by the portal's importer while it reads here. The
    writers refuse to write such a value, as they refuse a ``|``.
    Options: none.
    Passing: ``…|Research fees, set off claim|…|423-987[]``
    Failing: ``…|Research fees [] set off claim|…|423-987[]`` and ``…|423-987[][]``
    """,
)

LINE_BREAK = reader_rule(
    "structure.line-break",
    Severity.ERROR,
    """No record spans lines: no field holds a line break.

    Why: portals read one record per line, so a narrative with a line break in it
    splits its record in two. ledes joins the lines back (as long as the joined record
    does not hold more fields than a record has), checks the record, and reports it
    here; the writer refuses to write such a value.
    Options: none.
    Passing: a description on one line.
    Failing: ``…|Research attorney's fees,`` then ``Trial pleading|24-6437381|…[]`` on the next line.
    """,
)

ENCODING = reader_rule(
    "structure.encoding",
    Severity.INFO,
    """The file is UTF-8 (LEDES asks for ASCII); other files are read as Windows-1252.

    Why: time-and-billing exports from Windows often use the ANSI code page. ledes reads
    such a file anyway and says so once, at the first line that is not UTF-8.
    Options: none.
    Passing: an ASCII or UTF-8 file.
    Failing: a description holding the byte 0x92 (a Windows-1252 apostrophe).
    """,
)

LINE_LENGTH = reader_rule(
    "structure.line-length",
    Severity.ERROR,
    """No physical line is longer than 1 MiB characters.

    Why: the longest valid record (two 15 KB narratives and short fields) is far
    shorter; a longer line is corrupt or not LEDES, and is skipped so that memory stays
    bounded.
    Options: none.
    Passing: any real invoice.
    Failing: a 2 GB file without a line break.
    """,
    lossy=True,
)

RULES = (FORMAT_LINE, NO_INVOICE, HEADER, FIELD_COUNT, TRAILING_SEPARATOR, TERMINATOR, EMBEDDED_TERMINATOR,
         LINE_BREAK, ENCODING, LINE_LENGTH)
