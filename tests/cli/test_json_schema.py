"""The --format json document matches the published schema in schemas/validate-report.schema.json."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from json_schemas import conforms, load

from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = load("validate-report")


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
