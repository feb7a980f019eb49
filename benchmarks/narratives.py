"""Benchmark: precision and recall of the narrative checks on the labelled set.

Usage: python benchmarks/narratives.py [--errors [dev|held-out|all]] [--data PATH]

Scores ledes.narratives.block_billing, vague and administrative against
fixtures/narratives/narratives.tsv (see its README for the label definitions). The set is
split by id: odd ids are the development half the checks were tuned on, even ids the
held-out half they were not. For each label and each half the table gives the rows carrying
the label, true positives, false positives, false negatives, precision, recall and F1, and the
speed of all three checks together. --errors lists the misclassified narratives of one half
(default: dev) with the words each finding named.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ledes.narratives import NarrativeFinding, administrative, block_billing, vague  # noqa: E402 - after the path

DATA = ROOT / "fixtures" / "narratives" / "narratives.tsv"
CHECKS: dict[str, Callable[[str], NarrativeFinding | None]] = {
    "block-billing": block_billing,
    "vague": vague,
    "administrative": administrative,
}
HALVES = ("dev", "held-out", "all")


def load(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def half(row_id: str) -> str:
    """The development half is the odd ids (n001, n003, …), the held-out half the even ones."""
    return "dev" if int(row_id.lstrip("n")) % 2 else "held-out"


def in_half(rows: Iterable[dict[str, str]], name: str) -> list[dict[str, str]]:
    return [row for row in rows if name == "all" or half(row["id"]) == name]


def score(rows: list[dict[str, str]], label: str) -> dict[str, float]:
    """Counts and precision/recall/F1 of one check on some rows."""
    check = CHECKS[label]
    tp = fp = fn = positives = 0
    for row in rows:
        expected = label in row["labels"].split(",")
        found = check(row["narrative"]) is not None
        positives += expected
        tp += expected and found
        fp += found and not expected
        fn += expected and not found
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": positives, "tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def print_table(rows: list[dict[str, str]]) -> None:
    print(f"{'label':<15} {'half':<9} {'rows':>5} {'n':>4} {'TP':>4} {'FP':>4} {'FN':>4}"
          f" {'precision':>9} {'recall':>7} {'F1':>6}")
    for label in CHECKS:
        for name in HALVES:
            part = in_half(rows, name)
            s = score(part, label)
            print(f"{label:<15} {name:<9} {len(part):>5} {s['n']:>4} {s['tp']:>4} {s['fp']:>4} {s['fn']:>4}"
                  f" {s['precision']:>9.2f} {s['recall']:>7.2f} {s['f1']:>6.2f}")


def print_errors(rows: list[dict[str, str]], name: str) -> None:
    for label, check in CHECKS.items():
        print(f"\n== {label} ({name})")
        for row in in_half(rows, name):
            expected = label in row["labels"].split(",")
            finding = check(row["narrative"])
            if expected == (finding is not None):
                continue
            kind = "FN" if expected else "FP"
            words = f"  words={list(finding.words)}" if finding else ""
            print(f"{kind} {row['id']} [{row['labels']}] {row['narrative']}{words}\n     note: {row['note']}")


def print_speed(rows: list[dict[str, str]], repeat: int = 20) -> None:
    texts = [row["narrative"] for row in rows]
    started = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            block_billing(text)
            vague(text)
            administrative(text)
    per_line = (time.perf_counter() - started) / (repeat * len(texts))
    print(f"\nspeed: {per_line * 1e6:.0f} µs per narrative for all three checks"
          f" ({1 / per_line:,.0f} narratives/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", nargs="?", const="dev", choices=HALVES)
    parser.add_argument("--data", type=Path, default=DATA)
    arguments = parser.parse_args()
    rows = load(arguments.data)
    print_table(rows)
    print_speed(rows)
    if arguments.errors:
        print_errors(rows, arguments.errors)


if __name__ == "__main__":
    main()
