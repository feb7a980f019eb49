"""What a rule is: a stable public name, a default level, a docstring, and a check (or a reader that runs it)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Protocol, TypeGuard, TypeVar, cast

import attrs

from ledes.diagnostics import Severity
from ledes.model import Invoice, Location
from ledes.rules.options import build, defaults


class Located(Protocol):
    """Where a finding is reported: a record (invoice, matter, line item), or anything else read that knows where it stands.

    The engine takes the finding's line, XPath and (for a ``finish``) file from its ``location``.
    """

    @property
    def location(self) -> Location | None: ...


class Report(Protocol):
    """How a check reports a finding; the engine adds the rule name, level, file and invoice."""

    def __call__(
        self,
        message: str,
        *,
        record: Located | None = None,
        field: str | None = None,
        amount: Decimal | None = None,
        hint: str | None = None,
    ) -> None: ...


class FinishReport(Protocol):
    """How a rule's ``finish`` reports, after the run's last file: as ``Report``, and with the invoice's number.

    The engine reports a finding at its record's own file and line; the invoice it was
    in is gone by then, so the rule names it (``invoice``, the INVOICE_NUMBER).
    """

    def __call__(
        self,
        message: str,
        *,
        record: Located | None = None,
        field: str | None = None,
        amount: Decimal | None = None,
        hint: str | None = None,
        invoice: str | None = None,
    ) -> None: ...


# A check receives its rule's options: an instance of the rule's ``options_type`` (see ledes.rules.options).
Check = Callable[[Invoice, Report, Any], None]


@attrs.frozen
class RatePeriod:
    """An approved hourly rate and the dates it applies from and until (both inclusive; None is open-ended)."""

    rate: Decimal
    start: date | None = None
    end: date | None = None


EVERY_CURRENCY = "*"  # the currency of rates that hold an invoice in any currency


@attrs.frozen
class ApprovedTimekeeper:
    """A timekeeper the client has approved: id, name, classification and effective-dated rates.

    ``currency`` is that of the rates: the currency of the guidelines file that lists them,
    ``EVERY_CURRENCY`` when that file names none (its rates hold every invoice), None for the
    guidelines' ``currency`` (``Context.currency``).
    """

    id: str
    name: str | None = None
    classification: str | None = None
    rates: tuple[RatePeriod, ...] = ()
    currency: str | None = None

    def rate_on(self, day: object) -> Decimal | None:
        """The approved rate on ``day``: the latest-starting period that covers it; None when none does."""
        if not isinstance(day, date):
            return None
        covering = [p for p in self.rates if (p.start is None or p.start <= day) and (p.end is None or day <= p.end)]
        if not covering:
            return None
        return max(covering, key=lambda p: p.start or date.min).rate


class RunState:
    """What cross-invoice rules remember during one run (all files of one ``ledes validate``): one slot per rule."""

    def __init__(self) -> None:
        self._slots: dict[object, object] = {}

    def slot(self, rule: object, factory: Callable[[], object]) -> Any:
        """The state of ``rule`` (the rule object itself is the key), made by ``factory`` on first use."""
        found = self._slots.get(rule)
        if found is None:
            found = self._slots[rule] = factory()
        return found


@attrs.frozen
class Context:
    """What a guideline rule knows beyond the invoice: the client's approved timekeepers, the code sets, the run."""

    timekeepers: Mapping[str, ApprovedTimekeeper] | None = None
    code_sets: Mapping[str, Any] = attrs.field(factory=dict)
    run: RunState = attrs.field(factory=RunState, eq=False)
    currency: str | None = None  # the currency of the guidelines' amounts (None: any invoice's)
    rule_currencies: Mapping[str, str | None] = attrs.field(factory=dict)  # a rule's own, where it has one

    def currency_of(self, invoice: Invoice) -> str | None:
        """The currency ``invoice``'s amounts are in: the one it states (upper-cased), else the guidelines'."""
        return _stated_currency(invoice) or self.currency

    def approved(self, invoice: Invoice, keeper: str | None) -> ApprovedTimekeeper | None:
        """The client's approved timekeeper ``keeper``, with the rates that apply to ``invoice``: none when they are in
        another currency than the one the invoice states (its id, name and classification still hold)."""
        found = self.timekeepers.get(keeper) if self.timekeepers is not None and keeper is not None else None
        if found is None or not found.rates:
            return found
        currency = found.currency or self.currency
        stated = _stated_currency(invoice)
        if currency is None or currency == EVERY_CURRENCY or stated is None or stated == currency:
            return found
        return attrs.evolve(found, rates=())

    def other_currency(self, invoice: Invoice, rule: Rule | None = None) -> bool:
        """Whether ``invoice`` states a currency other than that of the guidelines' amounts (``rule``'s, when the file
        that gave them is not the last one): they do not apply to it. An invoice that states none is in theirs."""
        currency = self.rule_currencies.get(rule.name, self.currency) if rule is not None else self.currency
        stated = _stated_currency(invoice)
        return currency is not None and stated is not None and stated != currency


