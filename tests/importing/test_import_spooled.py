"""An import keeps its invoices' summaries and its roundings on disk past a bound: what it prints and writes is the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BROKEN_EXPORT, CSV_EXPORT, CSV_MAPPING, XLSX_EXPORT, XLSX_MAPPING, run_import

from ledes import spooled


@pytest.mark.parametrize("export", [CSV_EXPORT, BROKEN_EXPORT, XLSX_EXPORT], ids=lambda path: path.name)
@pytest.mark.parametrize("dry_run", [False, True], ids=["written", "dry run"])
def test_an_import_whose_rows_wait_on_disk_does_what_one_in_memory_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                        export: Path, dry_run: bool):
    mapping = XLSX_MAPPING if export == XLSX_EXPORT else CSV_MAPPING

    def imported(name: str) -> tuple[int, str, str, bytes | None]:
        target = tmp_path / name
        result = run_import(export, "--mapping", mapping, "--to", "1998b", "-o", target, "--skip-bad-rows",
                            *(["--dry-run"] if dry_run else []))
        written = target.read_bytes() if target.exists() else None
        return result.exit_code, result.stdout.replace(name, "OUT"), result.stderr.replace(name, "OUT"), written

    held = imported("held.txt")
    monkeypatch.setattr(spooled, "RECORDS_HELD", 2)
    assert imported("spooled.txt") == held
    assert held[1].count("\n") > 3
