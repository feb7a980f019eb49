"""Invoice, matter, line item, timekeeper, law firm and client as frozen attrs records."""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:  # built when first used (ledes.model): a 1998B file has no address, contact or stated figure
    from ledes.model.contacts import Address, Contact
    from ledes.model.stated import Stated, StatedTotals


class Unparsed(str):
    """The source text of a value that did not convert to its type.

    Readers keep it instead of dropping the value, so every other problem is still
    reported and a writer can reproduce the file (compare icalendar's ``vBroken``).
    ``evident`` is the one number a malformed amount plainly stands for (``+100.00``,
    ``1,250.00``, ``$5``, ``(70.00)``: see ``ledes.money.evident_amount``), None when it has
    none: the arithmetic computes with it (``amount``), the writers write the text.
    """

    evident: Decimal | None = None

    def __new__(cls, text: str, evident: Decimal | None = None) -> Unparsed:
        made = super().__new__(cls, text)
        if evident is not None:
            made.evident = evident
        return made

    def __repr__(self) -> str:
        return f"Unparsed({str.__repr__(self)})"


def amount(value: object) -> Decimal | None:
    """The number a value read from a file stands for: a Decimal, a malformed amount's evident number, else None."""
    if type(value) is Decimal:
        return value
    if type(value) is Unparsed:
        return value.evident
    return None


class LineItemType(enum.Enum):
    """What a line item bills (LEDES 1998B field ``EXP/FEE/INV_ADJ_TYPE``)."""

    FEE = "F"
    EXPENSE = "E"
    FEE_ADJUSTMENT = "IF"
    EXPENSE_ADJUSTMENT = "IE"

    @property
    def is_adjustment(self) -> bool:
        """True for the invoice-level adjustments ``IF`` and ``IE``."""
        return self in (LineItemType.FEE_ADJUSTMENT, LineItemType.EXPENSE_ADJUSTMENT)


FEES_AND_EXPENSES = frozenset({LineItemType.FEE, LineItemType.EXPENSE})  # the lines that bill work or a cost


@attrs.frozen(slots=False)
class Location:
    """Where a record or value came from: file, 1-based physical line, field name, XPath."""

    # The model's classes are frozen dict classes, not slotted ones: attrs builds them
    # about 40% faster, and readers build one line item (and its location) per record.

    path: str | None = None
    line: int | None = None
    field: str | None = None
    xpath: str | None = None


# The two helpers below return what attrs.field() returns, a field definition; they are
# annotated with the type of the field's value, as attrs.field() itself is in attrs'
# stubs, so that a class body may assign them to an annotated attribute.


def _location() -> Location | None:
    """A source location that equality, hashing and repr ignore."""
    return attrs.field(default=None, eq=False, repr=False)


def _spellings() -> Mapping[str, str] | None:
    """Source spellings of amounts, which equality, hashing and repr ignore, as they do the location."""
    return attrs.field(default=None, eq=False, repr=False)


# A value read from a file is its converted type, or Unparsed text, or None when empty.
Money = Decimal | Unparsed | None
Day = date | Unparsed | None


@attrs.frozen(slots=False)
class Timekeeper:
    """The person who billed a line; ``name`` is "Last, First" as 1998B writes it, ``classification`` a LEDES code."""

    id: str | None
    name: str | None = None
    classification: str | None = None
    last_name: str | None = None
    first_name: str | None = None


@attrs.frozen(slots=False)
class LawFirm:
    """The billing law firm; ``id`` is its tax or vendor id (``LAW_FIRM_ID``, XML ``lf_vendor_id``).

    ``code`` is the firm's own code for itself (XML ``lf_id``); ``remit_address``,
    ``billing_contact`` and ``website`` are LEDES XML 2.x's.
    """

    id: str | None
    name: str | None = None
    address: Address | None = None
    code: str | None = None
    remit_address: Address | None = None
    billing_contact: Contact | None = None
    website: str | None = None


@attrs.frozen(slots=False)
class Client:
    """The client billed; ``id`` is the firm's code for it (``CLIENT_ID``), ``tax_id`` the client's own."""

    id: str | None
    name: str | None = None
    address: Address | None = None
    tax_id: str | None = None
    law_firm_client_id: str | None = None
    contact: Contact | None = None


