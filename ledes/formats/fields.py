"""Field kinds for the pipe-delimited LEDES formats: each one converts, checks and renders its values.

A format's field table (``Field`` records) names each field, its kind, where its value
lives in the model and when it is required; the reader and the writer are both driven
by that table; the reader caches conversions per distinct text, because invoice files
repeat the same dates, rates and quantities on many rows.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import ClassVar

import attrs

from ledes.diagnostics import Named
from ledes.formats.countries import SINGLE_WORD_NAMES
from ledes.formats.currencies import ISO_4217
from ledes.model import LineItemType, Unparsed
from ledes.model.classifications import ALL_CLASSIFICATIONS
from ledes.money import evident_amount, too_wide
from ledes.rules import field as field_rules

ALL_LINE_TYPES = frozenset(LineItemType)

_NUMBER = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
_DATE = re.compile(r"[0-9]{8}")

# A converted value; when the text is not acceptable, why (the rule to report and a message);
# and whether a valid value's text differs from how the writer renders it (``1250.``).
Problem = tuple[Named, str]
Conversion = tuple[object, Problem | None, bool]


class Kind:
    """How one kind of field is read from and written to text.

    ``rule`` is the rule a kind's conversion problems report through, declared by the
    kinds that report through one (dates, numbers, line types); free text has none.
    """

    rule: ClassVar[Named]

    def convert(self, text: str) -> Conversion:
        """Convert non-empty ``text`` to (value, problem or None, respelled)."""
        raise NotImplementedError

    def render(self, value: object) -> str:
        raise NotImplementedError


class Text(Kind):
    """Free text or an identifier, kept exactly as written."""

    def convert(self, text: str) -> Conversion:
        return text, None, False

    def render(self, value: object) -> str:
        return "" if value is None else str(value)


class Country(Text):
    """A country as LEDES 98BI writes it: an ISO code of 2 or 3 characters, or the country's full name in words.

    Lexitree's validator allows 3 characters; CosmoLex's 98BI guide allows "2 or 3 character
    ISO code or the full unabbreviated name". Both are accepted: a code of at most 3
    characters, or a name of at most ``NAME_LENGTH`` that holds a small letter or a space
    ("United Kingdom"), or a country's one-word name in capitals (``CANADA``, as systems that
    write addresses in capitals do). Anything else (``GBRX``, ``USAF``) is too long for a code.
    """

    rule = field_rules.LENGTH
    NAME_LENGTH = 60  # as the address fields beside it

    def convert(self, text: str) -> Conversion:
        if len(text) <= 3 or (len(text) <= self.NAME_LENGTH and (
                " " in text.strip() or not text.isupper() or text.strip() in SINGLE_WORD_NAMES)):
            return text, None, False
        if len(text) > self.NAME_LENGTH:
            return text, (self.rule, f"the country is {len(text)} characters long; at most {self.NAME_LENGTH} are"
                                     " allowed for a name"), False
        return text, (self.rule, f"'{text}' is {len(text)} characters long: a country code has at most 3"
                                 " (GBR, US); a full name is written in words (United Kingdom)"), False


class Date(Kind):
    """A calendar date written ``YYYYMMDD`` (Legal Tracker error 003)."""

    rule = field_rules.DATE

    def convert(self, text: str) -> Conversion:
        if _DATE.fullmatch(text):
            try:
                return date(int(text[:4]), int(text[4:6]), int(text[6:])), None, False
            except ValueError:
                return Unparsed(text), (self.rule, f"'{text}' is not a real calendar date (YYYYMMDD)"), False
        return Unparsed(text), (self.rule, f"'{text}' is not a date in the form YYYYMMDD"), False

    def render(self, value: object) -> str:
        if type(value) is date:
            return value.isoformat().replace("-", "")  # 2024-03-05: four-digit year, two-digit month and day
        if isinstance(value, date):
            return f"{value.year:04d}{value.month:02d}{value.day:02d}"
        return "" if value is None else str(value)


@attrs.frozen
class Number(Kind):
    """A decimal number: digits, at most one ``.``, an optional leading ``-`` (Legal Tracker error 004).

    ``integer_digits`` and ``decimals`` are the spec's precision (``10.4``: ten digits
    before the point, four after).
    """

    integer_digits: int
    decimals: int = 4
    rule = field_rules.NUMBER
    # Canonical spellings within the precision: valid, and written back exactly as read.
    _canonical: re.Pattern = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        pattern = rf"-?(?:0|[1-9][0-9]{{0,{self.integer_digits - 1}}})(?:\.[0-9]{{1,{self.decimals}}})?"
        object.__setattr__(self, "_canonical", re.compile(pattern))

    def convert(self, text: str) -> Conversion:
        if self._canonical.fullmatch(text):
            return Decimal(text), None, False
        if not _NUMBER.fullmatch(text):
            return Unparsed(text, evident_amount(text)), (self.rule, _number_syntax_problem(text)), False
        wide = too_wide(text)
        if wide is not None:
            return Unparsed(text), (self.rule, wide), False
        value = Decimal(text)
        respelled = format(value, "f") != text
        whole, _, fraction = text.lstrip("-").partition(".")
        if len(fraction) > self.decimals:
            return value, (self.rule, f"'{text}' has {len(fraction)} decimal places; at most {self.decimals} are allowed"), respelled
        if len(whole.lstrip("0")) > self.integer_digits:
            return value, (self.rule, f"'{text}' has more than {self.integer_digits} digits before the decimal point"), respelled
        return value, None, respelled

    def render(self, value: object) -> str:
        if isinstance(value, Decimal):
            text = format(value, "f")  # as many decimals as the value's exponent says: 1.50 is '1.50'
            point = text.find(".")
            if point < 0 or len(text) - point - 1 <= self.decimals:
                return text
            # 1.00000 is 1.0000 within the precision; 1.23456 is written as it is (and reported on reading).
            with contextlib.suppress(InvalidOperation):  # more digits than the context holds
                shortened = value.quantize(Decimal(1).scaleb(-self.decimals))
                if shortened == value:
                    return format(shortened, "f")
            return text
        return "" if value is None else str(value)


_CURRENCY_SIGNS = "$€£¥"
_THOUSANDS = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_DECIMAL_COMMA = re.compile(r"-?[0-9]+,[0-9]+")
_AMBIGUOUS_COMMA = re.compile(r"-?[1-9][0-9]{0,2},[0-9]{3}")  # 1,250: 1250 or 1.25?


def _number_syntax_problem(text: str) -> str:
    """Why a text is not a LEDES number, in the words a billing coordinator would use."""
    rule = "a number holds only digits, one '.' and a leading '-'"
    if text != text.strip():
        return f"'{text}' has spaces; {rule}"
    if text.startswith("+"):
        return f"'{text}' starts with '+'; {rule}"
    if text.startswith("(") and text.endswith(")"):
        return f"'{text}' shows a negative amount in parentheses; write it with a leading '-', e.g. '-{text[1:-1]}'"
    if text.endswith("-") and text[:-1].replace(".", "", 1).isdigit():
        return f"'{text}' has its '-' at the end; write it first, e.g. '-{text[:-1]}'"
    if any(sign in text for sign in _CURRENCY_SIGNS):
        return f"'{text}' has a currency sign; {rule}"
    if _AMBIGUOUS_COMMA.fullmatch(text):
        return (f"'{text}' has a ',' that reads two ways, as a thousands separator or a decimal comma;"
                f" write '{text.replace(',', '')}' or '{text.replace(',', '.')}'")
    if _THOUSANDS.fullmatch(text):
        return f"'{text}' has a thousands separator ','; write digits only, e.g. '{text.replace(',', '')}'"
    if _DECIMAL_COMMA.fullmatch(text):
        return f"'{text}' has a decimal comma; write a decimal point, e.g. '{text.replace(',', '.')}'"
    return f"'{text}' is not a number; {rule}"


class LineType(Kind):
    """``EXP/FEE/INV_ADJ_TYPE``: exactly ``F``, ``E``, ``IF`` or ``IE``."""

    rule = field_rules.LINE_TYPE
    _by_code: ClassVar[dict[str, LineItemType]] = {t.value: t for t in LineItemType}

    def convert(self, text: str) -> Conversion:
        found = self._by_code.get(text)
        if found is not None:
            return found, None, False
        hint = " (the codes are upper case)" if text.upper() in self._by_code else ""
        return Unparsed(text), (self.rule, f"line type '{text}' is not one of F, E, IF, IE{hint}"), False

    def render(self, value: object) -> str:
        if isinstance(value, LineItemType):
            return value.value
        return "" if value is None else str(value)


@attrs.frozen
class Rate(Number):
    """A rate between 0 (included) and 1 (excluded), such as LINE_ITEM_TAX_RATE ``0.2``."""

    integer_digits: int = 1
    decimals: int = 10
    range_rule: Named = field_rules.TAX_RATE

    def convert(self, text: str) -> Conversion:
        value, problem, respelled = super().convert(text)
        # Out of range is the problem to report even when the precision is exceeded too:
        # 20 written for 20 % also has "more than 1 digit before the decimal point".
        if isinstance(value, Decimal) and not 0 <= value < 1:
            problem = (self.range_rule, f"'{text}' is not a rate from 0 up to (not including) 1; 20 % is 0.2")
        return value, problem, respelled


@attrs.frozen
class IdList(Kind):
    """Up to ``count`` identifiers joined by ``~``, each at most ``each`` characters (1998BI LAW_FIRM_ID)."""

    each: int
    count: int

    def convert(self, text: str) -> Conversion:
        parts = text.split("~")
        if len(parts) > self.count:
            return text, (field_rules.LENGTH, f"'{text}' holds {len(parts)} identifiers; at most {self.count}, joined by ~"), False
        longest = max(parts, key=len)
        if len(longest) > self.each:
            return text, (field_rules.LENGTH, f"'{longest}' is {len(longest)} characters long; at most {self.each} are allowed"), False
        return text, None, False

    def render(self, value: object) -> str:
        return "" if value is None else str(value)


@attrs.frozen
class Code(Text):
    """Text drawn from a closed list (a timekeeper classification, say)."""

    codes: frozenset[str]
    rule_name: Named
    what: str

    def convert(self, text: str) -> Conversion:
        if text in self.codes:
            return text, None, False
        suggestion = _SUGGESTIONS.get(text.strip().lower()) or (text.strip().upper() if text.strip().upper() in self.codes else None)
        hint = f"; did you mean '{suggestion}'?" if suggestion in self.codes else ""
        return text, (self.rule_name, f"'{text}' is not a known {self.what}{hint}"), False


# Words billing systems write where LEDES wants a code (timekeeper classifications).
_SUGGESTIONS = {
    "partner": "PARTNR",
    "associate": "ASSOC",
    "of counsel": "OFCOUN",
    "counsel": "OFCOUN",
    "paralegal": "PARALG",
    "legal assistant": "LGLAST",
    "law clerk": "LGLINT",
    "staff attorney": "STFATT",
    "trainee": "TRANEE",
    "consultant": "CONSLT",
    "expert": "EXPERT",
    "librarian": "LIBRRN",
    "translator": "TRANSL",
    "investigator": "INVSTG",
    "secretary": "CLKSEC",
}

# The closed vocabularies, one kind each, shared by every format that holds the field: the pipe
# formats' columns and the XML formats' elements (tk_level, inv_currency, account_type) check
# a value the same way and report it through the same rule.
CLASSIFICATION = Code(
    codes=ALL_CLASSIFICATIONS,
    rule_name=field_rules.CLASSIFICATION,
    what="timekeeper classification (LOC 2014 list or legacy PT/AS/OC/LA/OT)",
)
CURRENCY = Code(codes=ISO_4217, rule_name=field_rules.CURRENCY, what="ISO 4217 currency code")
ACCOUNT_TYPE = Code(codes=frozenset({"O", "T"}), rule_name=field_rules.ACCOUNT_TYPE, what="account type (O or T)")


@attrs.frozen
class Field:
    """One column of a pipe-delimited LEDES format.

    ``target`` is the model path of the value: ``invoice.date``, ``client.id``,
    ``law_firm.id``, ``matter.law_firm_matter_id``, ``line_item.total``, ``timekeeper.id``.
    ``required_for`` lists the line types on which an empty value is an error; on a line
    whose type is none of the four, a field required on both F and E lines is (a line that
    is no adjustment carries its units and unit cost). ``required_with`` names fields that,
    when one of them is filled, make this one required whatever the line type.
    """

    name: str
    kind: Kind
    target: str
    max_length: int | None = None
    required_for: frozenset[LineItemType] = frozenset()
    required_with: tuple[str, ...] = ()

    @property
    def scope(self) -> str:
        return self.target.partition(".")[0]

    @property
    def attribute(self) -> str:
        return self.target.partition(".")[2]
