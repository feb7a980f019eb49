"""Benchmark: time `ledes import` of a large CSV time-and-billing export to LEDES 1998B, with its peak memory.

Usage: python benchmarks/import_run.py [--repeat N] [SIZE ...]   (default: 100000 1000000 rows)

The export is generated once, deterministically, into benchmarks/data/ (with its mapping):
rows in date order over 12 months, 40 clients with 5 matters each, 20 timekeepers, 80 %
fees, 1 % of them off the 0.1 h increment (rounded up and reported). Each measurement runs
in a fresh process, which reports its wall time and peak resident memory; the best of
--repeat runs is shown, beside a bare csv.reader pass over the same file and the wall time
of the installed `ledes import` command.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import narrative  # noqa: E402 - after the path: the same narratives as firms write them

HEADER = ["Entry Date", "Client No", "Matter No", "Client Ref", "Entry Type", "Timekeeper ID", "Timekeeper Name",
          "Title", "Hours", "Rate", "Amount", "Task Code", "Activity Code", "Expense Code", "Narrative"]
TIMEKEEPERS = [(f"{n:04d}", f"Keeper{n}, Pat", title, rate) for n, (title, rate) in enumerate(
    [("PARTNR", "650.00"), ("PARTNR", "595.00"), ("OFCOUN", "525.00"), ("ASSOC", "410.00"), ("ASSOC", "375.00"),
     ("ASSOC", "340.00"), ("PARALG", "185.00"), ("PARALG", "165.00")] * 2 + [("ASSOC", "295.00")] * 4, start=1)]
TASKS = ["L110", "L120", "L160", "L210", "L230", "L310", "L320", "L330", "L430", "L510"]
ACTIVITIES = ["A101", "A102", "A103", "A104", "A106", "A107"]
EXPENSES = [("E101", "Copies", "0.10", 200), ("E105", "Conference line", "12.50", 1),
            ("E107", "Courier", "42.50", 1), ("E110", "Airfare", "289.50", 1), ("E111", "Meals", "24.95", 1)]
MAPPING = """[source]
date_formats = ["%m/%d/%Y"]
[columns]
date = "Entry Date"
type = "Entry Type"
client_id = "Client No"
law_firm_matter_id = "Matter No"
client_matter_id = "Client Ref"
timekeeper_id = "Timekeeper ID"
timekeeper_name = "Timekeeper Name"
timekeeper_classification = "Title"
hours = "Hours"
rate = "Rate"
amount = "Amount"
task_code = "Task Code"
activity_code = "Activity Code"
expense_code = "Expense Code"
description = "Narrative"
[types]
fee = ["Time"]
expense = ["Expense"]
[defaults]
law_firm_id = "36-4815162"
law_firm_name = "Harbor & Finch LLP"
currency = "USD"
invoice_description = "Legal services"
[invoice]
number = "HF-{year}{month:02d}-{counter:05d}"
[hours]
increment = 0.1
rounding = "up"
"""


def generate(path: Path, count: int, seed: int = 2024) -> None:
    """Write ``count`` rows of a time-and-billing export to ``path``, in date order, the same every time."""
    rng = random.Random(seed)
    matters = [(f"{c:05d}", f"{2023 + m % 2}-{c:03d}{m}", f"CL-{c}-{m}") for c in range(1, 41) for m in range(5)]
    start, days = date(2024, 1, 1), 366
    cent = Decimal("0.01")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        for index in range(count):
            day = start + timedelta(days=index * days // count)
            client, matter, reference = rng.choice(matters)
            if rng.random() < 0.8:
                keeper, name, title, rate = rng.choice(TIMEKEEPERS)
                hours = Decimal(rng.randint(1, 60)) / 10
                if rng.random() < 0.01:
                    hours += Decimal("0.05")
                amount = (hours * Decimal(rate)).quantize(cent, ROUND_HALF_UP)
                writer.writerow([f"{day:%m/%d/%Y}", client, matter, reference, "Time", keeper, name, title, hours, rate,
                                 amount, rng.choice(TASKS), rng.choice(ACTIVITIES), "", narrative(rng)])
            else:
                code, text, cost, most = rng.choice(EXPENSES)
                quantity = rng.randint(1, most)
                amount = (quantity * Decimal(cost)).quantize(cent, ROUND_HALF_UP)
                writer.writerow([f"{day:%m/%d/%Y}", client, matter, reference, "Expense", "", "", "", quantity, cost,
                                 amount, "", "", code, text])


def worker(kind: str, path: str, mapping: str) -> None:
    """Run one measurement in this process and print it as JSON."""
    started = time.perf_counter()
    if kind == "csv":
        rows = 0
        with open(path, newline="", encoding="utf-8") as handle:
            for _ in csv.reader(handle):
                rows += 1
        detail = {"rows": rows}
    else:
        from ledes.importing import import_file

        with tempfile.TemporaryDirectory() as folder:
            result = import_file(path, mapping, Path(folder) / "out.txt", "1998b")
            size = (Path(folder) / "out.txt").stat().st_size if result.written else 0
        detail = {"rows": result.rows, "invoices": len(result.invoices), "line_items": result.line_items,
                  "bad_rows": len(result.bad_rows), "roundings": len(result.roundings), "errors": result.errors,
                  "written": result.written, "output_mb": size / 1e6}
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": seconds, "peak_mb": peak, **detail}))


def measure(kind: str, path: Path, mapping: Path, repeat: int) -> dict:
    best: dict | None = None
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--worker", kind, str(path), str(mapping)], check=True,
                             capture_output=True, text=True).stdout
        result = json.loads(out)
        if best is None or result["seconds"] < best["seconds"]:
            best = result
    assert best is not None
    return best


def command_seconds(path: Path, mapping: Path) -> float | None:
    """Wall time of the installed `ledes import` command, interpreter start included."""
    ledes_command = shutil.which("ledes")
    if ledes_command is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        subprocess.run([ledes_command, "import", str(path), "--mapping", str(mapping), "-o", f"{folder}/out.txt",
                        "--to", "1998b"], stdout=subprocess.DEVNULL, check=True)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "PATH", "MAPPING"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        worker(*arguments.worker)
        return
    mapping = arguments.data / "import_mapping.toml"
    mapping.parent.mkdir(parents=True, exist_ok=True)
    mapping.write_text(MAPPING, encoding="utf-8")
    print(f"{'rows':>10} {'CSV MB':>7} {'csv.reader s':>13} {'import s':>9} {'ratio':>6} {'peak MB csv':>12}"
          f" {'peak MB import':>15} {'invoices':>9} {'1998B MB':>9} {'ledes cmd s':>12}")
    for size in arguments.sizes:
        path = arguments.data / f"import_{size}.csv"
        if not path.exists():
            generate(path, size)
        baseline = measure("csv", path, mapping, arguments.repeat)
        imported = measure("import", path, mapping, arguments.repeat)
        if imported["line_items"] != size or imported["errors"] or imported["bad_rows"] or not imported["written"]:
            raise SystemExit(f"unexpected import result on {path}: {imported}")
        command = command_seconds(path, mapping)
        print(f"{size:>10,} {path.stat().st_size / 1e6:>7.0f} {baseline['seconds']:>13.2f} {imported['seconds']:>9.2f}"
              f" {imported['seconds'] / baseline['seconds']:>6.1f} {baseline['peak_mb']:>12.0f}"
              f" {imported['peak_mb']:>15.0f} {imported['invoices']:>9,} {imported['output_mb']:>9.0f}"
              f" {command if command is not None else float('nan'):>12.2f}")


if __name__ == "__main__":
    main()
