"""Convert's findings in bounded memory: sorted by line, located at the output's path, weighed as losses, on disk."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ledes.diagnostics import Diagnostic, Severity
from ledes.listeners import line_key
from ledes.rules.conversion import UNSUPPORTED_FIELD
from ledes.spooled import Records, sorted_records


def in_line_order(found: Iterable[Diagnostic]) -> Records[Diagnostic]:
    """The findings sorted by line (those of one line as found), on disk past a few hundred."""
    return sorted_records(found, key=line_key)


def spooled(diagnostics: Iterable[Diagnostic]) -> Records[Diagnostic]:
    """The findings, on disk past a few hundred."""
    kept: Records[Diagnostic] = Records()
    for diagnostic in diagnostics:
        kept.append(diagnostic)
    return kept


def located(diagnostics: Iterable[Diagnostic], path: str) -> Records[Diagnostic]:
    """The findings on the temporary file, against the path it is written to."""
    return spooled(
        attrs.evolve(d, location=attrs.evolve(d.location, path=path)) if d.location is not None else d
        for d in diagnostics
    )


def weighed(losses: Iterable[Diagnostic], strict: bool) -> tuple[Records[Diagnostic], bool]:
    """The losses as ``convert`` lists them, and whether they refuse the conversion (unless ``allow_loss``).

    A value the target has no field for (``convert.unsupported-field``) is a warning and
    the output is written without it; with ``strict`` it is an error, and refuses. Any
    other loss refuses: a value the target would give back changed or empty
    (``convert.changed-value``), a record reading skipped, repeated values that disagree.
    """
    kept: Records[Diagnostic] = Records()
    refused = False
    for loss in losses:
        unsupported = loss.rule == UNSUPPORTED_FIELD.name
        refused = refused or strict or not unsupported
        kept.append(attrs.evolve(loss, severity=Severity.ERROR) if strict and unsupported else loss)
    return kept, refused
