"""What ``show``, ``report`` and ``convert`` say about a file they read no invoice from: why, on standard error, exit 1."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ledes import Diagnostic, Severity
from ledes.safetext import visible

from . import output

EXIT_NO_INVOICE = 1  # a problem in the file, as a finding is: the command's work is not done
SHOWN = 10  # findings listed; `ledes validate` lists them all


def no_invoice_lines(heading: str, path: str, diagnostics: Iterable[Diagnostic],
                     counted: tuple[int, int] | None = None) -> Iterator[str]:
    """``heading``, then the findings that say why ``path`` gave no invoice (its errors, else every finding).

    ``counted`` is how many findings and errors there were in all when ``diagnostics`` holds only
    the first of them (``read_each``'s ``keep``)."""
    first: list[Diagnostic] = []  # the first SHOWN findings, and of the errors: a file can hold millions
    errors: list[Diagnostic] = []
    found = error_count = 0
    for diagnostic in diagnostics:
        found += 1
        if len(first) < SHOWN:
            first.append(diagnostic)
        if diagnostic.severity is Severity.ERROR:
            error_count += 1
            if len(errors) < SHOWN:
                errors.append(diagnostic)
    why = errors or first
    total = (error_count if errors else found) if counted is None else (counted[1] if errors else counted[0])
    yield heading
    for diagnostic in why[:SHOWN]:
        yield "  " + output.diagnostic_line(path, diagnostic)
    if total > SHOWN:
        yield f"  and {total - SHOWN:,} more; `ledes validate {visible(path)}` lists them"
