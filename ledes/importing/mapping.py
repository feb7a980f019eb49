"""The mapping file: which source column holds each invoice field, how to read values, how to group and number invoices."""

from __future__ import annotations

import codecs
import contextlib
import difflib
import os
import re
import string
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Protocol

import attrs

from ledes.errors import LedesConfigError
from ledes.limits import parse_config_toml, read_config_text
from ledes.rules.options import DECIMAL_PLACES, WHOLE_DIGITS, reasonable, shown

COLUMNS = (
    "date", "type", "client_id", "law_firm_matter_id", "client_matter_id", "timekeeper_id", "timekeeper_name",
    "timekeeper_classification", "hours", "quantity", "rate", "unit_cost", "amount", "task_code", "activity_code",
    "expense_code", "description",
)
REQUIRED_COLUMNS = ("date", "law_firm_matter_id", "hours")
PERIODS = ("month", "quarter", "matter")
SOURCE_KEYS = frozenset({"delimiter", "encoding", "sheet", "date_formats", "decimal", "thousands"})
ROUNDINGS = ("up", "down", "nearest")
NUMBER_FIELDS = ("year", "month", "quarter", "counter", "client", "matter")
_DAY = 24  # the most hours an increment may be
MAX_NUMBER_WIDTH = 64  # characters a field of the invoice number pattern may be padded to
MAX_FIRST_NUMBER = 10**15  # the first counter has at most 15 digits, as any number in a mapping
DEFAULT_FEE_TYPES = ("F", "FEE", "T", "TIME")
DEFAULT_EXPENSE_TYPES = ("E", "EXPENSE", "COST", "DISBURSEMENT")

_SECTIONS = {
    "source": SOURCE_KEYS,
    "columns": frozenset(COLUMNS),
    "types": frozenset({"fee", "expense"}),
    "defaults": frozenset({"law_firm_id", "law_firm_name", "client_id", "currency", "invoice_description"}),
    "invoice": frozenset({"per", "number", "first", "date"}),
    "hours": frozenset({"increment", "rounding"}),
    "timekeepers": None,
    "classification_rates": None,
}
_TIMEKEEPER = frozenset({"name", "classification", "rate"})
# What no LEDES text may hold: every control character but tab, LF and CR, DEL and the C1 controls (as
# field.control-character), and the code points XML 1.0 cannot hold at all.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


class SourceSettings(Protocol):
    """How to read a source's rows and values (a mapping's ``[source]``): what open_rows and ValueReader need.

    ``ImportMapping`` is one; so is the ledger's status mapping, which reads exports the same way.
    """

    @property
    def path(self) -> str: ...
    @property
    def encoding(self) -> str: ...
    @property
    def delimiter(self) -> str | None: ...
    @property
    def sheet(self) -> str | None: ...
    @property
    def date_formats(self) -> tuple[str, ...]: ...
    @property
    def decimal(self) -> str: ...
    @property
    def thousands(self) -> str: ...


@attrs.frozen
class MappedTimekeeper:
    """A timekeeper the mapping knows: name ("Last, First"), LEDES classification, hourly rate (each optional)."""

    name: str | None = None
    classification: str | None = None
    rate: Decimal | None = None


@attrs.frozen
class ImportMapping:
    """A mapping file read and checked: columns by model field, value formats, defaults, grouping, numbering, rates."""

    path: str
    columns: Mapping[str, str]
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)
    decimal: str = "."
    thousands: str = ""
    delimiter: str | None = None
    encoding: str = "utf-8-sig"
    sheet: str | None = None
    fee_types: tuple[str, ...] = DEFAULT_FEE_TYPES  # matched ignoring case
    expense_types: tuple[str, ...] = DEFAULT_EXPENSE_TYPES
    law_firm_id: str = ""
    law_firm_name: str | None = None
    client_id: str | None = None
    currency: str | None = None
    invoice_description: str | None = None
    per: str = "month"
    number: str = "{year}{month:02d}-{counter:04d}"
    first_number: int = 1
    invoice_date: date | None = None
    increment: Decimal | None = None
    rounding: str | None = None
    timekeepers: Mapping[str, MappedTimekeeper] = attrs.field(factory=dict)
    classification_rates: Mapping[str, Decimal] = attrs.field(factory=dict)


