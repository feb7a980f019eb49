"""UTBMS code rules: task, activity and expense codes are present where the client requires them and in its sets."""

from __future__ import annotations

import operator
from collections.abc import Mapping

import attrs

from ledes import utbms
from ledes.diagnostics import Severity
from ledes.model import Invoice, LineItemType
from ledes.rules import options as option
from ledes.rules.base import Context, Report, guideline_rule
from ledes.rules.facts import invoice_facts
from ledes.utbms import CodeKind, CodeSet

_FEE_TYPES = (LineItemType.FEE, LineItemType.FEE_ADJUSTMENT)
_ARTICLE = {CodeKind.TASK: "a", CodeKind.ACTIVITY: "an", CodeKind.EXPENSE: "an"}


def _sets(context: Context) -> Mapping[str, CodeSet]:
    """The run's code sets (the shipped ones with the client's own codes), or the shipped ones alone."""
    return context.code_sets or utbms.code_sets()


_LINE_TYPES = ("F", "E", "IF", "IE")


@attrs.frozen
class TaskCodeOptions:
    """utbms.task-code: the line types that must carry a task code, and the allowed task code sets."""

    required_on: tuple[str, ...] = option.choices(("F",), _LINE_TYPES)
    sets: tuple[str, ...] = option.code_sets(("L",), CodeKind.TASK.value)


@attrs.frozen
class ActivityCodeOptions:
    """utbms.activity-code: the line types that must carry an activity code, and the allowed activity code sets."""

    required_on: tuple[str, ...] = option.choices(("F",), _LINE_TYPES)
    sets: tuple[str, ...] = option.code_sets(("A",), CodeKind.ACTIVITY.value)


@attrs.frozen
class ExpenseCodeOptions:
    """utbms.expense-code: the line types that must carry an expense code, and the allowed expense code sets."""

    required_on: tuple[str, ...] = option.choices(("E",), _LINE_TYPES)
    sets: tuple[str, ...] = option.code_sets(("E",), CodeKind.EXPENSE.value)


CodeOptions = TaskCodeOptions | ActivityCodeOptions | ExpenseCodeOptions


def _allowed_sets(context: Context, keys: tuple[str, ...], kind: CodeKind) -> tuple[CodeSet, ...]:
    """The sets the options name (checked to hold ``kind`` codes when the options were built); every ``kind`` set when none."""
    sets = _sets(context)
    if not keys:
        return tuple(found for found in sets.values() if found.kind is kind)
    return tuple(sets[key] for key in keys)


def _elsewhere(value: str, context: Context) -> str:
    """A hint saying which sets do have a code, or that none does."""
    found = utbms.lookup(value, _sets(context))
    if not found:
        return f"{value} is in no UTBMS code set ledes knows, nor among the client's own codes"
    names = ", ".join(f"{item.set} ({item.name})" for item in found)
    return f"{value} is in set {names}, which the client's guidelines do not allow"


def _check_codes(
    invoice: Invoice,
    report: Report,
    options: CodeOptions,
    context: Context,
    *,
    attribute: str,
    fact: str,
    kind: CodeKind,
    label: str,
) -> None:
    """Report lines of a required type without a code, and codes outside the allowed sets."""
    required = set(options.required_on)
    allowed = _allowed_sets(context, options.sets, kind)
    keys = ", ".join(found.key for found in allowed)
    field = f"line_item.{attribute}"
    known: set[str] = set()  # the codes found in an allowed set
    value_of = operator.attrgetter(fact)
    for line in invoice_facts(invoice, context).lines:
        value = value_of(line)
        if value is None:
            kind_of_line = line.kind.value if line.kind is not None else None
            if kind_of_line in required:
                report(
                    f"{label} is empty; the client requires {_ARTICLE[kind]} {kind.value} code on {kind_of_line} lines",
                    record=line.item,
                    field=field,
                    amount=line.total,
                    hint=f"use a code of set {keys}" if len(allowed) == 1 else f"use a code of one of the sets {keys}",
                )
            continue
        if kind is CodeKind.EXPENSE and line.kind in _FEE_TYPES:
            continue  # an expense code on a fee line is reported as such
        if value in known:
            continue
        if any(value in found.codes for found in allowed):
            known.add(value)
        else:
            report(
                f"{label} {value} is not in the client's {kind.value} code set{'s' if len(allowed) > 1 else ''} {keys}",
                record=line.item,
                field=field,
                amount=line.total,
                hint=_elsewhere(value, context),
            )


