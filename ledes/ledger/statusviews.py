"""The text and JSON of ``ledes ledger import-status``: each row's outcome, and the summary."""

from __future__ import annotations

import json

from ledes.formats.recognise import printable
from ledes.ledger.statusimport import RowOutcome, StatusImport
from ledes.ledger.views import event_json, event_line
from ledes.safetext import json_escaped, visible


def row_line(outcome: RowOutcome) -> str:
    """One row for people: what it records, or why it records nothing."""
    what = event_line(outcome.event) + f" on {outcome.event.on}" if outcome.event else printable(outcome.reason or "", 200)
    return f"row {outcome.row}: {printable(outcome.invoice, 40) or '-'}: {outcome.outcome}: {what}"


def summary_line(result: StatusImport, dry_run: bool) -> str:
    counts = {o: sum(r.outcome == o for r in result.rows) for o in ("recorded", "already", "ignored", "error")}
    figures = (f"{counts['recorded']} to record, {counts['already']} already recorded, {counts['ignored']} ignored,"
               f" {counts['error']} not matched")
    source = visible(result.source)
    if dry_run:
        return f"{source}: dry run, nothing recorded: {figures}"
    if not result.recorded:
        return (f"{source}: nothing recorded: {figures}; fix the rows listed, or --skip-bad-rows to record"
                " the others")
    return f"{source}: recorded {counts['recorded']} events: {figures}"


def import_json(result: StatusImport) -> str:
    rows = [{"row": r.row, "invoice": r.invoice, "outcome": r.outcome, "reason": r.reason,
             "event": event_json(r.event) if r.event else None} for r in result.rows]
    summary = {o: sum(r.outcome == o for r in result.rows) for o in ("recorded", "already", "ignored", "error")}
    return json_escaped(json.dumps({"source": result.source, "recorded": result.recorded, "summary": summary,
                                    "rows": rows}, indent=2, ensure_ascii=False))
