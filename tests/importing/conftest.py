"""Shared paths and helpers for the import tests: the sample exports, their mappings, running the command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "fixtures" / "import"
CSV_EXPORT = SAMPLES / "harbor-finch-time-export.csv"
CSV_MAPPING = SAMPLES / "harbor-finch.toml"
BROKEN_EXPORT = SAMPLES / "harbor-finch-broken-export.csv"
XLSX_EXPORT = SAMPLES / "marlow-stanton-billable-entries.xlsx"
XLSX_MAPPING = SAMPLES / "marlow-stanton.toml"
XLSX_GUIDELINES = SAMPLES / "hexcorp-guidelines.toml"

MINIMAL_MAPPING = """
[source]
date_formats = ["%Y-%m-%d"]
{source}
[columns]
date = "Date"
client_id = "Client"
law_firm_matter_id = "Matter"
timekeeper_id = "TK"
timekeeper_name = "Name"
timekeeper_classification = "Class"
hours = "Hours"
rate = "Rate"
amount = "Amount"
task_code = "Task"
activity_code = "Activity"
expense_code = "Code"
description = "Text"

[defaults]
law_firm_id = "12-3456789"
law_firm_name = "Test & Co"
currency = "USD"
{extra}
"""
MINIMAL_HEADER = "Date,Client,Matter,TK,Name,Class,Hours,Rate,Amount,Task,Activity,Code,Text"


def run_import(*args: object):
    """`ledes import ARGS` through CliRunner, stdout and stderr kept apart."""
    return CliRunner().invoke(main, ["import", *(str(arg) for arg in args)])


@pytest.fixture
def minimal(tmp_path):
    """Write a small CSV (header + ``rows``) and a mapping (with ``source`` and ``extra`` TOML); return their paths."""

    def make(rows: list[str], extra: str = "", source: str = "", header: str = MINIMAL_HEADER,
             name: str = "export.csv") -> tuple[Path, Path]:
        export = tmp_path / name
        export.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        mapping = tmp_path / "mapping.toml"
        mapping.write_text(MINIMAL_MAPPING.format(source=source, extra=extra), encoding="utf-8")
        return export, mapping

    return make
