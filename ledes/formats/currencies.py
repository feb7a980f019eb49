"""ISO 4217 alphabetic currency codes, for INVOICE_CURRENCY and INVOICE_TAX_CURRENCY.

Their minor units (how many decimals an amount has: 0 for JPY, 3 for KWD) are
``ledes.money.MINOR_UNITS``, beside the rounding that uses them, in the layer below the
formats and the rules.
"""

from ledes.money import MINOR_UNITS, NO_MINOR_UNIT

# ISO 4217 as maintained in 2026 (SIX's List One, including the funds and precious-metal
# codes), plus withdrawn codes that invoices from before a change still carry (HRK, ...):
# the codes of ``ledes.money.MINOR_UNITS``, which gives each one's decimals, and those the
# list gives no minor unit.
ISO_4217 = frozenset(MINOR_UNITS) | NO_MINOR_UNIT
