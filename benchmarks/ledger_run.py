"""Time the receivables ledger: ``ledes ledger add`` of N invoices (files of 1,000), then ``ledes ledger aging`` over them.

``add`` runs once per 10 files (10,000 invoices; ``--files-per-add``), each run submitting them on another day.

    python benchmarks/ledger_run.py [N ...]          (default 100000; SQLite in a temporary folder)
    python benchmarks/ledger_run.py --files-per-add 100 100000    (one `add` of all 100 files)
    python benchmarks/ledger_run.py --db postgresql://... 100000

Each invoice is the one-line sample invoice 96543 (fixtures/1998b/valid/lexitree_ledes1998b_good.txt),
renumbered, its submission days spread over a year so that aging fills every bucket. Each command
runs once in a fresh process, as a user runs it; the times are wall-clock seconds and, in brackets,
the processor seconds the commands used (what a machine shared with other jobs does not inflate),
and the load average (1 minute) at the end.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import attrs

import ledes

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"
PER_FILE = 1000
FIRST_DAY = date(2024, 7, 1)


def generate(folder: Path, count: int, files_per_add: int) -> list[list[str]]:
    """Files of PER_FILE invoices, in groups of ``files_per_add`` submitted on one day: their paths per group."""
    template = next(invoice for invoice in ledes.load(SAMPLE) if invoice.number == "96543")
    groups: list[list[str]] = []
    for start in range(0, count, PER_FILE):
        path = folder / f"invoices-{start // PER_FILE:04d}.txt"
        numbers = range(start, min(start + PER_FILE, count))
        ledes.write((attrs.evolve(template, number=f"B-{n:07d}") for n in numbers), path, "1998b")
        if start // PER_FILE % files_per_add == 0:
            groups.append([])
        groups[-1].append(str(path))
    return groups


def timed(command: list[str]) -> tuple[float, float]:
    """The command's wall-clock seconds and its processor seconds (user and system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000])
    parser.add_argument("--files-per-add", type=int, default=10, help="Files given to each `ledes ledger add` run.")
    parser.add_argument("--db", default=None, help="A PostgreSQL URL (an empty database) instead of a SQLite file.")
    options = parser.parse_args()
    ledger = [sys.executable, "-m", "ledes_cli", "ledger"]
    print("| invoices | backend | `add` runs | `ledes ledger add`, wall (processor) | `ledes ledger aging`, wall (processor)"
          " | load |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for size in options.sizes:
        folder = Path(tempfile.mkdtemp(prefix="ledes-ledger-bench-"))
        try:
            groups = generate(folder, size, options.files_per_add)
            db = options.db or str(folder / "ledger.sqlite")
            adding = [0.0, 0.0]
            for week, files in enumerate(groups):
                day = FIRST_DAY + timedelta(days=37 * week % 365)
                wall, processor = timed([*ledger, "add", "--db", db, "--submitted", day.isoformat(), *files])
                adding = [adding[0] + wall, adding[1] + processor]
            aging = timed([*ledger, "aging", "--db", db, "--as-of", "2025-06-30", "--format", "json"])
            backend = "PostgreSQL" if options.db else "SQLite"
            load = os.getloadavg()[0]
            print(f"| {size:,} | {backend} | {len(groups)} | {adding[0]:.1f} s ({adding[1]:.1f} s) | {aging[0]:.1f} s ({aging[1]:.1f} s)"
                  f" | {load:.1f} |", flush=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
