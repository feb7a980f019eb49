"""Writing many small valid invoices for the ledger's tests: copies of a sample one-line 1998B invoice, renumbered."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs

import ledes

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"


def write_invoices(path: Path, numbers: Iterable[str]) -> Path:
    """A 1998B file holding one copy of the sample's invoice 96543 per number."""
    template = next(invoice for invoice in ledes.load(SAMPLE) if invoice.number == "96543")
    ledes.write((attrs.evolve(template, number=number) for number in numbers), path, "1998b")
    return path
