"""Hypothesis strategies for valid LEDES 1998B models (``Invoice`` lists a writer can write).

What "valid" means here, and why (each point is checked by tests/formats):

- Text (identifiers, codes, narratives, names) is any string of characters other than
  ``|``, CR and LF (the three characters a 1998B field cannot hold) and surrogates
  (which no file encoding holds). The reader keeps a field's text exactly, so leading
  and trailing spaces, tabs, ``[]`` and non-ASCII characters are all generated and
  must round-trip (verified: the reader keeps a field's raw text, spaces included).
  ``printable_characters`` (the default alphabet) keeps to printable characters;
  ``any_characters`` also draws control characters, NUL and Unicode line separators
  (U+0085, U+2028), which are not line ends in LEDES (only CR and LF are).
- An optional text field is ``None``, never ``""``: the writer renders both as an empty
  field, and the reader reads an empty field back as ``None``.
- Lengths stay within the table's limits (``table.FIELDS``' ``max_length``: 20 for
  identifiers and codes, 30 for TIMEKEEPER_NAME, 15 KB for the two narratives).
- Money is a ``Decimal`` with at most 4 decimals and at most 10 integer digits (12 for
  INVOICE_TOTAL, the table's ``Number`` precision). Negative values, zero, ``-0`` and
  exponent forms such as ``Decimal("1E+3")`` are included: they compare equal to what
  the reader converts back.
- Dates are ``datetime.date`` in 1900..2100.
- The values every line type requires (invoice number, date, total, billing period,
  client and law-firm ids, matter id, line number, type, total, date) are present. The
  conditionally required ones (units and unit cost on F/E, expense code on E, the
  timekeeper on F) may be missing: the reader then reports ``field.required``, which
  tests predict from the model. TIMEKEEPER_CLASSIFICATION is usually a known code and
  sometimes other text (``field.classification``).
- A timekeeper is ``None`` or has at least one value: a row whose three timekeeper
  fields are empty is read back with ``timekeeper=None``.
- Within a file invoice numbers are distinct, and within an invoice matter ids are
  distinct: the reader groups consecutive rows by invoice number, and an invoice's
  rows by matter id.
- Arithmetic is not made consistent (round trips do not depend on it).

With ``bi=True`` the strategies draw LEDES 1998BI models: the 1998B values above plus
the 28 fields 1998BI adds (ledes-formats.md §2.2), within the 1998BI table's limits:

- INVOICE_CURRENCY (required) and INVOICE_TAX_CURRENCY (optional) from a small list of
  ISO 4217 codes; ACCOUNT_TYPE ``O``, ``T`` or empty.
- LINE_ITEM_TAX_RATE a ``Decimal`` in [0, 1) with at most 10 decimals, or empty;
  LINE_ITEM_TAX_TOTAL (required on every line) and INVOICE_NET_TOTAL (required) money;
  INVOICE_TAX_TOTAL and INVOICE_REPORTED_TAX_TOTAL optional money (12.4).
- LAW_FIRM_ID one to three identifiers joined by ``~`` (so no ``~`` inside an id).
- Names, PO number, client tax id, tax type and the addresses within their lengths
  (60 for names and address lines, 40 for city and STATEorREGION, 20 for postcode, 3
  for country, 255 for MATTER_NAME, 100 for PO_NUMBER). An address is ``None`` or has
  at least one value: an all-empty address is read back as ``None``.
- The timekeeper's last and first names are conditionally required on F lines like the
  other timekeeper fields; they may be missing, and a timekeeper whose five values are
  all empty is ``None``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from ledes.formats.classifications import ALL_CLASSIFICATIONS
from ledes.formats.ledes1998b.table import FIELDS
from ledes.formats.ledes1998bi.table import FIELDS as FIELDS_1998BI
from ledes.model import Address, Client, Invoice, LawFirm, LineItem, LineItemType, Matter, Timekeeper

MAX_LENGTH = {field.target: field.max_length for field in FIELDS}
ID_LENGTH = MAX_LENGTH["invoice.number"]  # 20
NAME_LENGTH = MAX_LENGTH["timekeeper.name"]  # 30
NARRATIVE_LENGTH = MAX_LENGTH["line_item.description"]  # 15 KB
LINE_DIGITS = FIELDS[[f.target for f in FIELDS].index("line_item.total")].kind.integer_digits  # 10
INVOICE_DIGITS = FIELDS[[f.target for f in FIELDS].index("invoice.total")].kind.integer_digits  # 12
DECIMALS = 4

# LEDES 1998BI (fields 25–52): lengths from the 1998BI table.
MAX_LENGTH_1998BI = {field.target: field.max_length for field in FIELDS_1998BI}
RATE_DECIMALS = 10  # LINE_ITEM_TAX_RATE: 0 <= rate < 1, at most 10 decimals (Lexitree)
CURRENCIES = ("GBP", "EUR", "USD", "CHF", "JPY", "CAD", "AUD", "SEK", "HKD", "INR")
ACCOUNT_TYPES = ("O", "T")

FORBIDDEN = "|\n\r"

printable_characters = st.characters(
    exclude_characters=FORBIDDEN,
    exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Co", "Cn"),
)
any_characters = st.characters(exclude_characters=FORBIDDEN, exclude_categories=("Cs",))

# Spaces and brackets at the ends of values are where a lenient reader would go wrong.
_edges = st.sampled_from(["", "", "", " ", "  ", "\t", "[]", "[", "]", "0", "’", "é"])


def text(max_size: int, alphabet: st.SearchStrategy[str] = printable_characters) -> st.SearchStrategy[str]:
    """Non-empty text of at most ``max_size`` characters, often with spaces or ``[]`` at either end."""
    return st.tuples(_edges, st.text(alphabet, min_size=1, max_size=max_size), _edges).map(
        lambda parts: (parts[0] + parts[1] + parts[2])[:max_size]
    )


def optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


def money(integer_digits: int = LINE_DIGITS, decimals: int = DECIMALS) -> st.SearchStrategy[Decimal]:
    """A Decimal with at most ``decimals`` places and ``integer_digits`` digits before the point."""
    widest = 10 ** (integer_digits + decimals) - 1

    def build(drawn: tuple[int, int]) -> Decimal:
        places, unscaled = drawn
        bound = 10 ** (integer_digits + places)  # keep ``integer_digits`` before the point
        magnitude = abs(unscaled) % bound
        return Decimal(-magnitude if unscaled < 0 else magnitude).scaleb(-places)

    largest = Decimal(10**integer_digits) - Decimal(1).scaleb(-decimals)
    special = st.sampled_from(
        [Decimal("0"), Decimal("-0"), Decimal("-0.00"), Decimal("0.0000"), Decimal("1E+3"), Decimal("-7E+1"), largest, -largest]
    )
    return st.one_of(st.tuples(st.integers(0, decimals), st.integers(-widest, widest)).map(build), special)


dates = st.dates(date(1900, 1, 1), date(2100, 12, 31))
line_types = st.sampled_from(list(LineItemType))
classifications = st.sampled_from(sorted(ALL_CLASSIFICATIONS))


def identifiers(alphabet: st.SearchStrategy[str] = printable_characters) -> st.SearchStrategy[str]:
    return text(ID_LENGTH, alphabet)


def narratives(alphabet: st.SearchStrategy[str] = printable_characters) -> st.SearchStrategy[str]:
    # Up to the 15 KB limit; Hypothesis draws mostly short ones (tests/formats also writes
    # and reads a narrative of exactly the limit).
    return text(NARRATIVE_LENGTH, alphabet)


def timekeepers(
    alphabet: st.SearchStrategy[str] = printable_characters, bi: bool = False
) -> st.SearchStrategy[Timekeeper | None]:
    names = {}
    if bi:
        names = {
            "last_name": optional(text(MAX_LENGTH_1998BI["timekeeper.last_name"], alphabet)),
            "first_name": optional(text(MAX_LENGTH_1998BI["timekeeper.first_name"], alphabet)),
        }
    keeper = st.builds(
        Timekeeper,
        id=optional(identifiers(alphabet)),
        name=optional(text(NAME_LENGTH, alphabet)),
        classification=optional(st.one_of(classifications, classifications, identifiers(alphabet))),
        **names,
    ).filter(lambda k: (k.id, k.name, k.classification, k.last_name, k.first_name) != (None,) * 5)
    return st.none() | keeper


def rates() -> st.SearchStrategy[Decimal]:
    """A tax rate: a Decimal from 0 up to (not including) 1 with at most 10 decimals."""
    drawn = st.integers(0, RATE_DECIMALS).flatmap(
        lambda places: st.integers(0, 10**places - 1).map(lambda unscaled: Decimal(unscaled).scaleb(-places))
    )
    special = st.sampled_from(
        [Decimal("0"), Decimal("-0"), Decimal("0.2"), Decimal("0.175"), Decimal("0.0000000000"), Decimal("0.9999999999")]
    )
    return st.one_of(drawn, special)


currencies = st.sampled_from(CURRENCIES)


def addresses(scope: str, alphabet: st.SearchStrategy[str] = printable_characters) -> st.SearchStrategy[Address | None]:
    """A 1998BI address (``law_firm_address`` or ``client_address``), None or with at least one value."""
    parts = ("line1", "line2", "city", "region", "postcode", "country")
    address = st.builds(
        Address, **{part: optional(text(MAX_LENGTH_1998BI[f"{scope}.{part}"], alphabet)) for part in parts}
    ).filter(lambda a: any(getattr(a, part) is not None for part in parts))
    return st.none() | address


def law_firm_ids(alphabet: st.SearchStrategy[str] = printable_characters) -> st.SearchStrategy[str]:
    """1998BI LAW_FIRM_ID: one to three identifiers joined by ``~``."""
    no_tilde = alphabet.filter(lambda c: c != "~")
    return st.lists(identifiers(no_tilde), min_size=1, max_size=3).map("~".join)


def line_items(alphabet: st.SearchStrategy[str] = printable_characters, bi: bool = False) -> st.SearchStrategy[LineItem]:
    taxes = {}
    if bi:
        taxes = {
            "tax_rate": optional(rates()),
            "tax_total": money(),
            "tax_type": optional(text(MAX_LENGTH_1998BI["line_item.tax_type"], alphabet)),
        }
    return st.builds(
        LineItem,
        number=identifiers(alphabet),
        type=line_types,
        date=dates,
        units=optional(money()),
        unit_cost=optional(money()),
        adjustment=optional(money()),
        total=money(),
        task_code=optional(identifiers(alphabet)),
        expense_code=optional(identifiers(alphabet)),
        activity_code=optional(identifiers(alphabet)),
        description=optional(narratives(alphabet)),
        timekeeper=timekeepers(alphabet, bi),
        **taxes,
    )


@st.composite
def matters(
    draw: st.DrawFn, matter_id: str, alphabet: st.SearchStrategy[str] = printable_characters, bi: bool = False
) -> Matter:
    extra = {}
    if bi:
        extra = {
            "name": draw(optional(text(MAX_LENGTH_1998BI["matter.name"], alphabet))),
            "po_number": draw(optional(text(MAX_LENGTH_1998BI["matter.po_number"], alphabet))),
            "account_type": draw(optional(st.sampled_from(ACCOUNT_TYPES))),
        }
    return Matter(
        law_firm_matter_id=matter_id,
        client_matter_id=draw(optional(identifiers(alphabet))),
        line_items=tuple(draw(st.lists(line_items(alphabet, bi), min_size=1, max_size=5))),
        **extra,
    )


@st.composite
def invoices(
    draw: st.DrawFn,
    number: str | None = None,
    alphabet: st.SearchStrategy[str] = printable_characters,
    bi: bool = False,
) -> Invoice:
    """One invoice with 1..3 matters (distinct ids) of 1..5 line items each (``bi``: a 1998BI invoice)."""
    matter_ids = draw(st.lists(identifiers(alphabet), min_size=1, max_size=3, unique=True))
    client, law_firm, extra = Client(draw(identifiers(alphabet))), LawFirm(draw(identifiers(alphabet))), {}
    if bi:
        names = MAX_LENGTH_1998BI
        client = Client(
            draw(identifiers(alphabet)),
            name=draw(optional(text(names["client.name"], alphabet))),
            address=draw(addresses("client_address", alphabet)),
            tax_id=draw(optional(text(names["client.tax_id"], alphabet))),
        )
        law_firm = LawFirm(
            draw(law_firm_ids(alphabet)),
            name=draw(optional(text(names["law_firm.name"], alphabet))),
            address=draw(addresses("law_firm_address", alphabet)),
        )
        extra = {
            "currency": draw(currencies),
            "tax_total": draw(optional(money(INVOICE_DIGITS))),
            "net_total": draw(money(INVOICE_DIGITS)),
            "reported_tax_total": draw(optional(money(INVOICE_DIGITS))),
            "tax_currency": draw(optional(currencies)),
        }
    return Invoice(
        number=number if number is not None else draw(identifiers(alphabet)),
        date=draw(dates),
        client=client,
        law_firm=law_firm,
        total=draw(money(INVOICE_DIGITS)),
        billing_start=draw(dates),
        billing_end=draw(dates),
        description=draw(optional(narratives(alphabet))),
        matters=tuple(draw(matters(matter_id, alphabet, bi)) for matter_id in matter_ids),
        **extra,
    )


@st.composite
def invoice_lists(
    draw: st.DrawFn,
    min_size: int = 1,
    max_size: int = 3,
    alphabet: st.SearchStrategy[str] = printable_characters,
    bi: bool = False,
) -> list[Invoice]:
    """Several invoices with distinct numbers, as one file holds them (``bi``: LEDES 1998BI invoices)."""
    numbers = draw(st.lists(identifiers(alphabet), min_size=min_size, max_size=max_size, unique=True))
    return [draw(invoices(number, alphabet, bi)) for number in numbers]