def load_mapping(path: str | os.PathLike[str]) -> ImportMapping:
    """Read a mapping file; a LedesConfigError names the file, the key and what was expected."""
    where = str(path)
    text = read_config_text(path, "mapping")
    document = parse_config_toml(text, where)
    check_keys(document, frozenset(_SECTIONS), where, "")
    sections = {name: _table(document.get(name, {}), where, name) for name in _SECTIONS}
    for name, allowed in _SECTIONS.items():
        if allowed is not None:
            check_keys(sections[name], allowed, where, name)
    return ImportMapping(path=where, **source_settings(sections["source"], where), columns=_columns(sections, where),
                         **_types(sections["types"], where), **_defaults(sections["defaults"], where),
                         **_invoice(sections["invoice"], where), **_hours(sections["hours"], where),
                         timekeepers=_timekeepers(sections["timekeepers"], where),
                         classification_rates=_rates(sections["classification_rates"], where))


def source_settings(table: dict, where: str) -> dict:
    """A mapping's ``[source]`` table checked: delimiter, encoding, sheet, date formats, decimal and thousands marks."""
    delimiter = table.get("delimiter")
    if delimiter is not None and delimiter not in (",", ";", "\t", "|"):
        raise LedesConfigError(f"{where}: source.delimiter: expected \",\", \";\", \"\\t\" or \"|\", found {shown(delimiter)}")
    formats = table.get("date_formats", ["%Y-%m-%d"])
    if isinstance(formats, str):
        formats = [formats]
    if not isinstance(formats, list) or not formats or not all(_is_date_format(item) for item in formats):
        bad = next((item for item in formats if not _is_date_format(item)), formats) if isinstance(formats, list) else formats
        raise LedesConfigError(f"{where}: source.date_formats: expected a list of strftime formats with %d, %m"
                               f" (or %b) and %Y (or %y) that read back the dates they write, such as"
                               f" [\"%m/%d/%Y\"], found {shown(bad)}")
    decimal = table.get("decimal", ".")
    if decimal not in (".", ","):
        raise LedesConfigError(f"{where}: source.decimal: expected \".\" or \",\", found {shown(decimal)}")
    thousands = table.get("thousands", "")
    if thousands not in ("", ",", ".", " ", "'") or thousands == decimal:
        raise LedesConfigError(f"{where}: source.thousands: expected \"\", \",\", \".\", \" \" or \"'\" (not the"
                               f" decimal mark), found {shown(thousands)}")
    encoding = _text(table, "encoding", where, "source", "utf-8-sig")
    try:
        codecs.lookup(encoding or "")
        with contextlib.suppress(UnicodeError):
            "x".encode(encoding or "")  # a codec that is no text encoding (rot13, base64) is a LookupError here
    except LookupError:
        raise LedesConfigError(f"{where}: source.encoding: expected a text encoding such as utf-8-sig or cp1252,"
                               f" found {shown(encoding)}") from None
    return {"delimiter": delimiter, "encoding": encoding,
            "sheet": _text(table, "sheet", where, "source"), "date_formats": tuple(formats), "decimal": decimal,
            "thousands": thousands}


def _columns(sections: dict, where: str) -> dict[str, str]:
    columns = {field: _text(sections["columns"], field, where, "columns") for field in sections["columns"]}
    for field in REQUIRED_COLUMNS:
        if not columns.get(field):
            raise LedesConfigError(f"{where}: columns.{field}: expected the name of the source column, found nothing")
    if not columns.get("client_id") and not sections["defaults"].get("client_id"):
        raise LedesConfigError(f"{where}: columns.client_id: expected a source column, or defaults.client_id,"
                               " found neither")
    return {field: name for field, name in columns.items() if name}


