"""Postal addresses and contacts (LEDES 1998BI, LEDES XML 2.x) as frozen attrs records.

Apart from ``ledes.model.invoice`` and built when first used (``ledes.model``): a run on a
LEDES 1998B file, which has neither, never builds their classes.
"""

from __future__ import annotations

import attrs


@attrs.frozen(slots=False)
class Address:
    """A postal address (LEDES 1998BI ``*_ADDRESS_1`` … ``*_COUNTRY``; XML 2.x adds phone and fax)."""

    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None
    phone: str | None = None
    fax: str | None = None


@attrs.frozen(slots=False)
class Contact:
    """A person to contact at the firm or the client (LEDES XML 2.x ``@CONTACT_INFO``)."""

    last_name: str | None = None
    first_name: str | None = None
    id: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
