"""The walk-through's ledger gives aging, follow-up and realization figures that this test works out on its own, to the cent.

The test reads the samples itself (the invoices' totals through ledes.load, the two
exports with the csv module) and applies the definitions the README states; it also
pins the hand-worked figures.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import ledes
from ledes.ledger import keys as ledger_keys
from ledes.ledger import rows as ledger_rows
from ledes_cli.main import main

from .schema import ROOT, conforms, schema
from .walkthrough import COMMANDS, arguments

AS_OF = date(2025, 6, 30)
SUBMISSIONS = {  # file -> (day, portal, payment terms in days), as the walk-through adds them
    "fixtures/1998b/valid/crlf_single_fee_legacy_pt.txt": (date(2025, 2, 14), "Legal Tracker", 30),
    "fixtures/1998b/valid/lexitree_ledes1998b_good.txt": (date(2025, 3, 3), "Tymetrix 360", 30),
    "fixtures/1998b/valid/multi_matter.txt": (date(2025, 4, 1), "Tymetrix 360", 30),
    "fixtures/xml/ledes2000_handwritten.xml": (date(2025, 5, 2), "CounselLink", 45),
    "fixtures/xml/ledes20_sample.xml": (date(2025, 6, 2), "CounselLink", 30),
}
MARKS = [("KRW-2024-0412", "paid", date(2025, 6, 27), Decimal("2000.00")),
         ("96545", "written-off", date(2025, 6, 30), None)]
PORTAL_WORDS = {"Approved": "accepted", "Rejected": "rejected", "Appealed": "appealed", "Line Adjusted": "reduced"}
CODES = {"INCR": "time.increment", "ADMIN": "narrative.administrative", "BLOCK": "narrative.block-billing"}
BUCKETS = ["0-30", "31-60", "61-90", "91-120", "120+"]


@pytest.fixture
def walked(ledger_url) -> str:
    """The ledger after every recording command of the walk-through."""
    for command in COMMANDS:
        if " add " in command or "import-status" in command or " mark " in command:
            result = CliRunner().invoke(main, arguments(command, ledger_url))
            assert result.exit_code == 0, (command, result.output)
    return ledger_url


def report(db: str, *args: str) -> dict:
    result = CliRunner().invoke(main, ["ledger", *args, "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def invoices() -> dict[str, dict]:
    """Each invoice: client, currency, total, submission day, portal and terms; then its facts from the exports."""
    found = {}
    for path, (day, portal, terms) in SUBMISSIONS.items():
        for invoice in ledes.load(ROOT / path):
            found[invoice.number] = {"client": invoice.client.id, "currency": invoice.currency or "USD",
                                     "billed": invoice.total, "submitted": day, "portal": portal, "terms": terms,
                                     "paid": Decimal(0), "reduced": Decimal(0), "written_off": Decimal(0),
                                     "payments": [], "statuses": [], "reductions": []}
    with open(ROOT / "fixtures/ledger/portal-status.csv", encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            if row["Status"] not in PORTAL_WORDS:
                continue
            month, day, year = map(int, row["Status Date"].split("/"))
            kind, on = PORTAL_WORDS[row["Status"]], date(year, month, day)
            if kind == "reduced":
                amount = Decimal(row["Adjustment Amount"])
                found[row["Invoice Number"]]["reduced"] += amount
                found[row["Invoice Number"]]["reductions"].append((CODES[row["Reason Code"]], amount))
            else:
                found[row["Invoice Number"]]["statuses"].append((on, kind))
    payments = []
    with open(ROOT / "fixtures/ledger/payments.csv", encoding="utf-8", newline="") as stream:
        payments = [(row["Invoice"], date.fromisoformat(row["Date Received"]), Decimal(row["Amount Received"].replace(",", "")))
                    for row in csv.DictReader(stream)]
    payments.append((MARKS[0][0], MARKS[0][2], MARKS[0][3]))
    for number, on, amount in payments:
        found[number]["paid"] += amount
        found[number]["payments"].append((on, amount))
    state = found[MARKS[1][0]]
    state["written_off"] = state["billed"] - state["paid"] - state["reduced"]
    for state in found.values():
        state["balance"] = state["billed"] - state["paid"] - state["reduced"] - state["written_off"]
    return found


def money(amount: Decimal) -> str:
    return str(amount.quantize(Decimal("0.01")))


def test_aging_is_recomputed_to_the_cent_per_currency(walked):
    """Each open balance in its bucket by days since submission, per client and currency, and the totals."""
    expected: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(BUCKETS, Decimal(0)))
    for state in invoices().values():
        if state["balance"] > 0:
            days = (AS_OF - state["submitted"]).days
            bucket = next((b for b, limit in zip(BUCKETS, (30, 60, 90, 120), strict=False) if days <= limit), "120+")
            expected[(state["client"], state["currency"])][bucket] += state["balance"]
    document = report(walked, "aging", "--as-of", "2025-06-30")
    assert conforms(document, schema("aging")) == []
    found = {(r["client"], r["currency"]): {b: Decimal(r[b]) for b in BUCKETS} for r in document["rows"]}
    assert found == dict(expected)
    for row in document["rows"]:
        assert Decimal(row["total"]) == sum(Decimal(row[b]) for b in BUCKETS)
    assert document["totals"] == {
        "EUR": {"0-30": "2034.10", "31-60": "0.00", "61-90": "0.00", "91-120": "0.00", "120+": "0.00", "total": "2034.10"},
        "USD": {"0-30": "0.00", "31-60": "594.21", "61-90": "1250.00", "91-120": "1250.00", "120+": "1137.50",
                "total": "4231.71"},
    }


def test_follow_up_is_recomputed_with_why_and_by_when(walked):
    """Overdue past terms, a rejection whose window closes within 14 days, an unanswered appeal, a short payment."""
    expected = []
    for number, state in invoices().items():
        last = max(state["statuses"], default=(None, "submitted"))[1]
        if state["balance"] <= 0:
            continue
        due = state["submitted"] + timedelta(days=state["terms"])
        if last in ("submitted", "accepted") and due < AS_OF:
            expected.append((due, number, "overdue"))
        if last == "rejected":
            closes = max(on for on, kind in state["statuses"] if kind == "rejected") + timedelta(days=60)
            if closes <= AS_OF + timedelta(days=14):
                expected.append((closes, number, "resubmission-window"))
        if last == "appealed":
            expected.append((max(on for on, kind in state["statuses"]) + timedelta(days=30), number, "appeal-unanswered"))
        if state["payments"] and state["payments"][-1][1] < state["billed"] - state["reduced"]:
            expected.append((state["payments"][-1][0] + timedelta(days=30), number, "short-payment"))
    document = report(walked, "follow-up", "--as-of", "2025-06-30")
    assert conforms(document, schema("follow-up")) == []
    assert [(date.fromisoformat(i["by"]), i["invoice"], i["reason"]) for i in document["items"]] == sorted(expected)
    assert [(i["invoice"], i["by"], i["balance"]) for i in document["items"]] == [
        ("HW-3107", "2025-03-16", "1137.50"), ("96543", "2025-04-19", "1250.00"), ("HWL-24-0312", "2025-06-16", "594.21"),
        ("96546", "2025-07-11", "1250.00"), ("KRW-2024-0412", "2025-07-27", "2034.10")]
    assert all(i["why"] for i in document["items"])


def test_realization_is_recomputed_per_client_rule_portal_and_currency(walked):
    """Billed, reduced, written off, paid and the rate per client; reductions per rule; rejection rates; DSO."""
    states = invoices()
    sums: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 4)
    for state in states.values():
        for index, figure in enumerate(("billed", "reduced", "written_off", "paid")):
            sums[(state["client"], state["currency"])][index] += state[figure]
    document = report(walked, "realization", "--as-of", "2025-06-30", "--period", "2025")
    assert conforms(document, schema("realization")) == []
    rows = {(r["client"], r["currency"]): r for r in document["rows"]}
    assert set(rows) == set(sums)
    for key, (billed, reduced, written_off, paid) in sums.items():
        row = rows[key]
        assert [row["billed"], row["reduced"], row["written_off"], row["paid"]] == [
            money(billed), money(reduced), money(written_off), money(paid)]
        assert row["realization"] == str((paid / billed).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
    assert rows[("00711", "USD")]["billed"] == "5936.45" and rows[("00711", "USD")]["paid"] == "3426.45"
    assert rows[("NORD-117", "EUR")]["realization"] == "0.4748"
    reduced_by_rule: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for state in states.values():
        for rule, amount in state["reductions"]:
            reduced_by_rule[(rule, state["currency"])] += amount
    rules = {(r["rule"], r["currency"]): r for r in document["rules"]}
    for key, amount in reduced_by_rule.items():
        assert rules[key]["reduced"] == money(amount)
    assert rules[("time.increment", "USD")] == {"rule": "time.increment", "currency": "USD", "at_risk": "43.75",
                                                "reduced": "10.00"}
    assert rules[("narrative.block-billing", "EUR")]["at_risk"] == "357.00"
    rejected = {("portal", "Tymetrix 360"): (5, 2), ("portal", "CounselLink"): (3, 0), ("portal", "Legal Tracker"): (1, 0),
                ("client", "00711"): (4, 2)}
    found = {(r["by"], r["value"]): (r["submitted"], r["rejected"]) for r in document["rejections"]}
    for key, counts in rejected.items():
        assert found[key] == counts
    paid_in_full = [(state["payments"][-1][0] - state["submitted"]).days for state in states.values()
                    if state["balance"] == 0 and state["written_off"] == 0]
    assert document["days_to_payment"]["USD"] == {
        "invoices_paid": len(paid_in_full),
        "average_days": str((Decimal(sum(paid_in_full)) / len(paid_in_full)).quantize(Decimal("0.1")))}
    assert document["days_to_payment"]["USD"]["average_days"] == "35.0"


@pytest.mark.parametrize("by", ["matter", "timekeeper", "task"])
def test_realization_by_line_leaves_nothing_open_on_an_invoice_with_no_balance(walked, by: str):
    """A reduction on one line counts for that line's value, and the payment settles what each value has left: the
    values of a fully paid invoice are open by nothing (they once showed -66.60 and +66.60 by matter)."""
    from ledes import ledger
    from ledes.ledger.realization import realization_of

    store = ledger.open_ledger(walked)
    with store.reading() as connection:
        states = list(ledger_rows.states(connection, None).values())
    settled = [state for state in states if state.balance == 0 and state.reduced and len(ledger_keys.shares(state, by)) > 1]
    assert settled, "the walk-through has a paid invoice reduced on one of several lines"
    for state in settled:
        report = realization_of([state], date(2025, 6, 30), by, None)
        assert all(row.open == 0 for row in report.rows), (state.number, report.rows)
        assert sum(row.paid for row in report.rows) == state.paid


def test_the_html_aging_is_one_self_contained_page_with_a_stacked_bar_per_client(walked, tmp_path: Path):
    """--format html -o writes one page: inline style and SVG, a bar per client and currency, nothing fetched."""
    target = tmp_path / "aging.html"
    result = CliRunner().invoke(main, ["ledger", "aging", "--db", walked, "--as-of", "2025-06-30", "--format", "html",
                                       "-o", str(target)])
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert page.count("<svg") == 2  # EUR and USD
    assert "src=" not in page and "href=" not in page and "<script" not in page
    assert page.count("<rect") == 5  # NORD-117 0-30; 00711 61-90 and 91-120; C-5520 120+; GRN-0042 31-60
    assert "00711, 91-120 days: 1250.00 USD" in page
