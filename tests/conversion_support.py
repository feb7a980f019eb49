"""What a conversion returns (or raises) and writes: the outcome the conversion tests compare between two ways."""

from __future__ import annotations

from pathlib import Path

from ledes import api
from ledes.errors import LedesError
from ledes.formats import Format


def converted(source: Path, target: Format, out: Path) -> tuple[object, bytes | None]:
    """``api.convert``'s result, or the error it raised with its losses, and the bytes it wrote (None: nothing)."""
    out.unlink(missing_ok=True)
    try:
        result: object = api.convert(source, out, to=target.key, allow_loss=True, currency="USD",
                                     law_firm_name="Law Offices of John Smith")
    except LedesError as error:
        result = (type(error), str(error), getattr(error, "losses", None))
    return result, out.read_bytes() if out.exists() else None
