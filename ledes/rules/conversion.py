"""Conversion rules: what ``ledes convert`` and ``ledes import`` report when a target format cannot hold a value."""

from ledes.diagnostics import Severity
from ledes.rules.base import reader_rule

UNSUPPORTED_FIELD = reader_rule(
    "convert.unsupported-field",
    Severity.ERROR,
    """A value of the source has no place in the target format, or would not come back as it was.

    Why: a converter that drops a tax, an address or a line number silently changes the
    bill. ``ledes convert`` lists every such value (field, value, line) and writes
    nothing unless ``--allow-loss`` is given.
    Options: none.
    Passing: LEDES 1998B converted to 1998BI (1998BI holds every 1998B field).
    Failing: the LOC 1998BI sample converted to 1998B: its taxes, currency and addresses.
    """,
    lossy=True,
)

RULES = (UNSUPPORTED_FIELD,)
