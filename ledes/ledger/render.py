"""The ledger's reports as JSON, text and CSV: aging, follow-up and realization."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from decimal import Decimal

from ledes.formats.recognise import printable
from ledes.ledger.aging import BUCKETS, Aging
from ledes.ledger.followup import FollowUp
from ledes.ledger.realization import FIGURES, Realization
from ledes.money import to_minor
from ledes.safetext import csv_cell, json_escaped


def amount(value: Decimal, currency: str) -> str:
    """An amount as a decimal string in the currency's minor unit: ``1250.00``, ``1250`` for JPY."""
    return str(to_minor(value, currency))


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def cell(text: str) -> str:
    """A text cell for CSV that a spreadsheet will not run as a formula, its control characters made visible."""
    return csv_cell(text)


def _csv(rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _dump(document: dict) -> str:
    return json_escaped(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


# -- aging ---------------------------------------------------------------------------------


def aging_document(report: Aging) -> dict:
    return {
        "as_of": report.as_of.isoformat(),
        "by": report.by,
        "from": report.start,
        "buckets": list(BUCKETS),
        "rows": [{report.by: row.key, "currency": row.currency,
                  **{b: amount(a, row.currency) for b, a in zip(BUCKETS, row.amounts, strict=True)},
                  "total": amount(row.total, row.currency)} for row in report.rows],
        "totals": {currency: {**{b: amount(a, currency) for b, a in zip(BUCKETS, sums, strict=True)},
                              "total": amount(sum(sums, Decimal(0)), currency)}
                   for currency, sums in report.totals().items()},
        "not_aged": report.not_aged,
    }


def aging_json(report: Aging) -> str:
    return _dump(aging_document(report))


def aging_csv(report: Aging) -> str:
    head = ["row", report.by, "currency", *BUCKETS, "total"]
    body = [["group", cell(r.key), cell(r.currency), *(amount(a, r.currency) for a in r.amounts), amount(r.total, r.currency)]
            for r in report.rows]
    totals = [["total", "", cell(currency), *(amount(a, currency) for a in sums), amount(sum(sums, Decimal(0)), currency)]
              for currency, sums in report.totals().items()]
    return _csv([head, *body, *totals])


def aging_text(report: Aging) -> str:
    lines = [f"Aging as of {report.as_of}, by {report.by}, from {report.start}"]
    width = max([len(report.by), *(len(printable(r.key, 40)) for r in report.rows)]) + 2
    header = f"{report.by:<{width}}{'currency':<10}" + "".join(f"{b:>14}" for b in (*BUCKETS, "total"))
    lines.append(header)
    for row in report.rows:
        figures = "".join(f"{amount(a, row.currency):>14}" for a in (*row.amounts, row.total))
        lines.append(f"{printable(row.key, 40):<{width}}{printable(row.currency, 9):<10}{figures}")
    for currency, sums in report.totals().items():
        figures = "".join(f"{amount(a, currency):>14}" for a in (*sums, sum(sums, Decimal(0))))
        lines.append(f"{'total':<{width}}{printable(currency, 9):<10}{figures}")
    if not report.rows:
        lines.append("no open balances")
    if report.not_aged:
        lines.append(f"{report.not_aged} open invoice(s) not yet accepted are not aged (--from accepted)")
    return "\n".join(lines) + "\n"


# -- follow-up -----------------------------------------------------------------------------


def follow_up_document(items: Sequence[FollowUp], as_of, within: int) -> dict:
    return {"as_of": as_of.isoformat(), "within": within, "items": [
        {"invoice": i.invoice, "client": i.client, "currency": i.currency, "status": i.status,
         "balance": amount(i.balance, i.currency), "reason": i.reason, "why": i.why, "by": i.by.isoformat()}
        for i in items]}


def follow_up_json(items: Sequence[FollowUp], as_of, within: int) -> str:
    return _dump(follow_up_document(items, as_of, within))


def follow_up_csv(items: Sequence[FollowUp], as_of, within: int) -> str:
    return _csv([["by", "invoice", "client", "currency", "status", "balance", "reason", "why"],
                 *([i.by.isoformat(), cell(i.invoice), cell(i.client), cell(i.currency), i.status,
                    amount(i.balance, i.currency), i.reason, cell(i.why)] for i in items)])


def follow_up_text(items: Sequence[FollowUp], as_of, within: int) -> str:
    lines = [f"Follow-up as of {as_of} ({len(items)} item(s))"]
    for i in items:
        lines.append(f"by {i.by}  {printable(i.invoice, 40)}  {printable(i.client, 30)}  {i.reason}:"
                     f" {printable(i.why, 200)} (balance {amount(i.balance, i.currency)} {printable(i.currency, 10)})")
    if not items:
        lines.append("nothing to follow up")
    return "\n".join(lines) + "\n"


# -- realization ---------------------------------------------------------------------------


def realization_document(report: Realization) -> dict:
    return {
        "period": report.period,
        "as_of": report.as_of.isoformat(),
        "by": report.by,
        "rows": [{report.by: r.key, "currency": r.currency,
                  **{f: amount(getattr(r, f), r.currency) for f in FIGURES}, "realization": _rate(r.rate)}
                 for r in report.rows],
        "rules": [{"rule": r.rule, "currency": r.currency, "at_risk": amount(r.at_risk, r.currency),
                   "reduced": amount(r.reduced, r.currency)} for r in report.rules],
        "rejections": [{"by": r.kind, "value": r.key, "submitted": r.submitted, "rejected": r.rejected,
                        "rate": _rate(r.rate)} for r in report.rejections],
        "days_to_payment": {currency: {"invoices_paid": count, "average_days": None if days is None else str(days)}
                            for currency, (count, days) in report.days_to_payment.items()},
    }


def realization_json(report: Realization) -> str:
    return _dump(realization_document(report))


def realization_csv(report: Realization) -> str:
    document = realization_document(report)
    tables: list[list[Sequence[object]]] = []
    if report.by != "rule":
        tables.append([[report.by, "currency", *FIGURES, "realization"],
                       *([cell(r[report.by]), cell(r["currency"]), *(r[f] for f in FIGURES), r["realization"] or ""]
                         for r in document["rows"])])
    tables.append([["rule", "currency", "at_risk", "reduced"],
                   *([cell(r["rule"]), cell(r["currency"]), r["at_risk"], r["reduced"]] for r in document["rules"])])
    tables.append([["by", "value", "submitted", "rejected", "rate"],
                   *([r["by"], cell(r["value"]), r["submitted"], r["rejected"], r["rate"] or ""]
                     for r in document["rejections"])])
    tables.append([["currency", "invoices_paid", "average_days_to_payment"],
                   *([cell(c), d["invoices_paid"], d["average_days"] or ""] for c, d in document["days_to_payment"].items())])
    return "\n".join(_csv(table) for table in tables)


def realization_text(report: Realization) -> str:
    document = realization_document(report)
    scope = f"invoices first submitted in {report.period}" if report.period else "every invoice"
    lines = [f"Realization as of {report.as_of}: {scope}"]
    if report.by != "rule":
        lines.append(f"{report.by:<24}{'currency':<10}" + "".join(f"{f:>14}" for f in (*FIGURES, "realization")))
        for r in document["rows"]:
            lines.append(f"{printable(r[report.by], 22):<24}{printable(r['currency'], 9):<10}"
                         + "".join(f"{r[f]:>14}" for f in FIGURES) + f"{r['realization'] or '-':>14}")
    lines.append("\nReductions per guideline rule (at risk: what ledes validate predicted)")
    for r in document["rules"]:
        lines.append(f"  {printable(r['rule'], 80):<34}{printable(r['currency'], 5):<6} at risk {r['at_risk']:>12}  reduced {r['reduced']:>12}")
    lines.append("\nRejection rate")
    for r in document["rejections"]:
        lines.append(f"  {r['by']:<7} {printable(r['value'], 30):<32} {r['rejected']} of {r['submitted']}"
                     f" rejected ({r['rate'] or '-'})")
    lines.append("\nDays to payment (DSO), invoices paid in full")
    for currency, d in document["days_to_payment"].items():
        lines.append(f"  {printable(currency, 10)}: {d['average_days'] or '-'} days over {d['invoices_paid']} invoice(s)")
    return "\n".join(lines) + "\n"
