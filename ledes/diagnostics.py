"""One record type for every problem found in an invoice file, and the sink that collects them."""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Protocol

import attrs

from ledes.model import Location


class Severity(enum.Enum):
    """How serious a finding is; an ``error`` makes ``ledes validate`` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@attrs.frozen
class Diagnostic:
    """A finding: which rule, how serious, where, what, and the money at stake."""

    rule: str
    severity: Severity
    message: str
    location: Location | None = None
    invoice: str | None = None
    amount: Decimal | None = None
    hint: str | None = None

    @property
    def line(self) -> int | None:
        return self.location.line if self.location else None

    @property
    def field(self) -> str | None:
        """The format's field name (``LINE_ITEM_TOTAL``), or for XML the element's XPath."""
        if self.location is None:
            return None
        return self.location.field or self.location.xpath


class Named(Protocol):
    """A rule as readers report through it: anything with the rule's public name (``ledes.rules.base.Rule``)."""

    @property
    def name(self) -> str: ...


# Readers report through the rule objects themselves; a bare name is accepted from the engine's own stamping.
RuleName = Named | str

# How a reader or a rule reports: the rule, the message, then keyword details.
Emit = Callable[..., None]

LevelResolver = Callable[[str], "Severity | None"]


class DiagnosticSink:
    """Collects diagnostics for one file, stamping each with the severity configured for its rule.

    Readers and rules call ``emit(rule, message, line=…, field=…, invoice=…, amount=…)``;
    a rule whose level is ``off`` (the resolver returns None) is dropped here.
    ``field_names`` translates model field paths (``line_item.total``) into the file
    format's own names (``LINE_ITEM_TOTAL``); ``message_names`` the LEDES 1998B names rule
    messages are written with into the format's (``LINE_ITEM_TOTAL``: ``total_amount``).
    The diagnostics are kept in ``diagnostics``, or passed to ``collect`` when one is given.
    """

    def __init__(
        self,
        path: str | None,
        level_of: LevelResolver,
        field_names: Mapping[str, str] | None = None,
        message_names: Mapping[str, str] | None = None,
        collect: Callable[[Diagnostic], None] | None = None,
    ) -> None:
        self.path = path
        self.level_of = level_of
        self.field_names = field_names or {}
        self.rename = renamer(message_names or {})
        self.diagnostics: list[Diagnostic] = []
        self._collect = collect or self.diagnostics.append

    def bound(self, limit: int, full: Callable[[], None]) -> None:
        """Call ``full`` each time the diagnostics held reach ``limit`` (it passes some on): a reader that reads on
        without yielding an invoice keeps no more than that many."""

        def collect(diagnostic: Diagnostic) -> None:
            self.diagnostics.append(diagnostic)
            if len(self.diagnostics) >= limit:
                full()

        self._collect = collect

    def emit(
        self,
        rule: RuleName,
        message: str,
        *,
        line: int | None = None,
        field: str | None = None,
        xpath: str | None = None,
        invoice: str | None = None,
        amount: Decimal | None = None,
        hint: str | None = None,
        path: str | None = None,
    ) -> None:
        name = rule if isinstance(rule, str) else rule.name
        severity = self.level_of(name)
        if severity is None:
            return
        if field is not None:
            field = self.field_names.get(field, field)
        location = Location(path or self.path, line, field, xpath)
        if self.rename is not None:
            message = self.rename(message)
            hint = hint and self.rename(hint)
        self._collect(Diagnostic(name, severity, message, location, invoice, amount, hint))


def renamer(names: Mapping[str, str]) -> Callable[[str], str] | None:
    """A function that puts ``names``' values in place of its keys, as whole words, in a message; None for no names."""
    if not names:
        return None
    pattern = re.compile(r"(?<![\w/])(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")(?![\w/])")
    return functools.partial(pattern.sub, lambda found: names[found.group()])
