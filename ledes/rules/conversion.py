"""Conversion rules: what ``ledes convert`` and ``ledes import`` report when a target format cannot hold a value.

Two classes, by what the target does with the value: it has no field for it at all
(``convert.unsupported-field``, a warning: the output is written, and says less than the
source), or it has one but would give the value back changed or empty
(``convert.changed-value``, an error: the output would say something else, so nothing is
written unless ``--allow-loss``).
"""

from ledes.diagnostics import Severity
from ledes.rules.base import reader_rule

UNSUPPORTED_FIELD = reader_rule(
    "convert.unsupported-field",
    Severity.WARNING,
    """A value of the source has no field in the target format at all, so the output goes without it.

    Why: a converter that drops a tax, an address or a name silently changes the bill;
    but a format without the field cannot hold the value however it is written, and
    refusing every such conversion only teaches ``--allow-loss`` as a habit. ``ledes
    convert`` lists every such value (field, value, line) as a warning and writes the
    file; ``--strict`` refuses instead (exit 1, nothing written). A value that says
    nothing where it is dropped (a zero tax, a net total equal to the total less tax,
    a discount's units of 1) is not listed. For a target read back to check it (LEDES
    XML, LEDES 2000), "no field" means the target writes the same file with the value
    or without it (an XML discount has no description; XML has no line number). An
    amount the line's total includes (a line tax that is not zero, into 1998B; an
    expense's adjustment, into LEDES 2000) is not this rule's: dropped, it leaves a line
    that no longer adds up, a ``convert.changed-value``. A loss names each distinct
    value (the first five, then how many more) and in how many places.
    Options: none.
    Passing: LEDES 1998B converted to 1998BI (1998BI holds every 1998B field).
    Failing: the LOC 1998BI sample converted to 1998B: its currency, tax totals and addresses.
    """,
    lossy=True,
)

CHANGED_VALUE = reader_rule(
    "convert.changed-value",
    Severity.ERROR,
    """A value the target format holds would not come back as it was written: changed or dropped on the way.

    Why: unlike a field the target lacks, this output would say something other than the
    source, and nothing in it shows: ``ledes convert`` writes each invoice in the target
    format, reads it back with the target's own reader, and lists every value that the
    target wrote but does not give back (field, value, line, what it would become), or
    the whole invoice when it would not be read back at all. Nothing is written (exit 1)
    unless ``--allow-loss``. Two values are the same when the target writes them the
    same (LEDES 2000 writes a fee's zero adjustment and no adjustment alike), so a zero
    adjustment that comes back empty is listed only where the target wrote it. A line
    tax or adjustment that is not zero and that the target has no field for is a change
    too when the line's total, which includes it, is kept: the line would no longer add
    up (1998BI's line taxes into 1998B, an expense's discount into LEDES 2000).
    Options: none.
    Passing: the LOC 1998B sample's first invoice, its adjustments written ``0.00``,
    converted to LEDES 2000 (which writes a zero adjustment as none: the same there).
    Failing: a 1998BI fee with VAT converted to LEDES 2000, which writes the tax into
    the matter's totals but reads each line back without it: the line's total and tax
    change.
    """,
    lossy=True,
)

RULES = (UNSUPPORTED_FIELD, CHANGED_VALUE)