def _stated_currency(invoice: Invoice) -> str | None:
    """The currency an invoice states, upper-cased; None when it states none (LEDES 1998B)."""
    stated = invoice.currency
    return stated.strip().upper() if isinstance(stated, str) and stated.strip() else None


GuidelineCheck = Callable[[Invoice, Report, Any, Context], None]
# Called once after the last file of a run, for rules whose findings need every invoice first.
Finish = Callable[[FinishReport, Any, Context], None]


@attrs.frozen(eq=False)  # each rule is one object: equal to itself only, and hashable
class Rule:
    """A check with a stable public name (``arithmetic.line-total``).

    ``check`` runs on each invoice the reader yields; it is None for the rules a format
    reader applies while reading (structure and field checks), which need the raw text.
    ``options_type`` is the attrs class of the rule's options, declared beside its check
    (None for a rule without options); ``options`` holds their defaults by name. A
    configuration builds and checks the options when it is made, and the check receives
    the instance; given a mapping instead, the check builds it. A ``guideline`` rule checks a
    client's outside-counsel guidelines: it runs only when guidelines are given (or its
    level is set), its check also receives the ``Context``, and its ``finish``, if any,
    runs once after the last file of the run. A ``lossy`` finding means that writing the
    invoice back would lose something the file holds (a record skipped, a repeated value
    that disagreed); a ``whole_invoice`` finding concerns the invoice or a matter as a
    whole, so its money at stake overlaps its lines'.
    """

    name: str
    level: Severity
    doc: str
    check: Check | None = None
    options: Mapping[str, object] = attrs.field(factory=dict)
    guideline: bool = False
    finish: Finish | None = None
    lossy: bool = False
    whole_invoice: bool = False
    options_type: type | None = None

    @property
    def group(self) -> str:
        return self.name.partition(".")[0]

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]


def reader_rule(name: str, level: Severity, doc: str, *, lossy: bool = False) -> Rule:
    """Declare a rule that format readers apply while reading."""
    return Rule(name, level, inspect.cleandoc(doc), lossy=lossy)


def invoice_rule(name: str, level: Severity = Severity.ERROR, *, options: type | None = None) -> Callable[[Check], Rule]:
    """Declare a check on each invoice; the function's docstring documents the rule, ``options`` is its options' class."""

    def declare(check: Check) -> Rule:
        return Rule(name, level, inspect.cleandoc(check.__doc__ or ""), _typed(check, name, options, 2),
                    _defaults(options), options_type=options)

    return declare


def guideline_rule(
    name: str,
    level: Severity = Severity.WARNING,
    *,
    finish: Finish | None = None,
    whole_invoice: bool = False,
    options: type | None = None,
) -> Callable[[GuidelineCheck], Rule]:
    """Declare a check of a client's guidelines on each invoice; the function's docstring documents the rule."""

    def declare(check: GuidelineCheck) -> Rule:
        typed_finish = None if finish is None else _typed(finish, name, options, 1)
        return Rule(name, level, inspect.cleandoc(check.__doc__ or ""), _typed(check, name, options, 2),  # type: ignore[arg-type]
                    _defaults(options), True, typed_finish, whole_invoice=whole_invoice, options_type=options)

    return declare


_Function = TypeVar("_Function", bound=Callable[..., None])


def _typed(function: _Function, name: str, options_type: type | None, index: int) -> _Function:
    """``function`` with its options (argument ``index``) built into ``options_type`` when given as a mapping.

    The engine passes the instance its configuration built; a caller of the check itself
    (a test) may pass a mapping of values, converted and checked here as a configuration would.
    """
    if options_type is None:
        return function

    @functools.wraps(function)
    def typed(*args: Any) -> None:
        given = args[index]
        if not isinstance(given, options_type):
            args = (*args[:index], build(options_type, given, f"options.{name}"), *args[index + 1:])
        function(*args)

    return cast(_Function, typed)


def _defaults(options_type: type | None) -> dict[str, object]:
    return {} if options_type is None else defaults(options_type)


def is_number(value: object) -> TypeGuard[Decimal]:
    """True for a converted amount (not empty, not text that failed to convert): narrows a ``Money`` to ``Decimal``.

    A ``TypeGuard``, not a ``TypeIs``: the test is the exact type, so a value that fails
    it is not known to be something other than a Decimal (a subclass fails it too).
    """
    return type(value) is Decimal
