"""The mapping of ``ledes ledger import-status``: which column holds the invoice, status, date, amount, line, reason.

The same style as ``ledes import``'s mapping, and the same ``[source]`` table::

    [source]
    date_formats = ["%m/%d/%Y"]
    [columns]                      # required: invoice, status, date
    invoice = "Invoice Number"
    status = "Status"
    date = "Status Date"
    amount = "Amount"              # a payment, reduction or write-off
    line = "Line Item"             # the invoice line a reduction is on
    reason = "Comment"
    code = "Reason Code"
    portal = "Portal"
    [statuses]                     # the export's words for each event (matched ignoring case)
    accepted = ["Approved"]
    rejected = ["Rejected"]
    paid = ["Paid"]
    reduced = ["Line Adjusted"]
    ignore = ["Submitted"]         # rows that record nothing (the submission is ledes ledger add's)
    [codes]                        # the export's reduction codes, as the guideline rules they apply
    RATE = "rates.cap"
    [defaults]
    portal = "CounselLink"
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

import attrs

from ledes.errors import LedesConfigError
from ledes.importing.mapping import SOURCE_KEYS, check_keys, source_settings
from ledes.ledger.events import Kind
from ledes.limits import parse_config_toml, read_config_text
from ledes.rules import RULES_BY_NAME

COLUMNS = ("invoice", "status", "date", "amount", "line", "reason", "code", "portal")
REQUIRED = ("invoice", "status", "date")
IGNORE = "ignore"
EVENTS = tuple(kind.value for kind in Kind if kind not in (Kind.SUBMITTED, Kind.SHORT_PAID))
_SECTIONS = {"source": SOURCE_KEYS, "columns": frozenset(COLUMNS), "statuses": frozenset((*EVENTS, IGNORE)),
             "codes": None, "defaults": frozenset({"portal"})}


@attrs.frozen
class StatusMapping:
    """A status mapping read and checked: how to read the export, its columns, its words for events, its codes."""

    path: str
    columns: Mapping[str, str]
    statuses: Mapping[str, str | None]  # the export's word, upper case -> event kind (None: ignore the row)
    codes: Mapping[str, str] = attrs.field(factory=dict)
    portal: str | None = None
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)
    decimal: str = "."
    thousands: str = ""
    delimiter: str | None = None
    encoding: str = "utf-8-sig"
    sheet: str | None = None


def load_status_mapping(path: str) -> StatusMapping:
    """Read a status mapping; a LedesConfigError names the file, the key and what was expected."""
    text = read_config_text(path, "mapping")
    document = parse_config_toml(text, path)
    check_keys(document, frozenset(_SECTIONS), path, "")
    sections = {}
    for name, allowed in _SECTIONS.items():
        table = document.get(name, {})
        if not isinstance(table, dict):
            raise LedesConfigError(f"{path}: {name}: expected a table ([{name}])")
        if allowed is not None:
            check_keys(table, allowed, path, name)
        sections[name] = table
    columns = {key: _text(value, path, f"columns.{key}") for key, value in sections["columns"].items()}
    for key in REQUIRED:
        if not columns.get(key):
            raise LedesConfigError(f"{path}: columns.{key}: expected the name of the export's column, found nothing")
    statuses: dict[str, str | None] = {}
    for kind, words in sections["statuses"].items():
        words = [words] if isinstance(words, str) else words
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise LedesConfigError(f"{path}: statuses.{kind}: expected a list of the export's words, found {words!r}")
        for word in words:
            key = word.strip().upper()
            if key in statuses:
                raise LedesConfigError(f"{path}: statuses.{kind}: '{word}' already means {statuses[key] or IGNORE}")
            statuses[key] = None if kind == IGNORE else kind
    if not statuses:
        raise LedesConfigError(f"{path}: statuses: expected the export's words for its events (paid = [\"Paid\"], ...)")
    codes = {}
    for code, rule in sections["codes"].items():
        if rule not in RULES_BY_NAME:
            close = difflib.get_close_matches(str(rule), RULES_BY_NAME, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else "; `ledes rules` lists them"
            raise LedesConfigError(f"{path}: codes.{code}: no rule named {rule!r}{hint}")
        codes[str(code).strip().upper()] = rule
    portal = sections["defaults"].get("portal")
    return StatusMapping(path=path, columns=columns, statuses=statuses, codes=codes,
                         portal=_text(portal, path, "defaults.portal") if portal is not None else None,
                         **source_settings(sections["source"], path))


def _text(value: object, where: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LedesConfigError(f"{where}: {key}: expected text, found {value!r}")
    return value.strip()

