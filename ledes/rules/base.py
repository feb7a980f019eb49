"""What a rule is: a stable public name, a default level, a docstring, and a check (or a reader that runs it)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Protocol

import attrs

from ledes.diagnostics import Severity
from ledes.model import Invoice, LineItem, Matter


class Report(Protocol):
    """How a check reports a finding; the engine adds the rule name, level, file and invoice."""

    def __call__(
        self,
        message: str,
        *,
        record: Invoice | Matter | LineItem | None = None,
        field: str | None = None,
        amount: Decimal | None = None,
        hint: str | None = None,
    ) -> None: ...


Check = Callable[[Invoice, Report, Mapping[str, object]], None]


@attrs.frozen
class Rule:
    """A check with a stable public name (``arithmetic.line-total``).

    ``check`` runs on each invoice the reader yields; it is None for the rules a format
    reader applies while reading (structure and field checks), which need the raw text.
    ``options`` holds the defaults of the rule's options.
    """

    name: str
    level: Severity
    doc: str
    check: Check | None = None
    options: Mapping[str, object] = attrs.field(factory=dict)

    @property
    def group(self) -> str:
        return self.name.partition(".")[0]

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]


def reader_rule(name: str, level: Severity, doc: str) -> Rule:
    """Declare a rule that format readers apply while reading."""
    return Rule(name, level, inspect.cleandoc(doc))


def invoice_rule(name: str, level: Severity = Severity.ERROR, **options: object) -> Callable[[Check], Rule]:
    """Declare a check on each invoice; the function's docstring documents the rule."""

    def declare(check: Check) -> Rule:
        return Rule(name, level, inspect.cleandoc(check.__doc__ or ""), check, dict(options))

    return declare


def is_number(value: object) -> bool:
    """True for a converted amount (not empty, not text that failed to convert)."""
    return type(value) is Decimal