def _types(table: dict, where: str) -> dict:
    found = {}
    for kind, default in (("fee", DEFAULT_FEE_TYPES), ("expense", DEFAULT_EXPENSE_TYPES)):
        values = table.get(kind, list(default))
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
            raise LedesConfigError(f"{where}: types.{kind}: expected a list of the type column's values, found"
                                   f" {shown(values)}")
        found[f"{kind}_types"] = tuple(value.strip() for value in values)
    both = {value.upper() for value in found["fee_types"]} & {value.upper() for value in found["expense_types"]}
    if both:
        raise LedesConfigError(f"{where}: types: {', '.join(sorted(both))} cannot mean both a fee and an expense")
    return found


def _defaults(table: dict, where: str) -> dict:
    values = {key: _text(table, key, where, "defaults") for key in _SECTIONS["defaults"]}  # type: ignore[union-attr]
    if not values["law_firm_id"]:
        raise LedesConfigError(f"{where}: defaults.law_firm_id: expected the law firm's id (LAW_FIRM_ID), found nothing")
    currency = values["currency"]
    if currency is not None and not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
        raise LedesConfigError(f"{where}: defaults.currency: expected an ISO 4217 code such as USD, found {shown(currency)}")
    return values


def _invoice(table: dict, where: str) -> dict:
    per = table.get("per", "month")
    if per not in PERIODS:
        raise LedesConfigError(f"{where}: invoice.per: expected one of {', '.join(PERIODS)}, found {shown(per)}")
    number = table.get("number", "{year}{month:02d}-{counter:04d}")
    if not isinstance(number, str) or "{counter" not in number:
        raise LedesConfigError(f"{where}: invoice.number: expected a pattern with {{counter}}, such as"
                               f" \"NW-{{year}}{{month:02d}}-{{counter:04d}}\", found {shown(number)}")
    _check_pattern(number, where)
    first = table.get("first", 1)
    if isinstance(first, bool) or not isinstance(first, int) or not 0 <= first < MAX_FIRST_NUMBER:
        raise LedesConfigError(f"{where}: invoice.first: expected a whole number (the first counter) from 0 to"
                               f" {MAX_FIRST_NUMBER - 1:,}, found {shown(first)}")
    day = table.get("date", "period_end")
    if isinstance(day, datetime) or not (day == "period_end" or isinstance(day, date)):
        raise LedesConfigError(f"{where}: invoice.date: expected \"period_end\" or a date such as 2024-05-03,"
                               f" found {shown(day)}")
    return {"per": per, "number": number, "first_number": first,
            "invoice_date": None if day == "period_end" else day}


