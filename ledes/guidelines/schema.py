"""The JSON Schema of a guidelines file, generated from the rules so that it never drifts from them."""

from __future__ import annotations

import json

from ledes.config import GROUPS, LEVELS
from ledes.guidelines import MAX_WINDOW_DAYS, RECEIVABLES_DEFAULTS
from ledes.rules import ALL_RULES, Rule
from ledes.rules.options import schema_of

_LEVEL = {"enum": list(LEVELS)}
_RECEIVABLES = {
    "payment_terms_days": "days after submission an invoice is due",
    "resubmission_window_days": "days after a rejection the invoice may still be resubmitted",
    "appeal_window_days": "days after a reduction or short payment it may still be appealed",
    "appeal_answer_days": "days after an appeal with no answer it is chased",
}
_NUMBER = {"type": ["number", "string"], "description": "a decimal number (quote it to keep every digit)"}


def _options(rule: Rule) -> dict[str, dict]:
    """Each option's schema, as its rule's options class declares it."""
    return {} if rule.options_type is None else schema_of(rule.options_type)


def guidelines_schema() -> dict:
    """The schema: top-level keys, timekeepers, custom codes, and each guideline rule's level and options."""
    rules = {
        rule.name: {
            "type": "object",
            "description": rule.summary,
            "additionalProperties": False,
            "properties": {"level": _LEVEL, **_options(rule)},
        }
        for rule in ALL_RULES
    }
    groups = {group: {"type": "object", "additionalProperties": False, "properties": {"level": _LEVEL}}
              for group in sorted(GROUPS)}
    rate = {"type": "object", "additionalProperties": False, "required": ["rate"], "properties": {
        "rate": _NUMBER, "from": {"type": "string", "format": "date"}, "until": {"type": "string", "format": "date"}}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/ledes/ledes/schemas/guidelines.schema.json",
        "title": "ledes client guidelines (TOML)",
        "description": "A client's outside-counsel guidelines for `ledes validate --guidelines FILE`. Generated from"
                       " the rules by ledes.guidelines.schema; `ledes rules NAME` documents each rule and option.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "extends": {"type": "string", "description": "a preset (default, strict) or a file, relative to this one"},
            "client": {"type": "string"},
            "currency": {"type": "string", "pattern": "^[A-Za-z]{3}$",
                         "description": "the ISO 4217 currency of the amounts (caps, approved rates)"},
            "timekeepers": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["id"], "properties": {
                    "id": {"type": "string"}, "name": {"type": "string"}, "classification": {
                        "type": "string", "description": "a LEDES timekeeper classification code (PARTNR, ASSOC,"
                                                         " PARALG...; 1998B: PT, AS, OC, LA, OT)"},
                    "rates": {"type": "array", "items": rate}}}},
            "custom_codes": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["set", "code", "name"],
                "properties": {"set": {"type": "string"}, "code": {"type": "string"}, "name": {"type": "string"},
                               "parent": {"type": "string"}}}},
            "rules": {"type": "object", "additionalProperties": False, "properties": {**groups, **rules}},
            "receivables": {
                "type": "object", "additionalProperties": False,
                "description": "the ledger's follow-up windows in days (ledes ledger follow-up)",
                "properties": {key: {"type": "integer", "minimum": 0, "maximum": MAX_WINDOW_DAYS, "default": default,
                                     "description": _RECEIVABLES[key]}
                               for key, default in RECEIVABLES_DEFAULTS.items()}},
        },
    }


def schema_text() -> str:
    """The schema as ``schemas/guidelines.schema.json`` holds it."""
    return json.dumps(guidelines_schema(), indent=2, ensure_ascii=False) + "\n"
