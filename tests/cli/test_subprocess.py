"""The installed `ledes` command, run as a real process: exit codes and output streams."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"
INVALID = ROOT / "fixtures" / "1998b" / "invalid" / "travisbashor_tests-data_ledes_98B.txt"


def ledes_command() -> list[str]:
    """The console script beside this interpreter, else on PATH, else `python -m ledes_cli`."""
    beside = Path(sys.executable).parent / "ledes"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("ledes")
    return [found] if found else [sys.executable, "-m", "ledes_cli"]


def run(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*ledes_command(), *map(str, args)], capture_output=True, text=True, timeout=60, cwd=ROOT
    )


def test_the_installed_command_validates_and_sets_exit_codes(tmp_path: Path):
    """As a process: 0 for a valid file, 1 with findings, 2 with one stderr line for a missing file."""
    valid = run("validate", VALID)
    assert valid.returncode == 0, valid.stderr
    assert "0 errors, 0 warnings" in valid.stdout

    invalid = run("validate", "--format", "json", INVALID)
    assert invalid.returncode == 1
    assert json.loads(invalid.stdout)["summary"] == {"files": 1, "errors": 3, "warnings": 0, "at_risk": "0.00"}
    assert invalid.stderr == ""

    missing = run("validate", tmp_path / "missing.txt")
    assert missing.returncode == 2
    assert missing.stdout == ""
    assert len(missing.stderr.strip().splitlines()) == 1
    assert "Traceback" not in missing.stderr
