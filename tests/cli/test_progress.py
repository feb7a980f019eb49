"""Progress on standard error: on a terminal (a pseudo-terminal here) it shows and is wiped; piped or in CI, never.

``LEDES_PROGRESS_AFTER=0`` shows it from the first invoice, so that a small file is enough and
nothing depends on how fast the machine is.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from generate import generate


@pytest.fixture(scope="module")
def run_file(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("progress") / "run.txt", 3_000)


def ledes_validate(path: Path, *, terminal: bool, ci: bool) -> tuple[bytes, bytes]:
    """stdout and stderr of `ledes validate --format json PATH`, stderr a pseudo-terminal or a pipe."""
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"LEDES_PROGRESS_AFTER": "0"}
    if ci:
        env["CI"] = "true"
    command = [sys.executable, "-m", "ledes_cli", "validate", "--format", "json", str(path)]
    if not terminal:
        done = subprocess.run(command, capture_output=True, env=env, check=True)
        return done.stdout, done.stderr
    main, other = pty.openpty()
    try:
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=other, env=env)
        os.close(other)
        out = child.stdout.read() if child.stdout else b""
        seen = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            seen += chunk
        assert child.wait() == 0
    finally:
        os.close(main)
    return out, seen


def test_progress_shows_on_a_terminal_and_is_wiped(run_file: Path):
    out, terminal = ledes_validate(run_file, terminal=True, ci=False)
    text = terminal.decode()
    assert "ledes: file 1 of 1" in text and "line items" in text and "a second" in text and "s left" in text
    assert text.endswith("\r\x1b[K")  # wiped at the end
    assert b"ledes: file" not in out and out.startswith(b"{")  # stdout carries the report only


def test_no_progress_when_ci_is_set(run_file: Path):
    _out, terminal = ledes_validate(run_file, terminal=True, ci=True)
    assert terminal == b""


def test_no_progress_when_stderr_is_piped(run_file: Path):
    out, err = ledes_validate(run_file, terminal=False, ci=False)
    assert err == b"" and out.startswith(b"{")
