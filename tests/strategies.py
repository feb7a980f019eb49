"""Hypothesis strategies for valid LEDES 1998B models (``Invoice`` lists a writer can write).

What "valid" means here, and why (each point is checked by tests/formats):

- Text (identifiers, codes, narratives, names) is any string of characters other than
  ``|``, CR and LF (the three characters a 1998B field cannot hold) and surrogates
  (which no file encoding holds). The reader keeps a field's text exactly, so leading
  and trailing spaces, tabs, ``[]`` and non-ASCII characters are all generated and
  must round-trip (verified: the reader keeps a field's raw text, spaces included).
  Text is never blank (only whitespace), which a required field reads as empty.
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
the 28 fields 1998BI adds (the 98BI V2 specification), within the 1998BI table's limits:

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

``xml_invoice_lists`` draws "XML-canonical" models: exactly what the LEDES XML 2.1 / 2.2
reader gives back for the writer's output (ledes/formats/ledesxml/reader.py, writer.py),
with every value XML holds, so that ``parse(write(x)) == x`` and the file is valid
against the project's XSDs:

- Text is any character XML 1.0 holds (``xml_characters``: tab, LF, CR, ``& < > |``,
  U+2028 and non-BMP characters included; the control characters XML cannot hold,
  which make the writer raise, excluded, and DEL and the C1 controls, which it holds
  but ``field.control-character`` reports). The values the schemas type as
  Identifier (firm, client, invoice, matter and tksum ids, ``lf_name``) have no CR or
  LF and a character other than space and tab. Optional text is None or non-empty (an
  empty element reads back as None); no length limits (XML has none), ids kept short.
- Line numbers are "1", "2", … in each invoice in document order (``number_lines``):
  XML has no line number, and the reader numbers lines so.
- An IF/IE line is a ``matter_disc_cred``: dated the invoice's billing end (else its
  date), no units, unit cost, description, timekeeper or codes; ``adjustment`` is the
  amount and ``total`` the amount plus tax; ``adjustment_code`` (MIA, MIDB, MISF),
  ``split`` (Pre-Split, Post-Split) and ``discount_percent`` are drawn.
- An F/E line has a date, units, unit cost and total (all required by the schemas);
  a fee has no expense code, an expense no activity code (their elements do not exist).
  ``charge_type`` is None, ``U`` or ``F``; ``work_country`` is drawn.
- Taxes: a line with a tax rate (a few common ones, or ``rates()``) and optional type
  has ``tax_total`` = round-half-up((total - tax_total) × rate) to the cent and a total
  that includes it; a line without a rate has no tax total and no tax type.
- Timekeepers: per matter, one timekeeper per id, its names the same on every line,
  ``name`` "Last, First" (or whichever part is present) joined from ``last_name`` and
  ``first_name`` (``joined_name``); its level usually the same on every line, but a line
  may give another or none (a fee's ``tk_level``); or one with a level and no id or name.
- Invoices: ``net_total`` None (XML has no such element); currencies from the ISO
  list; ``replaces_rejected`` and ``final_bill`` Y/N; shares in [0, 1]; addresses with
  phone and fax, contacts, due dates, payment terms and the other XML-only values drawn.
  Law firms and clients are drawn from small pools, so consecutive invoices often share
  a ``firm`` or ``client`` element. Invoice numbers and matter ids need not be distinct.

``invoice_lists_as_xml_holds`` draws the 1998B (``bi=True``: 1998BI) models above,
reshaped to what LEDES XML holds of them: line numbers from 1 in each invoice, IF/IE lines in
the ``matter_disc_cred`` shape, one timekeeper per id in a matter with a name the XML
writer's split and the reader's join give back (``canonical_names``; in 1998BI, the name
joined from its parts), no expense code on fees nor activity code on expenses, and (1998BI)
taxes consistent with the rate, a zero tax and no tax type where there is no rate, and a
tax total with the net total equal to the total less it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import attrs
from hypothesis import strategies as st

from ledes.formats.ledes1998b.table import FIELDS
from ledes.formats.ledes1998bi.table import FIELDS as FIELDS_1998BI
from ledes.model import Address, Client, Contact, Invoice, LawFirm, LineItem, LineItemType, Matter, Timekeeper
from ledes.model.classifications import ALL_CLASSIFICATIONS
from ledes.money import CENT, exact, minor_unit

MAX_LENGTH = {field.target: field.max_length for field in FIELDS}
ID_LENGTH = MAX_LENGTH["invoice.number"]  # 20
NAME_LENGTH = MAX_LENGTH["timekeeper.name"]  # 30
NARRATIVE_LENGTH = MAX_LENGTH["line_item.description"]  # 15 KB
LINE_DIGITS = FIELDS[[f.target for f in FIELDS].index("line_item.total")].kind.integer_digits  # 10
INVOICE_DIGITS = FIELDS[[f.target for f in FIELDS].index("invoice.total")].kind.integer_digits  # 12
DECIMALS = 4

# LEDES 1998BI (fields 25–52): lengths from the 1998BI table.
MAX_LENGTH_1998BI = {field.target: field.max_length for field in FIELDS_1998BI}
MAX_LENGTH_1998BI |= {f"{scope}.country": 3 for scope in ("law_firm_address", "client_address")}  # a code (or a name)
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
_edges = st.sampled_from(["", "", "", " ", "  ", "\t", "[ ]", "[", "]", "0", "’", "é"])


def text(max_size: int, alphabet: st.SearchStrategy[str] = printable_characters) -> st.SearchStrategy[str]:
    """Non-blank text of at most ``max_size`` characters, often with spaces or brackets at either end; never ``[]``,
    the 1998B record terminator, nor a final ``[`` (the writers refuse both: ``structure.embedded-terminator``)."""
    return st.tuples(_edges, st.text(alphabet, min_size=1, max_size=max_size), _edges).map(
        lambda parts: _not_blank(_no_terminator((parts[0] + parts[1] + parts[2])[:max_size]))
    )


def _no_terminator(drawn: str) -> str:
    """``drawn`` with each ``[]`` made ``[)`` and a final ``[`` made ``(``, its length kept."""
    drawn = drawn.replace("[]", "[)")
    return drawn[:-1] + "(" if drawn.endswith("[") else drawn


def _not_blank(drawn: str) -> str:
    """Text of only whitespace is as empty as none in a required field (``field.required``): it ends in ``x`` instead;
    so does the word NULL, a database's empty value (``field.null``)."""
    return drawn[:-1] + "x" if drawn.isspace() or drawn.strip() in ("NULL", "null") else drawn


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


# ------------------------------------------------------------------------------ LEDES XML 2.1 / 2.2

# The characters XML 1.0 cannot hold, even escaped (the XML writer refuses them).
NOT_XML = "".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]))
# What XML holds but field.control-character reports in a value: DEL and the C1 controls.
REPORTED_IN_XML = "".join(map(chr, range(0x7F, 0xA0)))
xml_characters = st.characters(exclude_characters=NOT_XML + REPORTED_IN_XML, exclude_categories=("Cs",))
# The schemas' Identifier: a value on one line (``.`` is not CR or LF) with a character other than space or tab.
_identifier_characters = st.characters(exclude_characters=NOT_XML + REPORTED_IN_XML + "\n\r", exclude_categories=("Cs",))
XML_NAME_LENGTH = 60
XML_RATES = (Decimal("0.2"), Decimal("0.20"), Decimal("0.175"), Decimal("0"), Decimal("0.05"))
XML_TAX_TYPES = ("VAT", "GST", "IVA")
ADJUSTMENT_CODES = ("MIA", "MIDB", "MISF")
SPLITS = ("Pre-Split", "Post-Split")


