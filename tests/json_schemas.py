"""Checking the published JSON documents (schemas/*.schema.json) with a real JSON Schema validator, as users would."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def load(name: str) -> dict:
    """The schema ``schemas/NAME.schema.json``."""
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def conforms(value: object, schema: dict) -> list[str]:
    """Every way ``value`` departs from ``schema`` (its JSON path and the reason), none when it conforms."""
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(value)]
