"""Checking the ledger's JSON documents against their published schemas, with the validator every schema test uses."""

from __future__ import annotations

from pathlib import Path

from json_schemas import conforms, load

__all__ = ["ROOT", "conforms", "schema"]

ROOT = Path(__file__).resolve().parents[2]


def schema(name: str) -> dict:
    return load(f"ledger-{name}")
