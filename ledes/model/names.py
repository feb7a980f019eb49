"""Personal names as LEDES files hold them: one TIMEKEEPER_NAME, or a last and a first name."""

from __future__ import annotations


def split_name(name: str | None) -> tuple[str | None, str | None]:
    """(last, first) from a TIMEKEEPER_NAME: "Arnsley, Robert", or "Robert Arnsley" (last word last)."""
    if not name:
        return None, None
    if "," in name:
        last, _, first = name.partition(",")
    else:
        first, _, last = name.strip().rpartition(" ")
    return last.strip() or None, first.strip() or None
