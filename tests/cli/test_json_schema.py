"""The --format json document matches the published schema in schemas/validate-report.schema.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "validate-report.schema.json").read_text(encoding="utf-8"))
TYPES = {"object": dict, "array": list, "string": str, "integer": int, "null": type(None)}


def conforms(value, schema: dict, where: str = "$") -> list[str]:
    """The subset of JSON Schema the report schema uses: type, enum, pattern, minimum, properties, items."""
    problems = []
    allowed = schema.get("type")
    if allowed is not None:
        names = allowed if isinstance(allowed, list) else [allowed]
        if not any(isinstance(value, TYPES[n]) and not (n == "integer" and isinstance(value, bool)) for n in names):
            return [f"{where}: {value!r} is not {allowed}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        problems.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, int) and "minimum" in schema and value < schema["minimum"]:
        problems.append(f"{where}: {value} < {schema['minimum']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{where}: missing {key}")
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key not in properties:
                if schema.get("additionalProperties") is False:
                    problems.append(f"{where}: unexpected {key}")
                continue
            problems += conforms(item, properties[key], f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            problems += conforms(item, schema["items"], f"{where}[{index}]")
    return problems


def test_report_of_valid_and_invalid_files_matches_the_schema():
    """Every kind of finding the fixtures produce fits the published schema."""
    files = sorted(str(p) for p in (ROOT / "fixtures").rglob("*.txt"))
    result = CliRunner().invoke(main, ["validate", "--format", "json", *files])
    document = json.loads(result.output)
    assert conforms(document, SCHEMA) == []
    assert sum(len(f["diagnostics"]) for f in document["files"]) > 50


def test_the_checker_itself_rejects_a_broken_document():
    """The schema check can fail: a wrong severity and a float amount are caught."""
    broken = {"files": [{"path": "x", "format": "LEDES1998B", "invoices": 1, "line_items": 1, "diagnostics": [
        {"rule": "r", "severity": "fatal", "message": "m", "line": 1, "field": None, "invoice": None, "amount": 1.5}
    ]}], "summary": {"files": 1, "errors": 0, "warnings": 0}}
    assert len(conforms(broken, SCHEMA)) == 2
