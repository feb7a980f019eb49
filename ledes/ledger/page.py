"""The ledger's reports as self-contained HTML pages (inline CSS and SVG, nothing fetched), styled as the billing report."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from ledes.formats.recognise import printable
from ledes.ledger import render
from ledes.ledger.aging import BUCKETS, Aging
from ledes.ledger.followup import FollowUp
from ledes.ledger.realization import FIGURES, Realization
from ledes.reports.page import STYLE
from ledes.safetext import visible
from ledes.version import __version__

WIDTH = 560
BAR_ROW = 26
LABEL_WIDTH = 170
VALUE_WIDTH = 96
BUCKET_COLOURS = ("#2f6f9f", "#5b9bc4", "#e0b050", "#d9823b", "#b5523b")
LEGEND = "".join(
    f'<span class="swatch" style="background:{colour}"></span>{bucket} days ' for bucket, colour in zip(BUCKETS, BUCKET_COLOURS, strict=True)
)
NUMBER = ' class="num"'
_EXTRA_STYLE = ".swatch { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 10px; }"


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(title)}</title>\n<style>{STYLE}{_EXTRA_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n{body}\n<footer>Made by ledes {escape(__version__)}.</footer>\n</body>\n</html>\n"
    )


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], numeric_from: int) -> str:
    def cells(values: Sequence[str], tag: str) -> str:
        return "".join(f"<{tag}{NUMBER if i >= numeric_from else ''}>{escape(visible(v))}</{tag}>"
                       for i, v in enumerate(values))

    body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in rows)
    return f'<div class="scroll"><table><thead><tr>{cells(head, "th")}</tr></thead><tbody>{body}</tbody></table></div>'


def stacked_bars(report: Aging, currency: str) -> str:
    """One stacked bar per row of ``currency``: its open balance per bucket, oldest to the right."""
    shown = [row for row in report.rows if row.currency == currency]
    highest = max((row.total for row in shown), default=Decimal(0)) or Decimal(1)
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = BAR_ROW * len(shown) + 8
    parts = []
    for index, row in enumerate(shown):
        top = 4 + index * BAR_ROW
        left = Decimal(LABEL_WIDTH)
        label = escape(printable(row.key, 26))
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{top + 16}" text-anchor="end">{label}</text>')
        for bucket, value, colour in zip(BUCKETS, row.amounts, BUCKET_COLOURS, strict=True):
            if value <= 0:
                continue
            width = plot * value / highest
            parts.append(f'<rect x="{left:.1f}" y="{top + 3}" width="{width:.1f}" height="{BAR_ROW - 8}"'
                         f' style="fill:{colour}"><title>{label}, {bucket} days:'
                         f' {render.amount(value, currency)} {escape(visible(currency))}</title></rect>')
            left += width
        parts.append(f'<text x="{WIDTH - VALUE_WIDTH + 8}" y="{top + 16}">{render.amount(row.total, currency)}</text>')
    caption = f"Open balances by {report.by} and age, {visible(currency)}"
    return (f'<figure><figcaption>{escape(caption)}</figcaption><svg viewBox="0 0 {WIDTH} {height}" role="img"'
            f' aria-label="{escape(caption)}"><title>{escape(caption)}</title>{"".join(parts)}</svg>'
            f'<p class="note">{LEGEND}</p></figure>')


def aging_html(report: Aging) -> str:
    document = render.aging_document(report)
    currencies = list(document["totals"])
    charts = "".join(stacked_bars(report, currency) for currency in currencies)
    rows = [[r[report.by], r["currency"], *(r[b] for b in BUCKETS), r["total"]] for r in document["rows"]]
    rows += [["total", currency, *(t[b] for b in BUCKETS), t["total"]] for currency, t in document["totals"].items()]
    meta = (f'<p class="meta">Open balances as of {report.as_of}, aged from the day each invoice was {report.start}'
            f' (latest), in each invoice\'s own currency.</p>')
    table = _table([report.by, "currency", *BUCKETS, "total"], rows, 2) if rows else "<p>No open balances.</p>"
    return _page("Receivables aging", f'{meta}<div class="charts">{charts}</div><h2>Open balances</h2>{table}')


def follow_up_html(items: Sequence[FollowUp], as_of, within: int) -> str:
    document = render.follow_up_document(items, as_of, within)
    rows = [[i["by"], i["invoice"], i["client"], i["reason"], i["why"], f'{i["balance"]} {i["currency"]}']
            for i in document["items"]]
    table = _table(["by", "invoice", "client", "reason", "why", "balance"], rows, 5) if rows else "<p>Nothing to follow up.</p>"
    return _page("Receivables follow-up", f'<p class="meta">As of {as_of}.</p>{table}')


def realization_html(report: Realization) -> str:
    document = render.realization_document(report)
    parts = [f'<p class="meta">As of {report.as_of};'
             f' {"invoices first submitted in " + report.period if report.period else "every invoice"}.</p>']
    if report.by != "rule":
        rows = [[r[report.by], r["currency"], *(r[f] for f in FIGURES), r["realization"] or "-"] for r in document["rows"]]
        parts.append("<h2>Realization</h2>" + _table([report.by, "currency", *FIGURES, "realization"], rows, 2))
    rules = [[r["rule"], r["currency"], r["at_risk"], r["reduced"]] for r in document["rules"]]
    parts.append("<h2>Reductions per guideline rule</h2>" + _table(["rule", "currency", "at risk", "reduced"], rules, 2))
    rejections = [[r["by"], r["value"], str(r["submitted"]), str(r["rejected"]), r["rate"] or "-"]
                  for r in document["rejections"]]
    parts.append("<h2>Rejection rate</h2>" + _table(["by", "value", "submitted", "rejected", "rate"], rejections, 2))
    days = [[c, str(d["invoices_paid"]), d["average_days"] or "-"] for c, d in document["days_to_payment"].items()]
    parts.append("<h2>Days to payment (DSO)</h2>" + _table(["currency", "invoices paid", "average days"], days, 1))
    return _page("Receivables realization", "".join(parts))
