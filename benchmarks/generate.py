"""Generate valid LEDES 1998B, 1998BI or XML 2.1 files of N line items for benchmarks (deterministic, streaming)."""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ledes.formats.ledes1998b import table as table_1998b
from ledes.formats.ledes1998bi import table as table_1998bi

TASKS = ["L110", "L120", "L160", "L210", "L230", "L310", "L320", "L330", "L430", "L510"]
ACTIVITIES = ["A101", "A102", "A103", "A104", "A105", "A106", "A107"]
EXPENSES = [("E101", "Copying of the production set", Decimal("0.10")),
            ("E105", "Telephone conference line", Decimal("12.50")),
            ("E110", "Airfare to the deposition of the expert", Decimal("289.50")),
            ("E111", "Meals while travelling for trial preparation", Decimal("24.95"))]
CLASSES = [("PARTNR", 520, 780), ("OFCOUN", 450, 600), ("ASSOC", 280, 460), ("PARALG", 150, 220)]
FIRST = ["Robert", "John", "Adaeze", "Maja", "Claire", "Wei", "Priya", "Tomas", "Fatima", "Liam", "Sofia", "Kenji"]
LAST = ["Arnsley", "Beaster", "Okafor", "Lindqvist", "Moreau", "Chen", "Raman", "Novak", "Haddad", "Byrne", "Rossi",
        "Tanaka", "Mensah", "Olsen", "Duarte", "Kowalski"]
# Narratives of 8 to 14 words, put together from a verb, an object, a purpose and a specific (see narrative()).
VERBS = ["Draft", "Review", "Analyze", "Research", "Prepare", "Revise", "Summarize", "Outline", "Finalize",
         "Email opposing counsel regarding", "Call the client regarding", "Confer with partner on"]
OBJECTS = ["the motion to compel production", "plaintiff's second amended complaint", "the expert report on damages",
           "responses to the second set of interrogatories", "the privilege log for volume three",
           "the outline of questions for the claims adjuster", "the settlement term sheet",
           "the draft protective order", "the insurer's reservation of rights letter", "the summary judgment brief",
           "the witness list and exhibit designations", "the mediation statement"]
PURPOSES = ["for the court's scheduling order", "under the amended complaint", "on the coverage question",
            "for the client's general counsel", "to narrow the disputed issues", "under the revised case schedule",
            "on the economic loss doctrine", "for the reply brief"]


TAX_RATE = Decimal("0.2")
CENT = Decimal("0.01")


def timekeepers(rng: random.Random, count: int = 400) -> list[tuple[str, str, str, Decimal]]:
    """A firm's timekeepers: id, name, classification and rate, varied."""
    keepers = []
    for number in range(count):
        classification, low, high = CLASSES[number % len(CLASSES)]
        name = f"{LAST[number % len(LAST)]}, {FIRST[number * 7 % len(FIRST)]}"
        keepers.append((f"{10000 + number * 37}", name, classification, Decimal(rng.randrange(low, high, 5))))
    return keepers


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def narrative(rng: random.Random) -> str:
    """A verb, an object and a purpose, and (as firms write them) most often a specific: a person, a date,
    a Bates range or a page count. About 85 % of the narratives of a 100,000-line file are distinct, so
    nothing that remembers a narrative's analysis gains more here than on a firm's own time entries."""
    text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PURPOSES)}"
    kind = rng.random()
    if kind < 0.2:
        return f"{text} with {rng.choice(FIRST)[0]}. {rng.choice(LAST)}"
    if kind < 0.4:
        return f"{text} dated {rng.choice(MONTHS)} {rng.randint(1, 28)}"
    if kind < 0.65:
        first = rng.randrange(1, 999_000)
        return f"{text} (Bates HF{first:06d}-HF{first + rng.randint(2, 900):06d})"
    if kind < 0.85:
        return f"{text}; {rng.randint(2, 300)} pages"
    return text