def xml_identifiers(max_size: int = ID_LENGTH) -> st.SearchStrategy[str]:
    """Text the schemas' Identifier type accepts (ids, ``lf_name``): no CR or LF, not only spaces and tabs."""
    return text(max_size, _identifier_characters).filter(lambda value: value.strip(" \t") != "")


def xml_text(max_size: int = XML_NAME_LENGTH, alphabet: st.SearchStrategy[str] = xml_characters) -> st.SearchStrategy[str | None]:
    """An optional XML text value: None, or non-empty text (an empty element reads back as None)."""
    return optional(text(max_size, alphabet))


def fractions() -> st.SearchStrategy[Decimal]:
    """A share from 0 to 1 with at most 4 decimals (the schemas' Fraction)."""
    return st.one_of(
        st.integers(0, 10**4).map(lambda unscaled: Decimal(unscaled).scaleb(-4)),
        st.sampled_from([Decimal("0"), Decimal("1"), Decimal("1.00"), Decimal("0.5")]),
    )


def xml_addresses() -> st.SearchStrategy[Address | None]:
    """None, or an address with at least one of its eight values (an empty one reads back as None)."""
    parts = ("line1", "line2", "city", "region", "postcode", "country", "phone", "fax")
    address = st.builds(Address, **{part: xml_text() for part in parts}).filter(
        lambda a: any(getattr(a, part) is not None for part in parts)
    )
    return st.none() | address