@guideline_rule("utbms.task-code", Severity.ERROR, options=TaskCodeOptions)
def task_code(invoice: Invoice, report: Report, options: TaskCodeOptions, context: Context) -> None:
    """Fee lines carry a LINE_ITEM_TASK_CODE, and every task code is in the client's task code sets.

    Why: task codes must be present and in the set allowed for the matter type, an error
    in the portals (Legal Tracker "About UTBMS codes"; Collaborati "Line Item Task Code is
    Invalid"); task codes are required per matter or matter type; the code must be
    client-authorised, custom codes allowed; the set follows the matter type
    (Litigation, Bankruptcy, Patent ...); and (a task
    code on an expense line fails only when it is outside the allowed sets). Codes are
    compared trimmed and upper-cased (R15). A phase code such as L100 is in its set; it
    is ``utbms.phase-billed`` that reports it.
    Options: ``required_on`` (default ``("F",)``), ``sets`` (default ``("L",)``).
    ``required_on`` lists the line types (F, E, IF, IE) that must carry a task code;
    ``sets`` the keys of the allowed sets (``ledes codes`` lists them): L is the 1995
    Litigation set, ``("L2007",)`` the DRI 2007 revision, ``("PA", "TR")`` suits IP
    matters, ``("MA",)`` the M&A phases known; an empty list allows a code of any set
    ``ledes codes`` lists. Codes no shipped set has (a client's own, the 2023 numeric patent
    prosecution codes) are added under ``custom_codes``.
    Money at stake: the line's total (portals reject the line or the invoice).
    Passing: an F line with task code ``L510``.
    Failing: an F line with no task code; an F line with task code ``L999`` or ``B110``.
    """
    _check_codes(invoice, report, options, context, attribute="task_code", fact="task",
                 kind=CodeKind.TASK, label="LINE_ITEM_TASK_CODE")


@guideline_rule("utbms.activity-code", Severity.WARNING, options=ActivityCodeOptions)
def activity_code(invoice: Invoice, report: Report, options: ActivityCodeOptions, context: Context) -> None:
    """Fee lines carry a LINE_ITEM_ACTIVITY_CODE, and every activity code is in the client's activity code sets.

    Why: Legal Tracker's law-firm UTBMS guidance ("few clients require activity codes",
    but many require task and activity on every time entry); codes must be
    client-authorised; A112–A128 are valid only where the client adopted the LOC 2013
    activity codes (ledes.org); and Collaborati's XML warning (an
    unauthorised activity code is ignored with a warning rather than rejected, hence
    a warning by default).
    Options: ``required_on`` (default ``("F",)``), ``sets`` (default ``("A",)``).
    ``required_on`` lists the line types that must carry an activity code; ``sets`` the
    allowed sets: A is the ABA 1997 activities A101–A111, ``("A2013",)`` the LOC 2013
    revision with A112–A128; an empty list allows any activity set.
    Money at stake: the line's total.
    Passing: an F line with activity code ``A102``.
    Failing: an F line with no activity code; ``A112`` when the sets are ``("A",)``.
    """
    _check_codes(invoice, report, options, context, attribute="activity_code", fact="activity",
                 kind=CodeKind.ACTIVITY, label="LINE_ITEM_ACTIVITY_CODE")


