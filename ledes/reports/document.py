"""The billing report as one JSON document: figures as decimal strings (``ledes.figures``'s plain form), dates as ``YYYY-MM-DD``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import attrs

from ledes.figures import plain_money
from ledes.reports.columns import FIGURES, day_text, plain_figures, several_currencies, stated
from ledes.reports.keys import ALIASES, Key
from ledes.reports.model import BillingReport, Findings, Group
from ledes.reports.totals import Totals
from ledes.safetext import json_escaped
from ledes.version import installed_version


def render_json(report: BillingReport) -> str:
    """``{"report", "by", "period", "files", "groups", "totals", "invoices", "uncounted", "guidelines"}``."""
    return "".join(json_chunks(report))


def json_chunks(report: BillingReport) -> Iterator[str]:
    """``render_json``'s document in pieces, exactly as ``json.dumps(document, indent=2)`` writes it, and a newline.

    The groups and the invoices are written one at a time, as they are read from the report
    (``ledes.reports.spill``): the document is never whole in memory.
    """
    period = report.period
    fields: list[tuple[str, object]] = [
        ("report", "billing"),
        ("ledes", installed_version()),
        ("by", list(report.by)),
        ("period", None if period is None else
         {"name": period.name, "start": period.start.isoformat(), "end": period.end.isoformat()}),
        ("files", [
            {"path": f.path, "invoices": f.invoices, "line_items": f.line_items, "reading_errors": f.reading_errors}
            for f in report.files
        ]),
        ("groups", _Items(_group(group, report.by) for group in report.groups)),
        ("totals", [_group(group, ()) for group in report.totals]),
        ("invoices", _Items(
            {"path": i.path, "number": i.number, "date": day_text(i.date) or None, "client": _key(i.client),
             "currency": i.currency, "stated_total": stated(i.stated_total, i.currency, plain=True) or None,
             **_figures(i.totals, i.currency)}
            for i in report.invoices
        )),
        ("uncounted", report.uncounted),
        ("guidelines", None if report.findings is None else _findings(report.findings, several_currencies(report))),
    ]
    yield "{"
    for index, (name, value) in enumerate(fields):
        yield f'{"," if index else ""}\n  {_dumps(name)}: '
        if isinstance(value, _Items):
            yield "["
            separator = "\n    "
            for item in value.items:
                yield separator + _dumps(item).replace("\n", "\n    ")
                separator = ",\n    "
            yield "]" if separator == "\n    " else "\n  ]"
        else:
            yield _dumps(value).replace("\n", "\n  ")
    yield "\n}\n"


@attrs.frozen
class _Items:
    """A list of the document written an item at a time."""

    items: Iterable[object]


def _dumps(value: object) -> str:
    return json_escaped(json.dumps(value, indent=2, ensure_ascii=False))


def _group(group: Group, by: tuple[str, ...]) -> dict:
    keys = {"keys": {name: _key(key, name) for name, key in zip(by, group.keys, strict=True)}} if by else {}
    return {"currency": group.currency, **keys, **_figures(group.totals, group.currency)}


def _figures(totals: Totals, currency: str | None) -> dict:
    values = plain_figures(totals, currency)
    return {"lines": totals.lines, **dict(zip(FIGURES[1:], values[1:], strict=True))}


def _key(key: Key, name: str | None = None) -> dict:
    """``{"value", "name"}``; a matter also has ``client_matter_id``."""
    alias = {ALIASES[name]: key.alias} if name in ALIASES else {}
    return {"value": key.value, "name": key.name, **alias}


def _findings(findings: Findings, currency: bool) -> dict:
    """The findings; with invoices in several currencies, each rule's rows are per currency and carry ``currency``."""
    return {
        "source": findings.source,
        "rules": [
            {"rule": r.rule, "level": r.severity, **({"currency": r.currency} if currency else {}),
             "findings": r.count, "at_stake": plain_money(r.at_stake, r.currency)}
            for r in findings.rules
        ],
        "invoices": [
            {"path": r.path, "invoice": r.invoice, "currency": r.currency, "at_risk": plain_money(r.amount, r.currency)}
            for r in findings.invoices
        ],
        "matters": [
            {"matter": _key(r.matter, "matter"), "currency": r.currency, "at_risk": plain_money(r.amount, r.currency)}
            for r in findings.matters
        ],
        "at_risk": [
            {"currency": currency, "at_risk": plain_money(amount, currency)} for currency, amount in findings.at_risk().items()
        ],
    }