def contacts() -> st.SearchStrategy[Contact | None]:
    """None, or a contact with at least one value."""
    parts = ("last_name", "first_name", "id", "phone", "fax", "email")
    contact = st.builds(Contact, **{part: xml_text() for part in parts}).filter(
        lambda c: any(getattr(c, part) is not None for part in parts)
    )
    return st.none() | contact


def joined_name(last: str | None, first: str | None) -> str | None:
    """The timekeeper name the XML reader makes of tk_lname and tk_fname: "Last, First", or whichever is present."""
    if last is not None and first is not None:
        return f"{last}, {first}"
    return last if last is not None else first


# Known codes only: another level is a field.classification finding in XML too (tests/rules/test_field_rule_parity.py).
_xml_levels = optional(classifications)


def xml_timekeepers() -> st.SearchStrategy[Timekeeper]:
    """A timekeeper as XML holds it: an id (a tksum key) with optional level and names, ``name`` joined from them."""
    return st.builds(
        lambda keeper_id, level, last, first: Timekeeper(keeper_id, joined_name(last, first), level, last, first),
        xml_identifiers(),
        _xml_levels,
        xml_text(),
        xml_text(),
    )


def _on_one_line(keeper: Timekeeper) -> st.SearchStrategy[Timekeeper]:
    """A matter's timekeeper as one line names them: usually at their level, sometimes at another or none."""
    if keeper.id is None:
        return st.just(keeper)
    return st.one_of(st.just(keeper), _xml_levels.map(lambda level: attrs.evolve(keeper, classification=level)))


def _taxed(pre_tax: Decimal, rate: Decimal | None, currency: str | None) -> tuple[Decimal, Decimal | None]:
    """(total, tax): the tax on the amount at the rate, rounded half up to the currency's minor unit, added to the total."""
    if rate is None:
        return pre_tax, None
    tax = (pre_tax * rate).quantize(minor_unit(currency), rounding=ROUND_HALF_UP)
    return pre_tax + tax, tax


# Built once: Hypothesis validates a strategy object the first time it is drawn from.
_amounts, _optional_amounts = money(), optional(money())
_optional_texts, _optional_codes = xml_text(), xml_text(ID_LENGTH)
_optional_narratives = optional(narratives(xml_characters))
_optional_rates = optional(st.sampled_from(XML_RATES) | rates())
_optional_tax_types = optional(st.sampled_from(XML_TAX_TYPES) | text(ID_LENGTH, xml_characters))
_optional_adjustment_codes = optional(st.sampled_from(ADJUSTMENT_CODES))
_optional_splits = optional(st.sampled_from(SPLITS))
_optional_charge_types = optional(st.sampled_from(["U", "F"]))
_optional_yes_no = optional(st.sampled_from(["Y", "N"]))
_optional_account_types = optional(st.sampled_from(ACCOUNT_TYPES))
_optional_fractions = optional(fractions())
_contacts = contacts()


@st.composite
def xml_line_items(draw: st.DrawFn, adjustment_date: date, keepers: st.SearchStrategy[Timekeeper | None]) -> LineItem:
    """A fee, expense or matter discount (IF/IE) as LEDES XML holds it; numbered later (``number_lines``)."""
    line_type = draw(line_types)
    pre_tax = draw(_amounts)
    rate = draw(_optional_rates)
    tax_type = draw(_optional_tax_types) if rate is not None else None
    total, tax = _taxed(pre_tax, rate, None)
    taxes = {"tax_rate": rate, "tax_type": tax_type, "tax_total": tax}
    if line_type.is_adjustment:
        return LineItem(
            number="0",
            type=line_type,
            date=adjustment_date,
            adjustment=pre_tax,
            total=total,
            adjustment_code=draw(_optional_adjustment_codes),
            discount_percent=draw(_optional_amounts),
            split=draw(_optional_splits),
            **taxes,
        )
    fee = line_type is LineItemType.FEE
    return LineItem(
        number="0",
        type=line_type,
        date=draw(dates),
        units=draw(_amounts),
        unit_cost=draw(_amounts),
        adjustment=draw(_optional_amounts),
        total=total,
        task_code=draw(_optional_codes),
        expense_code=None if fee else draw(xml_identifiers()),  # required on an expense, as in 1998B
        activity_code=draw(_optional_codes) if fee else None,
        description=draw(_optional_narratives),
        timekeeper=draw(keepers),
        charge_type=draw(_optional_charge_types),
        work_country=draw(_optional_codes),
        **taxes,
    )


