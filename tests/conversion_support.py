"""What a conversion returns (or raises) and writes: the outcome the conversion tests compare between two ways."""

from __future__ import annotations

from pathlib import Path

from ledes import api
from ledes.errors import LedesError
from ledes.formats import Format

THREE_INVOICES = Path(__file__).resolve().parents[1] / "fixtures" / "generators" / "1998b_three_invoices.txt"


def many_invoices(copies: int) -> str:
    """The three-invoice 1998B fixture's records repeated ``copies`` times, each copy's invoice numbers its own."""
    lines = THREE_INVOICES.read_text(encoding="utf-8").splitlines(keepends=True)
    out = lines[:2]
    for copy in range(copies):
        for record in lines[2:]:
            fields = record.split("|")
            fields[1] = f"{fields[1]}-{copy}"
            out.append("|".join(fields))
    return "".join(out)


def with_control_character(source: Path) -> Path:
    """``source`` written with three copies of the three invoices, a control character in one narrative mid-way."""
    text = many_invoices(3)
    cut = text.index("Draft motion to dismiss")
    source.write_text(text[:cut] + "Draft\x01" + text[cut + 5:], encoding="utf-8")
    return source


def converted(source: Path, target: Format, out: Path) -> tuple[object, bytes | None]:
    """``api.convert``'s result, or the error it raised with its losses, and the bytes it wrote (None: nothing)."""
    out.unlink(missing_ok=True)
    try:
        result: object = api.convert(source, out, to=target.key, allow_loss=True, currency="USD",
                                     law_firm_name="Law Offices of John Smith")
    except LedesError as error:
        result = (type(error), str(error), getattr(error, "losses", None))
    return result, out.read_bytes() if out.exists() else None
