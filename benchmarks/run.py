"""Benchmark: time `ledes validate` (all default checks) against a bare parse of the same file.

Usage: python benchmarks/run.py [--format 1998b|1998bi|xml2.1] [SIZE ...]   (default: 100000 1000000 line items)

The bare parse is Python's csv.reader for the pipe formats, and lxml's iterparse
(elements cleared as they end) for XML.

Each measurement runs in a fresh process, which reports its wall time and its peak
resident memory; the best of --repeat runs is shown. Files are generated once into
benchmarks/data/ by benchmarks/generate.py.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def worker(kind: str, path: str) -> None:
    """Run one measurement in this process and print it as JSON."""
    import csv

    import ledes

    started = time.perf_counter()
    if kind == "csv":
        rows = 0
        with open(path, newline="", encoding="utf-8") as handle:
            for _ in csv.reader(handle, delimiter="|"):
                rows += 1
        detail = {"rows": rows}
    elif kind == "xmlparse":
        from lxml import etree

        rows = 0
        for _, element in etree.iterparse(path, events=("end",), tag=("{*}fee", "{*}expense", "{*}invoice")):
            rows += 1
            if element.tag.endswith("invoice"):
                element.getparent().remove(element)
        detail = {"rows": rows}
    elif kind == "validate":
        report = ledes.validate_file(path)
        detail = {"line_items": report.line_items, "errors": report.errors, "warnings": report.warnings}
    else:
        raise SystemExit(f"unknown worker {kind}")
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": seconds, "peak_mb": peak, **detail}))


def measure(kind: str, path: Path, repeat: int) -> dict:
    best: dict | None = None
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--worker", kind, str(path)], check=True, capture_output=True, text=True
        ).stdout
        result = json.loads(out)
        if best is None or result["seconds"] < best["seconds"]:
            best = result
    assert best is not None
    return best


def command_seconds(path: Path, repeat: int) -> float | None:
    """Wall time of the installed `ledes validate` command, interpreter start included."""
    ledes_command = shutil.which("ledes")
    if ledes_command is None:
        return None
    best = None
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([ledes_command, "validate", "--format", "json", str(path)], stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--format", choices=["1998b", "1998bi", "xml2.1"], default="1998b")
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        worker(*arguments.worker)
        return
    from generate import generate

    print(f"format: {arguments.format}")
    xml = arguments.format.startswith("xml")
    print(f"{'line items':>12} {'MB':>7} {'parse s' if xml else 'csv.reader s':>13} {'validate s':>11} {'ratio':>6}"
          f" {'peak MB base':>12} {'peak MB validate':>17} {'ledes cmd s':>12}")
    for size in arguments.sizes:
        path = arguments.data / f"ledes{arguments.format}_{size}.{'xml' if xml else 'txt'}"
        if not path.exists():
            generate(path, size, international=arguments.format == "1998bi", xml=xml)
        baseline = measure("xmlparse" if xml else "csv", path, arguments.repeat)
        validation = measure("validate", path, arguments.repeat)
        if validation["line_items"] != size or validation["errors"]:
            raise SystemExit(f"unexpected validation result on {path}: {validation}")
        command = command_seconds(path, 1)
        print(
            f"{size:>12,} {path.stat().st_size / 1e6:>7.0f} {baseline['seconds']:>13.2f}"
            f" {validation['seconds']:>11.2f} {validation['seconds'] / baseline['seconds']:>6.2f}"
            f" {baseline['peak_mb']:>12.0f} {validation['peak_mb']:>17.0f}"
            f" {command if command is not None else float('nan'):>12.2f}"
        )


if __name__ == "__main__":
    main()
