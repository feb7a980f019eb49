"""Running the ledes CLI on hostile input as a real process: its exit code, its output, and its peak memory.

Each run is a subprocess with a 30 s wall-clock timeout (it is killed after that, and the
test fails) and an address-space ceiling of 2 GB (so that a regression cannot take the
machine down with it); its peak resident memory is measured with ``os.wait4`` by ``tests/peak_launcher.py``.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
GOOD_1998B = FIXTURES / "1998b" / "valid" / "crlf_single_fee_legacy_pt.txt"
XML_21 = FIXTURES / "xml" / "ledes21_sample.xml"
LEDES_2000 = FIXTURES / "xml" / "ledes2000_handwritten.xml"
IMPORT = FIXTURES / "import"
# Measures the command from a small process of its own (see its docstring): not charged with pytest's memory.
LAUNCHER = ROOT / "tests" / "peak_launcher.py"

TIMEOUT = 30  # seconds of wall-clock time a hostile case may take
MEMORY_BOUND = 300 * 1024 * 1024  # bytes of peak resident memory a hostile case may use
_CEILING = 2 * 1024 * 1024 * 1024  # address space: a safety net, far above the bound


@attrs.frozen
class Run:
    """What one run of the CLI did: exit code (negative: killed by that signal), output, peak memory in bytes."""

    returncode: int
    stdout: bytes
    stderr: str
    peak: int

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8", "replace")


def ledes_command() -> list[str]:
    """The console script beside this interpreter, else `python -m ledes_cli`."""
    beside = Path(sys.executable).parent / "ledes"
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "ledes_cli"]


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (_CEILING, _CEILING))


def run(*args: str | os.PathLike[str] | bytes, stdin: bytes | None = None, cwd: Path = ROOT,
        env: dict[str, str] | None = None) -> Run:
    """Run ``ledes ARGS`` to completion (at most ``TIMEOUT`` seconds) and measure its peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as given:
        given.write(stdin or b"")
        given.seek(0)
        peak_fd, peak_file = tempfile.mkstemp()
        os.close(peak_fd)
        process = subprocess.Popen(
            [sys.executable, str(LAUNCHER), peak_file, *ledes_command(), *args], stdin=given, stdout=out, stderr=err,
            cwd=cwd, preexec_fn=_limits, start_new_session=True, env={**os.environ, **(env or {})},
        )
        timer = threading.Timer(TIMEOUT, os.killpg, (process.pid, signal.SIGKILL))
        timer.start()
        try:
            process.wait()
        finally:
            timer.cancel()
        peak = Path(peak_file).read_text(encoding="ascii").strip()
        os.unlink(peak_file)
        out.seek(0)
        err.seek(0)
        return Run(process.returncode, out.read(), err.read().decode("utf-8", "replace"), int(peak or 0) * 1024)


def assert_clean_exit(result: Run, *codes: int) -> None:
    """The run ended with one of ``codes`` (not killed by the timeout), without a traceback."""
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode in codes, (result.returncode, result.stderr[-2000:])


def assert_bounded(result: Run) -> None:
    """The run stayed under the memory bound (the timeout kills it otherwise, which fails ``assert_clean_exit``)."""
    assert result.peak < MEMORY_BOUND, f"peak memory {result.peak / 2**20:.0f} MB"


def assert_one_line_error(result: Run) -> None:
    """Exit 2 with a single ``ledes: error:`` line on stderr."""
    assert_clean_exit(result, 2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ledes: error: "), result.stderr


def copy(source: Path, folder: Path, name: str | None = None) -> Path:
    target = folder / (name or source.name)
    shutil.copyfile(source, target)
    return target