_timekeeper_pools = st.tuples(
    st.lists(xml_timekeepers(), max_size=3, unique_by=lambda keeper: keeper.id),
    st.lists(classifications.map(lambda level: Timekeeper(None, classification=level)), max_size=1),
).map(lambda pools: pools[0] + pools[1])
_matter_ids = xml_identifiers()


@st.composite
def xml_matters(draw: st.DrawFn, adjustment_date: date) -> Matter:
    """A matter of 0..5 lines whose timekeepers are one per id (with its names; a level per line), or one with a level only."""
    pool = draw(_timekeeper_pools)
    keepers = (st.none() | st.sampled_from(pool).flatmap(_on_one_line)) if pool else st.none()
    return Matter(
        law_firm_matter_id=draw(_matter_ids),
        client_matter_id=draw(_optional_codes),
        line_items=tuple(draw(st.lists(xml_line_items(adjustment_date, keepers), max_size=5))),
        name=draw(_optional_texts),
        po_number=draw(_optional_texts),
        account_type=draw(_optional_account_types),
        description=draw(_optional_narratives),
        final_bill=draw(_optional_yes_no),
        managing_contact=draw(_contacts),
        fee_share=draw(_optional_fractions),
        expense_share=draw(_optional_fractions),
        fee_discount_rate=draw(_optional_amounts),
        expense_discount_rate=draw(_optional_amounts),
    )


law_firms = st.builds(
    LawFirm,
    id=xml_identifiers(),
    name=xml_identifiers(XML_NAME_LENGTH),
    address=xml_addresses(),
    code=xml_text(ID_LENGTH),
    remit_address=xml_addresses(),
    billing_contact=contacts(),
    website=xml_text(),
)
clients = st.builds(
    Client,
    id=xml_identifiers(),
    name=xml_text(),
    address=xml_addresses(),
    tax_id=xml_text(ID_LENGTH),
    law_firm_client_id=xml_text(ID_LENGTH),
    contact=contacts(),
)


_invoice_amounts, _optional_invoice_amounts = money(INVOICE_DIGITS), optional(money(INVOICE_DIGITS))
_optional_dates, _optional_currencies = optional(dates), optional(currencies)
# The lines' taxes are drawn to the cent (``xml_line_items``): the currency of their invoice is one with cents,
# since a reader derives each tax from its rate to the invoice currency's minor unit (whole yen for JPY).
_optional_cent_currencies = optional(st.sampled_from([code for code in CURRENCIES if minor_unit(code) == CENT]))


@st.composite
def xml_invoices(draw: st.DrawFn, law_firm: LawFirm, client: Client) -> Invoice:
    """One LEDES XML invoice of 1..3 matters, with every value XML 2.x holds (and no net total)."""
    invoice_date, billing_end = draw(dates), draw(_optional_dates)
    adjustment_date = billing_end if billing_end is not None else invoice_date
    return Invoice(
        number=draw(_matter_ids),
        date=invoice_date,
        client=client,
        law_firm=law_firm,
        total=draw(_invoice_amounts),
        billing_start=draw(_optional_dates),
        billing_end=billing_end,
        description=draw(_optional_narratives),
        matters=tuple(draw(st.lists(xml_matters(adjustment_date), min_size=1, max_size=3))),
        currency=draw(_optional_cent_currencies),
        tax_total=draw(_optional_invoice_amounts),
        reported_tax_total=draw(_optional_invoice_amounts),
        tax_currency=draw(_optional_currencies),
        due_date=draw(_optional_dates),
        payment_terms=draw(_optional_texts),
        replaces_rejected=draw(_optional_yes_no),
        reported_total=draw(_optional_invoice_amounts),
        exchange_rate=draw(_optional_amounts),
        image_file_name=draw(_optional_texts),
    )


def number_lines(invoices: list[Invoice]) -> list[Invoice]:
    """The invoices with each invoice's line items numbered 1, 2, 3…, as the XML readers number them."""
    return [_numbered(invoice, itertools.count(1)) for invoice in invoices]