@guideline_rule("utbms.expense-code", Severity.ERROR, options=ExpenseCodeOptions)
def expense_code(invoice: Invoice, report: Report, options: ExpenseCodeOptions, context: Context) -> None:
    """Expense lines carry a LINE_ITEM_EXPENSE_CODE from the client's expense sets; fee lines carry none.

    Why: an expense code on every E line, from the client's list, is an error in the
    portals (Legal Tracker "Require UTBMS expense codes"; Mitratech Corridor invoice
    validations); "almost all clients require expense codes"; Legal Tracker also
    requires one on IE adjustments (add ``"IE"`` to ``required_on``); fee lines must not
    carry an expense code; codes must be client-authorised and of the client's version
    (E-codes or the LOC 2013 X-codes, per client).
    Options: ``required_on`` (default ``("E",)``), ``sets`` (default ``("E",)``).
    ``required_on`` lists the line types that must carry an expense code; ``sets`` the
    allowed sets: E is E101–E124, ``("X",)`` the LOC 2013 codes, ``("EIP",)`` E with
    the IP additions; an empty list allows any expense set.
    Money at stake: the line's total.
    Passing: an E line with expense code ``E111``; an F line with none.
    Failing: an E line with no expense code, or with ``E199``; an F line with ``E101``.
    """
    _check_codes(invoice, report, options, context, attribute="expense_code", fact="expense_code",
                 kind=CodeKind.EXPENSE, label="LINE_ITEM_EXPENSE_CODE")
    for line in invoice_facts(invoice, context).lines:
        value = line.expense_code
        if value is not None and line.kind in _FEE_TYPES:
            assert line.kind is not None
            report(
                f"{line.kind.value} line carries expense code {value}; fee lines carry a task code and no expense code",
                record=line.item,
                field="line_item.expense_code",
                amount=line.total,
                hint="bill the expense on its own E line, or leave LINE_ITEM_EXPENSE_CODE empty",
            )


def _phases(context: Context) -> Mapping[str, tuple[str, ...]]:
    """Every task set's phase codes (codes that have tasks), each with its tasks; computed once per run."""

    def collect() -> dict[str, tuple[str, ...]]:
        children: dict[str, list[str]] = {}
        for found in _sets(context).values():
            if found.kind is CodeKind.TASK:
                for item in found.codes.values():
                    if item.parent is not None and item.code not in children.get(item.parent, ()):
                        children.setdefault(item.parent, []).append(item.code)
        return {phase: tuple(sorted(tasks)) for phase, tasks in children.items()}

    return context.run.slot(phase_billed, collect)


@guideline_rule("utbms.phase-billed", Severity.ERROR)
def phase_billed(invoice: Invoice, report: Report, options: object, context: Context) -> None:
    """No line bills a phase code (a code that has tasks, such as L100) as its task code.

    Why: the ABA UTBMS code sets are two-level: a phase that has child tasks (L100–L500, B100–B400, P200,
    PA100–PA700, TR100–TR700) is a roll-up, not a billable task, and validators reject
    it; single-level codes (C100–C400, P100, P300–P800) are billable. Portals check that codes
    are in the allowed set (Legal Tracker "About UTBMS codes"). A phase in any task set counts, the client's own
    codes included.
    Options: none; a client that accepts billing at phase level turns the rule off.
    Money at stake: the line's total.
    Passing: task code ``L110`` (a task of phase L100); ``C100`` (a single-level code).
    Failing: task code ``L100``.
    """
    phases = _phases(context)
    for line in invoice_facts(invoice, context).lines:
        value = line.task
        if value is None or value not in phases:
            continue
        tasks = phases[value]
        shown = ", ".join(tasks[:4]) + (", ..." if len(tasks) > 4 else "")
        report(
            f"LINE_ITEM_TASK_CODE {value} is a phase, not a task: it has tasks of its own",
            record=line.item,
            field="line_item.task_code",
            amount=line.total,
            hint=f"bill one of its tasks: {shown}",
        )


RULES = (task_code, activity_code, expense_code, phase_billed)
