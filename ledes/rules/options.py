"""Typed rule options: a rule with options declares them as an attrs class beside its check.

Each option is a field made by one of the functions here (``amount``, ``whole``, ``texts``,
``choices``, ``code_sets``, ``amounts``, ``day``): a default, a converter that turns what a
guidelines file or a ``Config`` gives into the typed value (``"0.10"`` into
``Decimal("0.10")``, ``1999-12-31`` into a date), or raises OptionError saying what was
expected, and the JSON Schema of the option for ``schemas/guidelines.schema.json``. The
options are converted when a configuration is built, so that a wrong value is reported
before any file is read, with the file and the key that gave it; a check receives the
instance of its class, never raw values.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from ledes.errors import LedesConfigError
from ledes.limits import MAX_PHRASE_LENGTH, MAX_PHRASES
from ledes.model.classifications import ALL_CLASSIFICATIONS

SCHEMA = "ledes.schema"  # the key of an option field's JSON Schema in its attrs metadata
_SHOWN = 40  # characters of a value a message quotes
WHOLE_DIGITS = 15  # digits an option's number may have before its decimal point
DECIMAL_PLACES = 10  # and after it
_NUMBER = {"type": ["number", "string"], "description": "a decimal number (quote it to keep every digit)"}


class OptionError(ValueError):
    """A value an option cannot take: what was expected and what was found.

    ``where`` locates the wrong part inside the value: ``.PARTNR`` for a table's key,
    ``[2]`` for a list's item; the caller prefixes the file and the path to the option.
    """

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.where = where


@attrs.frozen
class NoOptions:
    """What the check of a rule without options receives."""


NO_OPTIONS = NoOptions()


def shown(value: object) -> str:
    """A value as a message quotes it: text in quotes, numbers as written (cut short past 40 characters), a table or
    a list by its kind."""
    if isinstance(value, Mapping):
        return "a table" if value else "an empty table"
    if isinstance(value, (list, tuple)):
        return "a list" if value else "an empty list"
    if isinstance(value, (datetime.datetime, datetime.time)):  # a TOML date-time or time, as TOML writes it
        return f"the {'date-time' if isinstance(value, datetime.datetime) else 'time'} {value.isoformat()}"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value) if isinstance(value, Decimal) else repr(value)
    return text if len(text) <= _SHOWN else f"{text[:_SHOWN]}… ({len(text):,} characters)"


def reasonable(number: Decimal) -> bool:
    """Whether a number fits the amounts, hours and rates of invoices: ``WHOLE_DIGITS`` before the point at most, and
    ``DECIMAL_PLACES`` after it (so that no product or quotient of two leaves Decimal's range, 1e999999)."""
    if number.is_zero():
        return True
    if not -DECIMAL_PLACES <= number.adjusted() < WHOLE_DIGITS:
        return False
    return -int(number.normalize().as_tuple().exponent) <= DECIMAL_PLACES


# -- the kinds of option ----------------------------------------------------------------------


def to_amount(value: object, *, minimum: Decimal | None = None, positive: bool = False,
              maximum: Decimal | None = None) -> Decimal:
    """A number (an int, a float, a Decimal, or its text such as ``"0.10"``) as a finite Decimal in range."""
    not_a_number = OptionError(f"expected a number, found {shown(value)}")
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise not_a_number
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise not_a_number from None
    if not number.is_finite():
        raise not_a_number
    if not reasonable(number):
        raise OptionError(f"expected a number of at most {WHOLE_DIGITS} digits before the decimal point and"
                          f" {DECIMAL_PLACES} after it, found {shown(value)}")
    too_low = number <= 0 if positive else minimum is not None and number < minimum
    if too_low or (maximum is not None and number > maximum):
        raise OptionError(f"expected a number{_range(minimum, positive, maximum)}, found {shown(value)}")
    return number


def _range(minimum: Decimal | None, positive: bool, maximum: Decimal | None) -> str:
    if positive:
        return " above 0" if maximum is None else f" above 0 and at most {maximum}"
    if minimum is not None:
        return f" of at least {minimum}" if maximum is None else f" from {minimum} to {maximum}"
    return "" if maximum is None else f" of at most {maximum}"


def amount(default: str | int, *, minimum: int | None = None, positive: bool = False,
           maximum: int | None = None) -> Any:
    """A decimal option (money, hours, a percentage): ``amount("0.1", positive=True)``."""
    low = None if minimum is None else Decimal(minimum)
    high = None if maximum is None else Decimal(maximum)

    def convert(value: object) -> Decimal:
        return to_amount(value, minimum=low, positive=positive, maximum=high)

    schema: dict[str, object] = {**_NUMBER, "default": str(Decimal(default))}
    if positive:
        schema["exclusiveMinimum"] = 0
    elif low is not None:
        schema["minimum"] = minimum
    if high is not None:
        schema["maximum"] = maximum
    return attrs.field(default=Decimal(default), converter=convert, metadata={SCHEMA: schema})


_LARGEST_WHOLE = 10**WHOLE_DIGITS - 1  # as an amount's whole part: no count or day limit of a client needs more


def whole(default: int, *, minimum: int | None = None) -> Any:
    """A whole-number option (days, a count); never a bool, a float or text."""

    def convert(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or (minimum is not None and value < minimum):
            at_least = "" if minimum is None else f" of at least {minimum}"
            raise OptionError(f"expected a whole number{at_least}, found {shown(value)}")
        if abs(value) > _LARGEST_WHOLE:
            raise OptionError(f"expected a whole number of at most {WHOLE_DIGITS} digits, found {shown(value)}")
        return value

    schema: dict[str, object] = {"type": "integer", "default": default}
    if minimum is not None:
        schema["minimum"] = minimum
    return attrs.field(default=default, converter=convert, metadata={SCHEMA: schema})


def _text_items(value: object, most: int | None = None) -> tuple[str, ...]:
    if isinstance(value, (str, Mapping)) or not isinstance(value, Iterable):
        raise OptionError(f"expected a list of text values, found {shown(value)}")
    items = tuple(value)
    if most is not None and len(items) > most:
        raise OptionError(f"expected at most {most:,} words or phrases, found {len(items):,}")
    for index, item in enumerate(items):
        if not isinstance(item, str) or (most is not None and len(item) > MAX_PHRASE_LENGTH):
            raise OptionError(f"expected a word or phrase of at most {MAX_PHRASE_LENGTH} characters, found {len(item):,}"
                              if isinstance(item, str) else f"expected text, found {shown(item)}", f"[{index}]")
    return items


def texts(default: Iterable[str], *, phrases: bool = False) -> Any:
    """A list of text (words, phrases, codes), kept as written; ``phrases``, matched in narratives, bounded in number."""
    defaults = tuple(default)
    bound = {"maxItems": MAX_PHRASES, "items": {"type": "string", "maxLength": MAX_PHRASE_LENGTH}} if phrases else {}
    schema = {"type": "array", "items": {"type": "string"}, "default": list(defaults), **bound}
    return attrs.field(default=defaults, converter=functools.partial(_text_items, most=MAX_PHRASES if phrases else None),
                       metadata={SCHEMA: schema})


def flag(default: bool) -> Any:
    """A yes-or-no option: a TOML ``true`` or ``false``, never text or a number."""

    def convert(value: object) -> bool:
        if not isinstance(value, bool):
            raise OptionError(f"expected true or false, found {shown(value)}")
        return value

    return attrs.field(default=default, converter=convert, metadata={SCHEMA: {"type": "boolean", "default": default}})


def text(default: str) -> Any:
    """One text option (the characters a client refuses, say), kept as written."""

    def convert(value: object) -> str:
        if not isinstance(value, str):
            raise OptionError(f"expected text, found {shown(value)}")
        return value

    return attrs.field(default=default, converter=convert, metadata={SCHEMA: {"type": "string", "default": default}})


def currencies() -> Any:
    """A list of ISO 4217 currency codes (``USD``, ``EUR``), none by default; compared upper-cased."""

    def convert(value: object) -> tuple[str, ...]:
        codes = []
        for index, item in enumerate(_text_items(value)):
            code = item.strip().upper()
            if len(code) != 3 or not code.isascii() or not code.isalpha():
                raise OptionError(f"expected an ISO 4217 currency code (USD, EUR), found {shown(item)}", f"[{index}]")
            codes.append(code)
        return tuple(codes)

    schema = {"type": "array", "items": {"type": "string", "pattern": "^[A-Za-z]{3}$"}, "default": []}
    return attrs.field(default=(), converter=convert, metadata={SCHEMA: schema})


def choices(default: Iterable[str], allowed: Iterable[str]) -> Any:
    """A list of values from a fixed set (line types ``F``, ``E``, ...), compared trimmed and upper-cased."""
    known = tuple(allowed)
    defaults = tuple(default)

    def convert(value: object) -> tuple[str, ...]:
        chosen = []
        for index, item in enumerate(_text_items(value)):
            if item.strip().upper() not in known:
                raise OptionError(f"expected one of {', '.join(known)}, found {shown(item)}", f"[{index}]")
            chosen.append(item.strip().upper())
        return tuple(chosen)

    schema = {"type": "array", "items": {"enum": list(known)}, "default": list(defaults)}
    return attrs.field(default=defaults, converter=convert, metadata={SCHEMA: schema})


def one_of(default: str, allowed: Iterable[str]) -> Any:
    """One value from a fixed set (``half-up``), compared trimmed and lower-cased."""
    known = tuple(allowed)

    def convert(value: object) -> str:
        if not isinstance(value, str) or value.strip().lower() not in known:
            raise OptionError(f"expected one of {', '.join(known)}, found {shown(value)}")
        return value.strip().lower()

    return attrs.field(default=default, converter=convert, metadata={SCHEMA: {"enum": list(known), "default": default}})


def code_sets(default: Iterable[str], kind: str) -> Any:
    """A list of UTBMS code set keys (``ledes codes`` lists them), each a set of ``kind`` codes; empty allows any."""
    defaults = tuple(default)

    def convert(value: object) -> tuple[str, ...]:
        from ledes import utbms  # the shipped sets: a client's own codes are added to them, never new sets

        sets = utbms.code_sets()
        chosen = []
        for item in _text_items(value):
            found = sets.get(item.strip().upper())
            if found is None:
                raise OptionError(f"no code set '{item}' (sets: {', '.join(sets)})")
            if found.kind.value != kind:
                raise OptionError(f"set {found.key} holds {found.kind.value} codes, not {kind} codes")
            chosen.append(found.key)
        return tuple(chosen)

    schema = {"type": "array", "items": {"type": "string"}, "default": list(defaults),
              "description": f"keys of {kind} code sets (`ledes codes` lists them); empty allows any"}
    return attrs.field(default=defaults, converter=convert, metadata={SCHEMA: schema})


def amounts(default: Mapping[str, str], *, key: Callable[[str], str] = str) -> Any:
    """A table of amounts by name (``{PARTNR = 400, ASSOC = 250}``): names normalised by ``key``, amounts at least 0."""

    def convert(value: object) -> dict[str, Decimal]:
        if not isinstance(value, Mapping):
            raise OptionError(f"expected a table (key = amount), found {shown(value)}")
        table: dict[str, Decimal] = {}
        named: dict[str, str] = {}
        for name, limit in value.items():
            try:
                normal, amount = key(str(name)), to_amount(limit, minimum=Decimal(0))
            except OptionError as error:
                raise OptionError(str(error), f".{name}") from None
            if normal in table and table[normal] != amount:
                raise OptionError(f"'{named[normal]}' and '{name}' are the same key ({normal}) with two amounts,"
                                  f" {table[normal]} and {amount}: keep one", f".{name}")
            table[normal], named[normal] = amount, str(name)
        return table

    schema = {"type": "object", "additionalProperties": {**_NUMBER, "minimum": 0},
              "default": {name: str(Decimal(limit)) for name, limit in default.items()}}
    # The converter makes each instance its own table: the default is never shared, nor changed.
    return attrs.field(default={name: Decimal(limit) for name, limit in default.items()}, converter=convert,
                       metadata={SCHEMA: schema})


def upper(name: str) -> str:
    """A code or a classification as compared: trimmed, upper-cased."""
    return name.strip().upper()


def classification(name: str) -> str:
    """A timekeeper classification as compared (``upper``); one that no LEDES list has is refused: it matches no line."""
    code = upper(name)
    if code not in ALL_CLASSIFICATIONS:
        import difflib  # only for a mistake

        close = difflib.get_close_matches(code, sorted(ALL_CLASSIFICATIONS), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise OptionError(f"'{name}' is not a timekeeper classification of the LEDES lists (LOC 2014: PARTNR,"
                          f" ASSOC, PARALG...; 1998B: PT, AS, OC, LA, OT){hint}")
    return code


def classifications() -> Any:
    """A list of timekeeper classification codes, none by default: each checked as ``classification`` checks it."""

    def convert(value: object) -> tuple[str, ...]:
        codes = []
        for index, item in enumerate(_text_items(value)):
            try:
                codes.append(classification(item))
            except OptionError as error:
                raise OptionError(str(error), f"[{index}]") from None
        return tuple(codes)

    schema = {"type": "array", "items": {"type": "string"}, "default": []}
    return attrs.field(default=(), converter=convert, metadata={SCHEMA: schema})


def day() -> Any:
    """A date option, none by default: a TOML date (``1999-12-31``) or its ISO text; empty text is none."""

    def convert(value: object) -> date | None:
        if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
            return value
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise OptionError(f"expected a date such as 2025-12-31, found {shown(value)}")

    return attrs.field(default=None, converter=convert, metadata={SCHEMA: {"type": "string", "format": "date"}})


# -- options as a whole ------------------------------------------------------------------------


def defaults(options_type: type) -> dict[str, object]:
    """The default of each option of a class, by name (what ``Rule.options`` shows)."""
    return {field.name: field.default for field in attrs.fields(options_type)}


def schema_of(options_type: type) -> dict[str, dict]:
    """The JSON Schema of each option of a class, by name."""
    return {field.name: dict(field.metadata.get(SCHEMA, {})) for field in attrs.fields(options_type)}


def convert(options_type: type, name: str, value: object, path: str) -> object:
    """One option's value converted; a LedesConfigError ``{path}: ...`` (``path`` names the option) when it cannot be."""
    field = attrs.fields_dict(options_type)[name]
    try:
        return field.converter(value)  # type: ignore[misc, operator]
    except OptionError as error:
        raise LedesConfigError(f"{path}{error.where}: {error}") from None


def build(options_type: type, values: Mapping[str, object], path: str) -> Any:
    """The options of a rule: ``values`` over the defaults, each converted; a LedesConfigError naming ``path``.key.

    ``path`` says where the values come from (``options.rates.cap``); a value that is
    not an option of the class, or that its option cannot take, is an error.
    """
    names = attrs.fields_dict(options_type)
    converted = {}
    for key, value in values.items():
        if key not in names:
            raise LedesConfigError(f"{path}: unknown option '{key}'")
        converted[key] = convert(options_type, key, value, f"{path}.{key}")
    try:
        return options_type(**converted)
    except OptionError as error:  # a check of the options together (a validator of the class)
        raise LedesConfigError(f"{path}{error.where}: {error}") from None


__all__ = [
    "NO_OPTIONS",
    "NoOptions",
    "OptionError",
    "amount",
    "amounts",
    "build",
    "choices",
    "code_sets",
    "convert",
    "day",
    "defaults",
    "schema_of",
    "texts",
    "upper",
    "whole",
]