@attrs.frozen(slots=False)
class LineItem:
    """One fee, expense or invoice-level adjustment.

    ``total`` is the line's total as billed, tax included (LEDES 1998BI adds
    ``tax_total`` into LINE_ITEM_TOTAL). ``spellings`` keeps the source text of valid amounts whose text differs from the
    canonical rendering of their Decimal (``1250.``), so a writer can reproduce them.

    LEDES XML 2.x adds ``charge_type`` (``F`` for a fixed fee; None is the usual ``U``,
    units × rate) and ``work_country``; an XML ``matter_disc_cred`` is an IF or IE line
    whose ``adjustment_code`` (MIA, MIDB, MISF), ``discount_percent`` and ``split``
    (pre- or post-split) it carries. ``stated_base`` is the XML ``base_amount`` as the
    file states it (units × rate); equality ignores it.
    """

    number: str | None
    type: LineItemType | Unparsed | None
    date: Day
    units: Money = None
    unit_cost: Money = None
    adjustment: Money = None
    total: Money = None
    task_code: str | None = None
    expense_code: str | None = None
    activity_code: str | None = None
    description: str | None = None
    timekeeper: Timekeeper | None = None
    location: Location | None = _location()  # noqa: RUF009 (an attrs field definition, not a shared default)
    spellings: Mapping[str, str] | None = _spellings()
    tax_rate: Money = None
    tax_total: Money = None
    tax_type: str | None = None
    charge_type: str | None = None
    work_country: str | None = None
    adjustment_code: str | None = None
    discount_percent: Money = None
    split: str | None = None
    stated_base: Stated | None = attrs.field(default=None, eq=False, repr=False)  # as the location


@attrs.frozen(slots=False)
class Matter:
    """The line items billed to one law-firm matter within one invoice.

    The LEDES XML 2.x extras: ``final_bill`` (Y/N), ``managing_contact``, the client's
    shares of fees and expenses (``fee_share``, ``expense_share``: fractions, 1 = all)
    and the matter discount rates (``fee_discount_rate``, ``expense_discount_rate``).
    ``stated_totals`` are the summary figures a LEDES XML file states for the matter;
    equality ignores them.
    """

    law_firm_matter_id: str | None
    client_matter_id: str | None = None
    line_items: tuple[LineItem, ...] = ()
    location: Location | None = _location()  # noqa: RUF009 (an attrs field definition, not a shared default)
    name: str | None = None
    po_number: str | None = None
    account_type: str | None = None
    description: str | None = None
    final_bill: str | None = None
    managing_contact: Contact | None = None
    fee_share: Money = None
    expense_share: Money = None
    fee_discount_rate: Money = None
    expense_discount_rate: Money = None
    stated_totals: StatedTotals | None = attrs.field(default=None, eq=False, repr=False)  # as the location


@attrs.frozen(slots=False)
class Invoice:
    """One invoice: header values, the firm and client, and its matters in file order.

    ``total`` includes tax; ``tax_total`` and ``net_total`` (total less tax) are
    LEDES 1998BI's INVOICE_TAX_TOTAL and INVOICE_NET_TOTAL; ``reported_tax_total`` is
    the tax as reported to the tax authority, in ``tax_currency``; ``reported_total``
    is the total in that currency (XML ``inv_total_net_due_other_iso``). The other
    LEDES XML 2.x extras: ``due_date``, ``payment_terms``, ``replaces_rejected`` (Y/N),
    ``exchange_rate`` and ``image_file_name``. ``taxes_by_rate`` is true where the file gives
    each line's taxes by rate only (LEDES XML, LEDES 2000): the reader works each line's tax
    out, and the file's own tax figures may have been worked out once on a taxable total.
    """

    number: str | None
    date: Day
    client: Client
    law_firm: LawFirm
    total: Money = None
    billing_start: Day = None
    billing_end: Day = None
    description: str | None = None
    matters: tuple[Matter, ...] = ()
    location: Location | None = _location()  # noqa: RUF009 (an attrs field definition, not a shared default)
    spellings: Mapping[str, str] | None = _spellings()
    currency: str | None = None
    tax_total: Money = None
    net_total: Money = None
    reported_tax_total: Money = None
    tax_currency: str | None = None
    due_date: Day = None
    payment_terms: str | None = None
    replaces_rejected: str | None = None
    reported_total: Money = None
    exchange_rate: Money = None
    image_file_name: str | None = None
    taxes_by_rate: bool = attrs.field(default=False, eq=False, repr=False)  # how the file gives taxes, not a value

    @property
    def line_items(self) -> Iterator[LineItem]:
        """Every line item of every matter, in order."""
        return itertools.chain.from_iterable(matter.line_items for matter in self.matters)
