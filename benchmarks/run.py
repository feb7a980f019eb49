"""Benchmark: whole `ledes` processes against Python's csv.reader over the same file, in the same run.

Usage: python benchmarks/run.py [--repeat N] [--data DIR] [SIZE ...]   (default: 100000 1000000 line items)

Each measurement is a fresh process: the installed `ledes` command (interpreter start,
imports, reading, rules and output to /dev/null) and, for the baseline, `python -c` running
csv.reader (``delimiter="|"``, ``quoting=csv.QUOTE_NONE``) over the same file. Wall time is
the best of --repeat runs; peak memory is the child's own ru_maxrss (from os.wait4) plus the
peak of each process it starts (read from /proc); the CPU ratio compares the CPU seconds of the
child and its workers with the baseline's. Every figure in the table is a ratio to the baseline
measured in the same run, so a busy machine slows both sides.

The files are realistic LEDES 1998B (benchmarks/generate.py: about 250 bytes a line, 8-12-word
varied narratives, several timekeepers an invoice from a firm of 400, 200 lines an invoice,
varied amounts) and, for `ledes import`, a CSV time-and-billing export of the same number of
rows (benchmarks/import_run.py). They are generated once into --data. Start-up is measured on
`ledes --version` and on `ledes validate` of a one-invoice file, against a bare `python -c pass`.

Before measuring, the script compiles the installed `ledes` and `ledes_cli` packages to bytecode,
as `pip install` does for a regular install: an editable install (`pip install -e`) run with
PYTHONDONTWRITEBYTECODE set would otherwise compile every module from source in every process,
a cost (about 0.1 s a process here) that no installed copy pays.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

PIPE_READER = (
    "import csv, sys\n"
    "with open(sys.argv[1], newline='', encoding='utf-8') as handle:\n"
    "    for _ in csv.reader(handle, delimiter='|', quoting=csv.QUOTE_NONE): pass\n"
)
CSV_READER = (
    "import csv, sys\n"
    "with open(sys.argv[1], newline='', encoding='utf-8') as handle:\n"
    "    for _ in csv.reader(handle): pass\n"
)
# ledes validate exits 1 when it finds an error (the guidelines runs do), 2 on a problem with the call.
ACCEPTED = {0, 1}


def run(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak resident MB and CPU seconds of one child process (its output discarded).

    The peak is the child's own, plus that of each process it starts (``ledes validate``'s rule
    workers), as their peaks add up at most; the CPU seconds are the child's and its workers'.
    """
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    watcher = _Descendants(child.pid)
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    watcher.stop()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in ACCEPTED:
        raise SystemExit(f"{' '.join(command)} exited {child.returncode}: {errors.decode(errors='replace')[-2000:]}")
    peak_kib = usage.ru_maxrss + sum(watcher.peaks.values())  # KiB on Linux
    return seconds, peak_kib / 1024, usage.ru_utime + usage.ru_stime


class _Descendants:
    """The peak resident size (VmHWM, KiB) of each process a child starts, read from /proc every 10 ms."""

    def __init__(self, pid: int) -> None:
        import threading

        self.pid = pid
        self.peaks: dict[int, int] = {}
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stopped.wait(0.01):
            for pid in self._below(self.pid):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peaks[pid] = max(self.peaks.get(pid, 0), int(line.split()[1]))

    def _below(self, pid: int) -> list[int]:
        try:
            children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []
        return children + [grandchild for child in children for grandchild in self._below(child)]


def best(command: list[str], repeat: int) -> tuple[float, float, float]:
    """The fastest of ``repeat`` runs, the highest peak memory seen, and the least CPU time."""
    runs = [run(command) for _ in range(repeat)]
    return (min(seconds for seconds, _, _ in runs), max(peak for _, peak, _ in runs),
            min(cpu for _, _, cpu in runs))


def ledes_command() -> str:
    """The `ledes` command installed beside this interpreter (the venv's), else the one on PATH."""
    beside = Path(sys.executable).with_name("ledes")
    if beside.exists():
        return str(beside)
    import shutil

    found = shutil.which("ledes")
    if found is None:
        raise SystemExit("the ledes command is not installed (pip install -e .)")
    return found


def compile_bytecode() -> None:
    """Compile the measured packages to bytecode, as `pip install` does (see the module's docstring)."""
    child = [ledes_python(), "-c",
             "import compileall, importlib.util\n"
             "for name in ('ledes', 'ledes_cli'):\n"
             "    for folder in importlib.util.find_spec(name).submodule_search_locations:\n"
             "        compileall.compile_dir(folder, quiet=1)\n"]
    subprocess.run(child, check=True, stdout=subprocess.DEVNULL)


def ledes_python() -> str:
    """The interpreter that runs the `ledes` command (from its script's first line)."""
    with open(ledes_command(), encoding="utf-8") as script:
        first = script.readline()
    return first[2:].strip() if first.startswith("#!") else sys.executable


