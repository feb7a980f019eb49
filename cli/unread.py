"""What ``show``, ``report`` and ``convert`` say about a file they read no invoice from: why, on standard error, exit 1."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ledes import Diagnostic, Severity
from ledes.safetext import visible

from . import output

EXIT_NO_INVOICE = 1  # a problem in the file, as a finding is: the command's work is not done
SHOWN = 10  # findings listed; `ledes validate` lists them all


def no_invoice_lines(heading: str, path: str, diagnostics: Iterable[Diagnostic]) -> Iterator[str]:
    """``heading``, then the findings that say why ``path`` gave no invoice (its errors, else every finding)."""
    found = list(diagnostics)
    why = [d for d in found if d.severity is Severity.ERROR] or found
    yield heading
    for diagnostic in why[:SHOWN]:
        yield "  " + output.diagnostic_line(path, diagnostic)
    if len(why) > SHOWN:
        yield f"  and {len(why) - SHOWN} more; `ledes validate {visible(path)}` lists them"
