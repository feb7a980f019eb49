"""`ledes import` takes CSV and Excel exports by design; given random bytes or an export with no row, it writes nothing.

Random bytes are a file it cannot read (exit 2, the import's exit status for an unreadable
file), an export with its header and no row makes no invoice (exit 1); neither leaves an
output file behind, and neither exits 0.
"""

from __future__ import annotations

import random
from pathlib import Path

from click.testing import CliRunner

from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "fixtures" / "import" / "harbor-finch.toml"
EXPORT = ROOT / "fixtures" / "import" / "harbor-finch-time-export.csv"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_random_bytes_are_an_unreadable_file_and_nothing_is_written(tmp_path: Path):
    source = tmp_path / "upload.csv"
    source.write_bytes(random.Random(1998).randbytes(4096))
    target = tmp_path / "out.txt"
    result = run("import", source, "--mapping", MAPPING, "--to", "1998b", "-o", target)
    assert result.exit_code == 2 and "cannot read" in result.output
    assert not target.exists()


def test_an_export_with_no_row_makes_no_invoice_and_nothing_is_written(tmp_path: Path):
    source = tmp_path / "export.csv"
    source.write_text(EXPORT.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    target = tmp_path / "out.txt"
    result = run("import", source, "--mapping", MAPPING, "--to", "1998b", "-o", target)
    assert result.exit_code == 1 and "no row makes an invoice" in result.output
    assert not target.exists()