def _check_pattern(pattern: str, where: str) -> None:
    try:
        fields = [(name, spec) for _, name, spec, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as error:
        raise LedesConfigError(f"{where}: invoice.number: {error}") from None
    for name, spec in fields:
        if "{" in (spec or ""):  # {counter:{counter}}: a width taken from a value, which no check here can bound
            raise LedesConfigError(f"{where}: invoice.number: {{{name}:{spec}}}: a format spec cannot hold a"
                                   " replacement field; write the width as a number, such as {counter:05}")
        if (spec or "").endswith("c"):  # {counter:c}: the character of that code point, a control or a surrogate
            raise LedesConfigError(f"{where}: invoice.number: {{{name}:{spec}}}: the c type writes a number as the"
                                   " character of that code; write it in digits, such as {counter:05d} or {counter:x}")
        # A width or precision of 1,500,000,000 would build a string that size for every invoice.
        widest = max((int(digits) for digits in re.findall(r"\d+", spec or "")), default=0)
        if widest > MAX_NUMBER_WIDTH:
            raise LedesConfigError(f"{where}: invoice.number: {{{name}:{spec}}}: a width of at most"
                                   f" {MAX_NUMBER_WIDTH} characters, found {widest}")
    names = [name for name, _ in fields]
    for name in names:
        if name not in NUMBER_FIELDS:
            raise LedesConfigError(f"{where}: invoice.number: unknown field {{{name}}} (expected one of"
                                   f" {', '.join(NUMBER_FIELDS)})")
    try:
        pattern.format(year=2024, month=1, quarter=1, counter=1, client="C", matter="M")
    except (ValueError, TypeError) as error:
        raise LedesConfigError(f"{where}: invoice.number: {error}") from None


def _hours(table: dict, where: str) -> dict:
    increment = table.get("increment")
    if increment is not None:
        increment = _decimal(increment, where, "hours.increment")
        if not 0 < increment <= _DAY:
            raise LedesConfigError(f"{where}: hours.increment: expected a number of hours above 0 and at most {_DAY},"
                                   f" found {increment}")
    rounding = table.get("rounding")
    if rounding is not None and rounding not in ROUNDINGS:
        raise LedesConfigError(f"{where}: hours.rounding: expected one of {', '.join(ROUNDINGS)}, found {shown(rounding)}")
    if increment is not None and rounding is None:
        raise LedesConfigError(f"{where}: hours.rounding: expected one of {', '.join(ROUNDINGS)} with an increment,"
                               " found nothing")
    return {"increment": increment, "rounding": rounding}


def _timekeepers(table: dict, where: str) -> dict[str, MappedTimekeeper]:
    found = {}
    for keeper_id, entry in table.items():
        path = f"timekeepers.\"{keeper_id}\""
        if not isinstance(entry, dict):
            raise LedesConfigError(f"{where}: {path}: expected a table (name, classification, rate), found {shown(entry)}")
        check_keys(entry, _TIMEKEEPER, where, path)
        rate = _decimal(entry["rate"], where, f"{path}.rate") if "rate" in entry else None
        found[keeper_id] = MappedTimekeeper(_text(entry, "name", where, path), _text(entry, "classification", where, path),
                                            rate)
    return found


def _rates(table: dict, where: str) -> dict[str, Decimal]:
    return {name: _decimal(value, where, f"classification_rates.{name}") for name, value in table.items()}


# -- small checks --------------------------------------------------------------------------


def _is_date_format(value: object) -> bool:
    """A strftime pattern with a day, a month and a year, that reads back the date it writes (``%d %d``, ``%Q`` do not)."""
    if not isinstance(value, str) or len(value) > 100:
        return False
    if not ("%d" in value and any(part in value for part in ("%m", "%b", "%B")) and ("%Y" in value or "%y" in value)):
        return False
    sample = date(2024, 11, 28)
    try:
        return datetime.strptime(sample.strftime(value), value).date() == sample
    except (ValueError, re.error):
        return False


def _table(value: object, where: str, path: str) -> dict:
    if not isinstance(value, dict):
        raise LedesConfigError(f"{where}: {path}: expected a table ([{path}]), found {shown(value)}")
    return value


def _text(table: dict, key: str, where: str, path: str, default: str | None = None) -> str | None:
    value = table.get(key, default)
    if value is None:
        return None
    if not isinstance(value, str):
        raise LedesConfigError(f"{where}: {path}.{key}: expected text (in quotes), found {shown(value)}")
    if CONTROL_CHARACTERS.search(value):
        raise LedesConfigError(f"{where}: {path}.{key}: expected text without control characters, found {shown(value)}")
    return value.strip() or None


def check_keys(table: dict, allowed: frozenset[str], where: str, path: str) -> None:
    """Refuse a key of ``table`` (at ``path`` in the file ``where``) that is not ``allowed``, suggesting the closest."""
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f" (expected one of: {', '.join(sorted(allowed))})"
            raise LedesConfigError(f"{where}: {path + '.' if path else ''}{key}: unknown key{hint}")


def _decimal(value: object, where: str, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise LedesConfigError(f"{where}: {path}: expected a number, found {shown(value)}")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise LedesConfigError(f"{where}: {path}: expected a number, found {shown(value)}") from None
    if not amount.is_finite() or amount < 0:
        raise LedesConfigError(f"{where}: {path}: expected a positive number, found {shown(value)}")
    if not reasonable(amount):
        raise LedesConfigError(f"{where}: {path}: expected a number of at most {WHOLE_DIGITS} digits before the decimal"
                               f" point and {DECIMAL_PLACES} after it, found {shown(value)}")
    return amount