def _numbered(invoice: Invoice, numbers: Iterator[int]) -> Invoice:
    return attrs.evolve(invoice, matters=tuple(
        attrs.evolve(matter, line_items=tuple(attrs.evolve(item, number=str(next(numbers))) for item in matter.line_items))
        for matter in invoice.matters
    ))


@st.composite
def xml_invoice_lists(draw: st.DrawFn, min_size: int = 1, max_size: int = 3) -> list[Invoice]:
    """The invoices of one LEDES XML file: firms and clients often shared by consecutive invoices."""
    firms = draw(st.lists(law_firms, min_size=1, max_size=2))
    parties = draw(st.lists(clients, min_size=1, max_size=2))
    count = draw(st.integers(min_size, max_size))
    return number_lines(
        [draw(xml_invoices(draw(st.sampled_from(firms)), draw(st.sampled_from(parties)))) for _ in range(count)]
    )


# A 1998B TIMEKEEPER_NAME that the XML writer's split (``conversion.split_name``) and the
# reader's join give back unchanged: "Last, First", or one word.
_name_part = text(14).map(lambda part: part.replace(",", "").strip()).filter(bool)
canonical_names = st.one_of(
    st.builds(lambda last, first: f"{last}, {first}", _name_part, _name_part),
    _name_part.filter(lambda part: " " not in part),
)
_optional_canonical_names = optional(canonical_names)


def _keeper_as_xml_holds(draw: st.DrawFn, keeper: Timekeeper | None, keepers: dict, bi: bool) -> Timekeeper | None:
    """One timekeeper per id in a matter; a name only with an id; 1998BI's name joined from its parts."""
    if keeper is None or keeper.id is None:
        return Timekeeper(None, classification=keeper.classification) if keeper and keeper.classification else None
    if keeper.id not in keepers:
        last, first = keeper.last_name, keeper.first_name
        if bi:
            name = joined_name(last, first)
            if name is not None and len(name) > NAME_LENGTH:
                last, first = name[:NAME_LENGTH], None
                name = last
        else:
            name = draw(_optional_canonical_names)
        keepers[keeper.id] = attrs.evolve(keeper, name=name, last_name=last, first_name=first)
    return keepers[keeper.id]


def _line_as_xml_holds(draw: st.DrawFn, item: LineItem, adjustment_date: date, keepers: dict, bi: bool,
                       currency: str | None) -> LineItem:
    total, tax = _taxed(item.total, item.tax_rate, currency)  # type: ignore[arg-type]
    taxes = {}
    if bi:  # no rate: a zero tax and no type (complete_for_1998bi fills the zero back in)
        rate = item.tax_rate
        taxes = {"tax_total": tax if tax is not None else Decimal(0), "tax_type": item.tax_type if rate is not None else None}
    if item.type.is_adjustment:  # type: ignore[union-attr]
        return LineItem(item.number, item.type, adjustment_date, adjustment=item.total, total=total,
                        tax_rate=item.tax_rate, **taxes)
    fee = item.type is LineItemType.FEE
    return attrs.evolve(
        item,
        total=total,
        expense_code=None if fee else item.expense_code,
        activity_code=item.activity_code if fee else None,
        timekeeper=_keeper_as_xml_holds(draw, item.timekeeper, keepers, bi),
        **taxes,
    )


@st.composite
def invoice_lists_as_xml_holds(draw: st.DrawFn, max_size: int = 3, bi: bool = False) -> list[Invoice]:
    """LEDES 1998B (``bi``: 1998BI) invoices reshaped to what LEDES XML holds of them (see the module docstring)."""
    reshaped = []
    for invoice in draw(invoice_lists(max_size=max_size, bi=bi)):
        adjustment_date = invoice.billing_end if invoice.billing_end is not None else invoice.date
        matters = []
        for matter in invoice.matters:
            keepers: dict[str, Timekeeper] = {}
            items = tuple(_line_as_xml_holds(draw, item, adjustment_date, keepers, bi, invoice.currency) for item in matter.line_items)
            matters.append(attrs.evolve(matter, line_items=items))
        invoice = attrs.evolve(invoice, matters=tuple(matters))
        if bi:  # the tax total is kept; the net total is what complete_for_1998bi derives from it
            tax_total = invoice.tax_total if invoice.tax_total is not None else Decimal(0)
            net_total = invoice.total - tax_total  # type: ignore[operator]
            if abs(net_total) >= 10**INVOICE_DIGITS:
                tax_total, net_total = Decimal(0), invoice.total
            invoice = attrs.evolve(invoice, tax_total=tax_total, net_total=net_total)
        reshaped.append(invoice)
    return number_lines(reshaped)


