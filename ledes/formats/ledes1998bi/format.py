"""LEDES 1998BI as a ``Format``: the pipe reader and writer with its field table; its writer needs a currency."""

from __future__ import annotations

import functools
import re

from ledes.formats.base import BY_HELD_FIELDS, Format, RequiredOption, WriteOptions, deferred
from ledes.formats.ledes1998bi import table
from ledes.formats.pipe.reader import read_pipe
from ledes.formats.pipe.sniff import pipe_sniffer
from ledes.model import Invoice

_complete = deferred("ledes.conversion", "complete_for_1998bi")  # only writing a 1998BI file completes an invoice


def _prepare(invoice: Invoice, options: WriteOptions, title: str) -> Invoice:
    return _complete(invoice, options.currency)


LEDES_1998BI = Format(
    name=table.FORMAT_NAME,
    key="1998bi",
    title="LEDES 1998BI",
    read=functools.partial(read_pipe, table.FORMAT),
    write=functools.partial(deferred("ledes.formats.pipe.writer", "write_pipe"), table.FORMAT),
    field_names=table.FIELD_NAMES,
    # Format lines real generators write for 98BI: "LEDES98BI V2[]", "LEDES1998BI[]", "LEDES1998BI V2[]".
    sniff=pipe_sniffer(table.FORMAT, re.compile(r"LEDES\s*(?:19)?98\s*BI")),
    losses=BY_HELD_FIELDS,
    required_options=(RequiredOption("currency", "the invoices' currency (INVOICE_CURRENCY)"),),
    prepare=_prepare,
    preamble_lines=2,
)
