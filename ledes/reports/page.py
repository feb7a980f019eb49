"""The billing report as one self-contained HTML page: inline CSS, tables, SVG charts, printable; nothing fetched."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from ledes.figures import counted, hours, money
from ledes.reports.cells import ID, LABEL, NUMBER, PATH, TEXT, Cell, render_cell, short_paths
from ledes.reports.charts import bar_chart, line_chart
from ledes.reports.columns import FIGURES, currency_label, day_text, figures, several_currencies, stated
from ledes.reports.keys import PERIOD_KEYS
from ledes.reports.model import BillingReport, Findings, Group
from ledes.reports.text import heading
from ledes.safetext import html_text as escape
from ledes.version import installed_version

STYLE = """
:root { --ink: #1d2733; --muted: #5b6675; --rule: #d7dde4; --band: #f3f5f8; --accent: #2f6f9f; --negative: #b5523b; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); background: #fff; margin: 0 auto; max-width: 1120px; padding: 24px; }
h1 { font-size: 1.6em; margin: 0 0 .2em; }
h2 { font-size: 1.15em; margin: 1.8em 0 .6em; padding-bottom: .2em; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1em; margin: 1.2em 0 .4em; }
.meta, .note, footer { color: var(--muted); }
.note, footer { font-size: .9em; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; padding: 0; list-style: none; }
.cards li { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 14px; min-width: 220px; }
.cards span { display: block; }
.cards .figure { font-size: 1.5em; font-weight: 600; font-variant-numeric: tabular-nums; }
.cards .caption, .cards .parts { color: var(--muted); font-size: .85em; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 20px 28px;
          margin-bottom: 20px; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: 6px; }
figcaption .note { font-weight: normal; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-size: 12px; fill: var(--ink); }
svg .bar { fill: var(--accent); }
svg .bar.neg { fill: var(--negative); }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .grid { stroke: var(--rule); stroke-width: 1; }
svg .line { fill: none; stroke: var(--accent); stroke-width: 2; }
svg .point { fill: var(--accent); }
svg .gap-mark { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 3 3; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top;
         overflow-wrap: normal; word-break: normal; hyphens: manual; }
thead th { background: var(--band); font-weight: 600; }
th.num, td.num { text-align: right; }
td.num, td.id, td.path, td.label .id { white-space: nowrap; }
td.label { min-width: 9em; }
td.full-path { overflow-wrap: anywhere; }
tfoot td { font-weight: 600; border-top: 2px solid var(--ink); }
tr.differs td { color: var(--negative); }
@media print {
  @page { margin: 14mm; }
  body { max-width: none; padding: 0; font-size: 9pt; }
  th, td { padding: 3px 5px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  figure, .cards li, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  tfoot { display: table-footer-group; }
  .scroll { overflow: visible; }
  .charts { grid-template-columns: 1fr 1fr; gap: 12px; }
}
"""

DEFINITIONS = (
    "Amounts are line totals as billed, tax included, in each invoice's own currency, to its minor unit (the cent when none is stated). "
    "Fees are F lines, expenses E lines, adjustments the invoice-level IF and IE lines; "
    "the total is their sum, which is what the lines add to the invoice totals. "
    "Tax is the part of those amounts that is tax, for information. Hours are the units of F lines."
)


def render_html(report: BillingReport) -> str:
    """The whole page: heading, summary figures, charts, the grouped table, invoices, guideline findings, files."""
    body = [
        _header(report),
        _summary(report),
        _charts(report),
        _section(f"By {', '.join(report.by)}", _groups(report)),
        _section("Invoices", _invoices(report)),
    ]
    if report.findings is not None:
        paths = short_paths(file.path for file in report.files)
        body.append(_findings(report.findings, several_currencies(report), paths))
    body.append(_section("Files", _files(report)))
    body.append(
        f"<footer><p>{escape(DEFINITIONS)}</p><p>Made by ledes {escape(installed_version())}.</p></footer>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Billing report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _header(report: BillingReport) -> str:
    meta = heading(report).removeprefix("Billing report: ")
    note = (
        f'<p class="note">{counted(report.uncounted, "line item")} not counted: no known line type,'
        " no readable total, or no readable date.</p>"
        if report.uncounted else ""
    )
    return f'<header><h1>Billing report</h1><p class="meta">{escape(meta)}</p>{note}</header>'


def _summary(report: BillingReport) -> str:
    """One card per currency: the total, then fees, expenses, adjustments, hours, and the money at risk."""
    at_risk = report.findings.at_risk() if report.findings is not None else {}
    cards = []
    for group in report.totals:
        totals, currency = group.totals, group.currency
        parts = [
            f"fees {money(totals.fees, currency)}", f"expenses {money(totals.expenses, currency)}",
            f"adjustments {money(totals.adjustments, currency)}", hours(totals.hours),
        ]
        if report.findings is not None:
            parts.append(f"at risk {money(at_risk.get(currency, Decimal(0)), currency)}")
        cards.append(
            f'<li data-currency="{escape(group.currency or "")}">'
            f'<span class="caption">{escape(_currency_title(group.currency))}</span>'
            f'<span class="figure">{money(totals.total, currency)}</span>'
            f'<span class="parts">{escape(" · ".join(parts))}</span></li>'
        )
    return f'<ul class="cards" id="summary">{"".join(cards)}</ul>'


def _currency_title(currency: str | None) -> str:
    return "Total, no currency stated" if currency is None else f"Total, {currency}"


def _suffix(report: BillingReport, currency: str | None) -> str:
    """`` (GBP)`` after a caption when the report has several currencies."""
    return f" ({currency or 'no currency stated'})" if several_currencies(report) else ""


def _charts(report: BillingReport) -> str:
    """Per currency: bars of the totals by the first key, and the line of totals by month."""
    rows = []
    for currency in report.currencies:
        suffix = _suffix(report, currency)
        leading = [group for group in report.leading if group.currency == currency]
        months = [group for group in report.months if group.currency == currency]
        bars = bar_chart(leading, f"Total by {report.by[0]}{suffix}", currency)
        figures_ = [
            _figure(f"Total by {report.by[0]}{suffix}", bars.svg, bars.note, "bars"),
            _figure(f"Total by month{suffix}", line_chart(months, f"Total by month{suffix}", currency), "", "months"),
        ]
        rows.append(f'<div class="charts">{"".join(figures_)}</div>')
    return f'<section id="charts"><h2>Charts</h2>{"".join(rows)}</section>' if rows else ""


def _figure(caption: str, chart: str, note: str, kind: str) -> str:
    shown = f' <span class="note">({escape(note)})</span>' if note else ""
    return f'<figure class="{kind}"><figcaption>{escape(caption)}{shown}</figcaption>{chart}</figure>'


def _groups(report: BillingReport) -> str:
    currency = several_currencies(report)
    headers = (["currency"] if currency else []) + list(report.by) + list(FIGURES)
    kinds = ([ID] if currency else []) + [ID if key in PERIOD_KEYS else LABEL for key in report.by] + [NUMBER] * 7
    rows: list[list[Cell]] = [
        [*([currency_label(g.currency)] if currency else []), *g.keys, *figures(g.totals, g.currency)]
        for g in report.groups
    ]
    padding = [""] * (len(report.by) - 1)
    footer: list[list[Cell]] = [
        [*([currency_label(g.currency)] if currency else []), "total", *padding, *figures(g.totals, g.currency)]
        for g in report.totals
    ]
    return _table("groups", headers, kinds, rows, footer, _currency_rows(report.totals))


def _currency_rows(groups: Sequence[Group]) -> list[str]:
    return [f' class="total" data-currency="{escape(g.currency or "")}"' for g in groups]


def _invoices(report: BillingReport) -> str:
    headers = ["file", "invoice", "client", "currency", "date", "lines", "stated total", "counted total"]
    kinds = [PATH, ID, LABEL, ID, ID, NUMBER, NUMBER, NUMBER]
    paths = short_paths(file.path for file in report.files)
    rows: list[list[Cell]] = [
        [paths[i.path], i.number or "", i.client, currency_label(i.currency), day_text(i.date), f"{i.totals.lines:,}",
         stated(i.stated_total, i.currency), money(i.totals.total, i.currency)]
        for i in report.invoices
    ]
    classes = ["" if i.agrees else ' class="differs"' for i in report.invoices]
    note = (
        "" if all(i.agrees for i in report.invoices) else
        '<p class="note">Rows in colour: the counted lines do not add up to the stated total'
        " (a period that leaves some lines out, or an invoice whose arithmetic is wrong).</p>"
    )
    return _table("invoices", headers, kinds, rows, row_attributes=classes) + note


def _findings(findings: Findings, currency: bool, paths: dict[str, Cell]) -> str:
    # With several currencies, a rule has a row per currency: money in different currencies is never added together.
    rule_headers = ["rule", "level", *(["currency"] if currency else []), "findings", "at stake"]
    rule_kinds = [ID, ID, *([ID] if currency else []), NUMBER, NUMBER]
    rules: list[list[Cell]] = [
        [r.rule, r.severity, *([currency_label(r.currency)] if currency else []), f"{r.count:,}",
         money(r.at_stake, r.currency)]
        for r in findings.rules
    ]
    invoices: list[list[Cell]] = [
        [paths.get(r.path, r.path), r.invoice, currency_label(r.currency), money(r.amount, r.currency)]
        for r in findings.invoices
    ]
    matters: list[list[Cell]] = [
        [r.matter, currency_label(r.currency), money(r.amount, r.currency)] for r in findings.matters
    ]
    totals = "".join(
        f"<p><strong>Total at risk{escape(' ' + currency_label(c)) if currency else ''}: {money(a, c)}</strong></p>"
        for c, a in findings.at_risk().items()
    )
    return (
        f'<section id="guidelines"><h2>Client guidelines: {escape(findings.source)}</h2>'
        + "<h3>Findings by rule</h3>" + _table("rules", rule_headers, rule_kinds, rules)
        + "<h3>At risk by invoice</h3>"
        + _table("risk-invoices", ["file", "invoice", "currency", "at risk"], [PATH, ID, ID, NUMBER], invoices)
        + "<h3>At risk by matter</h3>"
        + _table("risk-matters", ["matter", "currency", "at risk"], [LABEL, ID, NUMBER], matters)
        + totals
        + '<p class="note">Money at risk is what a review would likely cut: each line\'s largest finding, summed;'
        " a finding on an invoice as a whole counts in the invoice's figure instead when larger.</p></section>"
    )


def _files(report: BillingReport) -> str:
    rows: list[list[Cell]] = [
        [f.path, f"{f.invoices:,}", f"{f.line_items:,}", f"{f.reading_errors:,}"] for f in report.files
    ]
    headers = ["file", "invoices", "line items", "reading errors"]
    return _table("files", headers, [TEXT, NUMBER, NUMBER, NUMBER], rows, cell_class={0: "full-path"})


def _section(title: str, content: str) -> str:
    return f"<section><h2>{escape(title)}</h2>{content}</section>"


def _table(
    name: str,
    headers: Sequence[str],
    kinds: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    footer: Sequence[Sequence[Cell]] = (),
    footer_attributes: Sequence[str] = (),
    row_attributes: Sequence[str] = (),
    cell_class: dict[int, str] | None = None,
) -> str:
    """A table whose columns are of ``kinds`` (numbers right-aligned; ids, dates and numbers never broken); "None." when empty."""
    if not rows:
        return f'<p class="note" id="{name}">None.</p>'
    classes = [(cell_class or {}).get(index, kind) for index, kind in enumerate(kinds)]

    def head() -> str:
        return "".join(f'<th class="{kind}">{escape(text)}</th>' for text, kind in zip(headers, classes, strict=True))

    def body(lines: Iterable[Sequence[Cell]], attributes: Sequence[str]) -> str:
        return "".join(
            f"<tr{attributes[index] if index < len(attributes) else ''}>"
            + "".join(render_cell(value, kind) for value, kind in zip(line, classes, strict=True))
            + "</tr>"
            for index, line in enumerate(lines)
        )

    foot = f"<tfoot>{body(footer, footer_attributes)}</tfoot>" if footer else ""
    return (
        f'<div class="scroll"><table id="{name}"><thead><tr>{head()}</tr></thead>'
        f"<tbody>{body(rows, row_attributes)}</tbody>{foot}</table></div>"
    )