# -- LEDES 2000 ----------------------------------------------------------------------------


def _contact_2000(contact: Contact | None, fields: tuple[str, ...]) -> Contact | None:
    """A contact reduced to the fields LEDES 2000 has for it (None when none is left)."""
    if contact is None:
        return None
    kept = Contact(**{field: getattr(contact, field) for field in fields})
    return kept if any(getattr(kept, field) is not None for field in fields) else None


def _lines_as_2000_holds(matter: Matter) -> tuple[LineItem, ...]:
    """A matter's lines as LEDES 2000 gives them back: fees, expenses, then at most one IF and one IE.

    A fee's adjustment is its total less units × rate, every digit kept as the reader
    computes it (LEDES 2000 has base_amount and total_amount, no adjustment element), an
    expense has none; an expense's timekeeper is
    its id, with the name and level of that id's fees (2000's tk_sum) when it has fees.
    """
    fees = [item for item in matter.line_items if item.type is LineItemType.FEE]
    named = {item.timekeeper.id: item.timekeeper for item in fees if item.timekeeper and item.timekeeper.id}
    lines = []
    for item in fees:
        keeper = item.timekeeper if item.timekeeper is not None and item.timekeeper.id is not None else None
        adjustment = None
        if type(item.units) is Decimal and type(item.unit_cost) is Decimal and type(item.total) is Decimal:
            with exact():
                adjustment = (item.total - item.units * item.unit_cost) or None
        lines.append(attrs.evolve(item, timekeeper=keeper, adjustment=adjustment))
    for item in matter.line_items:
        if item.type is LineItemType.EXPENSE:
            keeper = item.timekeeper
            if keeper is not None:
                keeper = named.get(keeper.id) or (Timekeeper(keeper.id) if keeper.id is not None else None)
            lines.append(attrs.evolve(item, timekeeper=keeper, adjustment=None))
    for line_type in (LineItemType.FEE_ADJUSTMENT, LineItemType.EXPENSE_ADJUSTMENT):
        adjustment = next((item for item in matter.line_items if item.type is line_type and item.total), None)
        if adjustment is not None:
            lines.append(attrs.evolve(adjustment, adjustment=adjustment.total))
    return tuple(lines)


@st.composite
def invoice_lists_as_2000_holds(draw: st.DrawFn, max_size: int = 3) -> list[Invoice]:
    """LEDES 1998B invoices reshaped to what LEDES 2000 holds, with some of the values 2000 and XML 2.x share.

    One firm per file (2000's rule), the lines of each matter in 2000's order, and, drawn:
    the firm's code, addresses and billing contact, the client's contact (names and
    e-mail) and tax id, the invoice's due date, currency and payment terms, each matter's
    description, final-bill flag and managing contact (no fax).
    """
    invoices = draw(invoice_lists_as_xml_holds(max_size=max_size))
    firm = attrs.evolve(
        invoices[0].law_firm,
        code=draw(optional(xml_identifiers())),
        address=draw(xml_addresses()),
        remit_address=draw(xml_addresses()),
        billing_contact=draw(contacts()),
    )
    reshaped = []
    for invoice in invoices:
        client = attrs.evolve(
            invoice.client,
            contact=_contact_2000(draw(contacts()), ("last_name", "first_name", "email")),
            address=draw(xml_addresses()),
        )
        matters = tuple(
            attrs.evolve(
                matter,
                line_items=_lines_as_2000_holds(matter),
                description=draw(xml_text()),
                final_bill=draw(optional(st.sampled_from(["Y", "N"]))),
                managing_contact=_contact_2000(draw(contacts()), ("last_name", "first_name", "id", "phone", "email")),
            )
            for matter in invoice.matters
        )
        reshaped.append(attrs.evolve(
            invoice,
            law_firm=firm,
            client=client,
            matters=matters,
            due_date=draw(optional(dates)),
            currency=draw(optional(st.sampled_from(CURRENCIES))),
            payment_terms=draw(xml_text()),
        ))
    return number_lines(reshaped)