def rows_of_table(size: int, data: Path, repeat: int, scratch: Path) -> list[tuple[str, str, float, float, float, float]]:
    """(command, size, seconds, ratio, CPU ratio, peak MB) for every command on a file of ``size`` line items."""
    from generate import generate
    from import_run import MAPPING
    from import_run import generate as generate_export

    ledes = ledes_command()
    source = data / f"realistic1998b_{size}.txt"
    if not source.exists():
        generate(source, size)
    export = data / f"import_{size}.csv"
    if not export.exists():
        generate_export(export, size)
    mapping = data / "import_mapping.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    pipe_seconds, pipe_peak, pipe_cpu = best([sys.executable, "-c", PIPE_READER, str(source)], repeat)
    csv_seconds, csv_peak, csv_cpu = best([sys.executable, "-c", CSV_READER, str(export)], repeat)
    commands: list[tuple[str, list[str], tuple[float, float]]] = [
        ("validate", [ledes, "validate", "--format", "json", str(source)], (pipe_seconds, pipe_cpu)),
        ("validate --guidelines default", [ledes, "validate", "--format", "json", "--guidelines", "default",
                                           str(source)], (pipe_seconds, pipe_cpu)),
        ("validate --guidelines strict", [ledes, "validate", "--format", "json", "--guidelines", "strict",
                                          str(source)], (pipe_seconds, pipe_cpu)),
        ("show", [ledes, "show", str(source)], (pipe_seconds, pipe_cpu)),
        ("report", [ledes, "report", str(source)], (pipe_seconds, pipe_cpu)),
        ("convert --to xml2.1", [ledes, "convert", str(source), "--to", "xml2.1", "--law-firm-name",
                                 "Law Offices of John Smith", "--allow-loss", "-o", str(scratch / "out.xml")],
         (pipe_seconds, pipe_cpu)),
        ("import (CSV to 1998B)", [ledes, "import", str(export), "--mapping", str(mapping), "--to", "1998b",
                                   "-o", str(scratch / "imported.txt")], (csv_seconds, csv_cpu)),
    ]
    table = [("csv.reader (pipe, QUOTE_NONE)", f"{size:,}", pipe_seconds, 1.0, 1.0, pipe_peak),
             ("csv.reader (import's CSV)", f"{size:,}", csv_seconds, 1.0, 1.0, csv_peak)]
    for name, command, (baseline, baseline_cpu) in commands:
        seconds, peak, cpu = best(command, repeat)
        table.append((f"ledes {name}", f"{size:,}", seconds, seconds / baseline, cpu / baseline_cpu, peak))
    return table


def start_up(repeat: int, scratch: Path) -> list[tuple[str, float, float]]:
    """(command, seconds, seconds over a bare Python start) for `ledes --version` and a one-invoice validate."""
    from generate import generate

    ledes = ledes_command()
    one_invoice = generate(scratch / "one_invoice.txt", 20)
    runs = max(repeat * 3, 10)
    bare, _, _ = best([sys.executable, "-c", "pass"], runs)
    results = [("python -c pass", bare, 0.0)]
    for name, command in (("ledes --version", [ledes, "--version"]),
                          ("ledes validate (one invoice)", [ledes, "validate", str(one_invoice)])):
        seconds, _, _ = best(command, runs)
        results.append((name, seconds, seconds - bare))
    return results


def print_table(title: str, header: tuple[str, ...], rows: list[tuple], formats: tuple[Callable, ...]) -> None:
    cells = [header, *[tuple(f(v) for f, v in zip(formats, row, strict=True)) for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print(f"\n{title}\n")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for row in cells[1:]:
        print("| " + " | ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
              + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=HERE / "data")
    arguments = parser.parse_args()
    arguments.data.mkdir(parents=True, exist_ok=True)
    compile_bytecode()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; best of {arguments.repeat} runs;"
          " ratio = ledes wall time / csv.reader wall time, whole processes, same run")
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        # Start-up first, while the interpreter's and the package's files are in the page cache (as for
        # a command run again and again); after a million-line file they may be read from disk again.
        starts = start_up(arguments.repeat, scratch)
        rows = []
        for size in arguments.sizes:
            rows += rows_of_table(size, arguments.data, arguments.repeat, scratch)
        print_table("Whole commands against csv.reader over the same file",
                    ("command", "line items", "seconds", "ratio", "CPU ratio", "peak MB"), rows,
                    (str, str, "{:.2f}".format, "{:.1f}×".format, "{:.1f}×".format, "{:.0f}".format))
        print_table("Start-up (best of ten runs at least, before the large files)",
                    ("command", "seconds", "over bare Python"), starts, (str, "{:.3f}".format, "{:+.3f}".format))


if __name__ == "__main__":
    main()