def rows(count: int, seed: int = 1998, lines_per_invoice: int = 200, international: bool = False):
    """Yield lists of LEDES rows, each list one invoice with correct arithmetic.

    Realistic lines: four to twelve timekeepers an invoice from a firm of 400, 8-14-word narratives, mostly distinct,
    varied hours, rates and expenses. With ``international``, rows are LEDES 1998BI: GBP, VAT
    at 20 % on fees, addresses.
    """
    rng = random.Random(seed)
    firm = timekeepers(rng)
    made = 0
    invoice_number = 100000
    start = date(2018, 1, 1)
    while made < count:
        size = min(count - made, lines_per_invoice)
        invoice_number += 1
        # Seven years of monthly periods: a timekeeper's days fill up as in a firm, not all in one year.
        period_start = start + timedelta(days=30 * (invoice_number % 84))
        period_end = period_start + timedelta(days=27)
        matters = [f"{rng.randrange(1000, 9999):04d}" for _ in range(rng.randint(2, 3))]
        # Each matter its own team of two to four: several timekeepers an invoice.
        people = rng.sample(firm, 4 * len(matters))
        staff = {matter: people[4 * i: 4 * i + rng.randint(2, 4)] for i, matter in enumerate(matters)}
        lines = []
        for number in range(1, size + 1):
            matter = matters[number % len(matters)]
            when = period_start + timedelta(days=rng.randrange(28))
            if rng.random() < 0.8:
                tk_id, tk_name, tk_class, rate = rng.choice(staff[matter])
                units = Decimal(rng.randint(1, 35)) / 10
                adjustment = Decimal(0) if rng.random() < 0.9 else -(units * rate / 10).quantize(CENT)
                base = units * rate + adjustment
                tax = (base * TAX_RATE).quantize(CENT) if international else Decimal(0)
                lines.append([matter, number, "F", units, adjustment, base + tax, when, rng.choice(TASKS), "",
                              rng.choice(ACTIVITIES), tk_id, narrative(rng), rate, tk_name, tk_class, tax])
            else:
                code, text, cost = rng.choice(EXPENSES)
                units = Decimal(rng.randint(1, 200)) if code == "E101" else Decimal(1)
                spender = rng.choice(staff[matter])  # who incurred it, as firms' exports name
                lines.append([matter, number, "E", units, Decimal(0), units * cost, when, "", code, "", spender[0],
                              text, cost, spender[1], spender[2], Decimal(0)])
        invoice_total = sum(line[5] for line in lines)
        tax_total = sum(line[15] for line in lines)
        records = []
        for line in lines:
            fields = [
                f"{period_end + timedelta(days=12):%Y%m%d}", str(invoice_number), "00711", line[0], str(invoice_total),
                f"{period_start:%Y%m%d}", f"{period_end:%Y%m%d}", "For professional services rendered",
                str(line[1]), line[2], str(line[3]), str(line[4]), str(line[5]), f"{line[6]:%Y%m%d}",
                line[7], line[8], line[9], line[10], line[11], "24-6437381", str(line[12]), line[13],
                line[14], f"CM-{line[0]}",
            ]
            if international:
                last, _, first = line[13].partition(", ")
                fields += [
                    "PO-4471", "GB123456789", f"Matter {line[0]}", str(tax_total), str(invoice_total - tax_total),
                    "GBP", last, first, "O", "Law Offices of John Smith", "One Fleet Street", "", "London", "",
                    "EC2A 2EG", "GBR", "Stanley's Widgets", "One Times Square", "", "New York", "NY", "10036",
                    "USA", str(TAX_RATE) if line[15] else "0", str(line[15]), "VAT", str(tax_total), "GBP",
                ]
            records.append("|".join(fields) + "[]")
        yield records
        made += size


def generate(path: Path, count: int, seed: int = 1998, international: bool = False, xml: bool = False) -> Path:
    """Write a valid LEDES 1998B (or, with ``international``, 1998BI) file of ``count`` line items.

    With ``xml``, the 1998B file is written first and converted to LEDES XML 2.1 by ledes itself.
    """
    if xml:
        import ledes

        source = generate(path.with_suffix(".source.txt"), count, seed)
        # Whatever XML cannot hold of the generated 1998B file is written without it.
        ledes.convert(source, path, to="xml2.1", law_firm_name="Law Offices of John Smith", allow_loss=True)
        source.unlink()
        return path
    table = table_1998bi if international else table_1998b
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(table.FORMAT_LINE + "\n" + table.HEADER + "\n")
        for invoice in rows(count, seed, international=international):
            out.write("\n".join(invoice) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, help="number of line items")
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=1998)
    parser.add_argument("--format", choices=["1998b", "1998bi", "xml2.1"], default="1998b")
    arguments = parser.parse_args()
    generate(arguments.output, arguments.count, arguments.seed, international=arguments.format == "1998bi",
             xml=arguments.format == "xml2.1")


if __name__ == "__main__":
    main()
