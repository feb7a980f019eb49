"""Personal names as LEDES files hold them: one TIMEKEEPER_NAME, or a last and a first name."""

from __future__ import annotations


def split_name(name: str | None) -> tuple[str | None, str | None]:
    """(last, first) from a TIMEKEEPER_NAME written "Arnsley, Robert". A name without a comma is not split: real files
    write both "Arnsley Robert" (the LOC 1998BI sample: last name first) and "Robert Arnsley", so which word is the
    last name cannot be told; the whole name is the last name, the first name is none, and nothing is invented."""
    if not name:
        return None, None
    if "," in name:
        last, _, first = name.partition(",")
    else:
        last, first = name, ""
    return last.strip() or None, first.strip() or None
