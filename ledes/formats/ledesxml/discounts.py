"""A LEDES XML ``matter_disc_cred``: its category as a line type, its amount signed as its ``increase_decrease`` says."""

from __future__ import annotations

from decimal import Decimal

from ledes.diagnostics import Emit
from ledes.model import LineItemType
from ledes.model.invoice import Money
from ledes.rules import field as field_rules
from ledes.rules import xml as xml_rules

_CATEGORIES = {"fee": LineItemType.FEE_ADJUSTMENT, "exp": LineItemType.EXPENSE_ADJUSTMENT,
               "expense": LineItemType.EXPENSE_ADJUSTMENT}
_SIGNS = {"increase": 1, "decrease": -1}


def discount(values: dict, emit: Emit, line: int | None, xpath: str, invoice_number: str | None) -> Money:
    """Take a discount's or credit's category, direction and amount out of its ``values``, put its line type in; return
    its amount. A category that is neither Fee nor Exp is read as Fee (``field.line-type``); an amount whose sign
    contradicts ``increase_decrease`` (a Decrease of 100.00, written as its size) is signed as the flag says
    (``xml.discount-sign``): the source is read either way, and the stated totals show which reading it meant."""
    category = values.pop("~category", None)
    direction = values.pop("~direction", None)
    amount = values.pop("~amount", None)
    line_type = _CATEGORIES.get(str(category).strip().lower()) if category is not None else None
    if line_type is None:
        line_type = LineItemType.FEE_ADJUSTMENT
        emit(
            field_rules.LINE_TYPE,
            (f"disc_cred_category is {category!r}" if category is not None else "no disc_cred_category")
            + "; expected Fee or Exp (read as a fee adjustment)",
            line=line, xpath=f"{xpath}/disc_cred_category", invoice=invoice_number,
        )
    sign = _SIGNS.get(direction.strip().lower()) if isinstance(direction, str) else None
    if type(amount) is Decimal and amount and sign is not None and (amount > 0) != (sign > 0):
        emit(
            xml_rules.DISCOUNT_SIGN,
            f"disc_cred_amount is {amount} but increase_decrease is {direction.strip()}: read as {-amount}",
            line=line, xpath=f"{xpath}/disc_cred_amount", invoice=invoice_number,
            hint="write a decrease as a negative amount and an increase as a positive one",
        )
        amount = -amount
    values["type"] = line_type
    return amount
