"""Findings stream to the output as the file is read: memory does not grow with their number, in every output.

Each run is the installed command in a subprocess on a generated file; its peak memory
is the kernel's account of it (``ru_maxrss`` from ``os.wait4``, taken by ``tests/peak_launcher.py`` so
that pytest's own memory is not counted), never a timing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ledes.api import read_each

from .test_subprocess import ledes_command

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "tests" / "peak_launcher.py"
HEADER = (ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt").read_text(encoding="utf-8").splitlines()[:2]
# One record over two lines (structure.line-break, which has a hint) with eleven malformed fields, and invoices
# alternating between two numbers (invoice.non-contiguous): 13 findings a record, and no invoice grows.
RECORD = (
    "1999022X|{number}|00711|0528|1x|1999010X|1999013X|x|1|Q|2.0x|0x|9x|1999011X|L51X||A10X|22547|Research\n"
    "continued|24-6437381|35x|Arnsley, Robert|PARTNRXX|423-987[]\n"
)
PER_RECORD = 13
MEGABYTE = 1024  # ru_maxrss is in kilobytes on Linux


def generated(tmp_path: Path, findings: int) -> Path:
    path = tmp_path / f"findings-{findings}.txt"
    with path.open("w", encoding="utf-8") as out:
        out.write("\n".join(HEADER) + "\n")
        for index in range(-(-findings // PER_RECORD)):
            out.write(RECORD.format(number="AB"[index % 2]))
    return path


def run_measured(*args: object) -> tuple[int, int, bytes, dict[bytes, int]]:
    """Exit status, peak memory (kB), the output's last 64 kB, and how often each of a few markers appeared in it.

    The output is read as it comes and counted, never held: the test keeps no more than the command does.
    """
    markers = {b"\n    hint: ": 0, b'"rule": ': 0}
    peak_fd, peak_file = tempfile.mkstemp()
    os.close(peak_fd)
    process = subprocess.Popen([sys.executable, str(LAUNCHER), peak_file, *ledes_command(), *map(str, args)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    assert process.stdout is not None
    tail = b""
    while chunk := process.stdout.read(1 << 20):
        window = tail[-32:] + chunk  # a marker split between two chunks is counted once
        for marker in markers:
            markers[marker] += window.count(marker) - tail[-32:].count(marker)
        tail = (tail + chunk)[-(64 << 10):]
    process.wait()
    peak = int(Path(peak_file).read_text(encoding="ascii"))
    os.unlink(peak_file)
    return process.returncode, peak, tail, markers


def test_two_million_findings_in_json_stay_under_150_mb(tmp_path):
    """The JSON document of 2M findings is written whole, in well under 150 MB."""
    path = generated(tmp_path, 2_000_000)
    status, peak, tail, markers = run_measured("validate", "--format", "json", path)
    summary = json.loads(tail[tail.rindex(b'"summary": ') + len(b'"summary": '):].rstrip()[:-1])
    assert status == 1
    assert summary["errors"] >= 2_000_000 and markers[b'"rule": '] == summary["errors"]
    assert peak < 150 * MEGABYTE, f"peak {peak // MEGABYTE} MB"


def test_a_million_findings_in_text_print_each_hint_once_and_stay_small(tmp_path):
    """Text output: every finding, the one rule's hint once, and memory under 150 MB."""
    path = generated(tmp_path, 1_000_000)
    status, peak, tail, markers = run_measured("validate", path)
    assert status == 1
    assert markers[b"\n    hint: "] == 1
    errors = int(tail.decode().splitlines()[-1].split(" line items: ")[1].split(" errors")[0].replace(",", ""))
    assert errors >= 1_000_000
    assert peak < 150 * MEGABYTE, f"peak {peak // MEGABYTE} MB"


@pytest.mark.parametrize("output", ["text", "concise", "github", "sarif", "junit", "json"])
def test_memory_does_not_grow_with_the_findings_in_any_output(tmp_path, output):
    """Ten times the findings (10k to 100k), about the same peak: they are not held (held, 90k more would cost over 60 MB)."""
    peaks = []
    for findings in (10_000, 100_000):
        status, peak, _, _ = run_measured("validate", "--format", output, generated(tmp_path, findings))
        assert status == 1
        peaks.append(peak)
    assert peaks[1] - peaks[0] < 25 * MEGABYTE, f"{output}: {peaks[0] // MEGABYTE} MB, then {peaks[1] // MEGABYTE} MB"
    assert peaks[1] < 150 * MEGABYTE


@pytest.mark.parametrize("command", ["show", "report"])
def test_show_and_report_count_every_finding_and_hold_few(tmp_path, command):
    """show and report count what reading found (and list the first few) but hold no more: ten times the findings,
    about the same peak (held, 90k more would cost over 60 MB)."""
    peaks = []
    for findings in (10_000, 100_000):
        path = generated(tmp_path, findings)
        status, peak, tail, _ = run_measured(command, path)
        assert status == 0
        peaks.append(peak)
    assert peaks[1] - peaks[0] < 25 * MEGABYTE, f"{command}: {peaks[0] // MEGABYTE} MB, then {peaks[1] // MEGABYTE} MB"
    read = read_each(path, lambda invoice: None)  # every finding of the reading kept, as the library's caller has them
    expected = read.count if command == "show" else read.errors
    assert read.count == len(read.diagnostics) > 100_000
    if command == "show":
        assert f"Reading found {expected:,} problems".encode() in tail  # every one counted
    else:
        found = subprocess.run([*ledes_command(), "report", str(path)], capture_output=True, cwd=ROOT, check=True)
        assert f"reading it found {expected} error(s)".encode() in found.stderr


def test_convert_holds_few_of_the_findings_of_its_source_and_output(tmp_path):
    """convert keeps what reading its source found, its losses and what validating its output found on disk past a
    few hundred (``ledes.spooled.Records``): ten times the findings, about the same peak (each was held three times,
    234 MB at 200,000 findings)."""
    peaks = []
    for findings in (10_000, 100_000):
        source, out = tmp_path / f"dates-{findings}.txt", tmp_path / f"out-{findings}.txt"
        with source.open("w", encoding="utf-8") as file:  # invoices of 100 lines, each line's date no date
            file.write("\n".join(HEADER) + "\n")
            for line in range(findings):
                file.write(f"19990225|C{line // 100}|00711|0528|70000|19990101|19990131|For services rendered|"
                           f"{line % 100 + 1}|F|2.00|0|700|19991399|L510||A102|22547|Research|24-6437381|350|"
                           "Arnsley, Robert|PARTNR|423-987[]\n")
        status, peak, _, _ = run_measured("convert", source, "-o", out, "--to", "1998b", "--allow-loss")
        assert status == 1 and out.is_file()  # written, and its validation finds the source's errors in it
        peaks.append(peak)
    assert peaks[1] - peaks[0] < 25 * MEGABYTE, f"convert: {peaks[0] // MEGABYTE} MB, then {peaks[1] // MEGABYTE} MB"
