"""The configuration of a run: each rule's level and typed options, and a client's guidelines (timekeepers, codes).

A ``Config`` is checked when it is made: a level for a rule or group that does not exist,
an option a rule does not have, or a value its option cannot take is a LedesConfigError
then, before any file is read. ``ledes.guidelines`` makes one from a client's TOML file.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import attrs

from ledes.diagnostics import Severity
from ledes.errors import LedesConfigError
from ledes.rules.base import ApprovedTimekeeper, Context, Rule
from ledes.rules.catalogue import CATALOGUE, ENTRIES, Entry, rule_named
from ledes.rules.options import NO_OPTIONS, build

LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO, "off": None}
GROUPS = frozenset(entry.group for entry in CATALOGUE)


@attrs.frozen
class Config:
    """Rule levels and options.

    ``levels`` maps a rule name or a group (``arithmetic``) to ``error``, ``warning``,
    ``info`` or ``off``; the most specific entry wins. ``options`` maps a rule name to
    the options it overrides (``{"rates.cap": {"caps": {"PARTNR": "400"}}}``): they are
    converted to the rule's options class here, and each check receives that instance.
    """

    levels: Mapping[str, str] = attrs.field(factory=dict)
    options: Mapping[str, Mapping[str, object]] = attrs.field(factory=dict)
    # A client's guidelines (ledes.guidelines.load): they turn the guideline rules on and
    # give them the approved timekeepers and the client's own UTBMS codes.
    guidelines: bool = False
    # The ISO 4217 currency the guidelines' amounts are in (None: every invoice's): see ledes.guidelines.
    currency: str | None = None
    # The currency of a rule's amounts when the file that gave them is not the last one (``rates.cap``: "USD").
    rule_currencies: Mapping[str, str | None] = attrs.field(factory=dict)
    timekeepers: Mapping[str, ApprovedTimekeeper] | None = None
    custom_codes: Mapping[str, tuple[tuple[str, str, str | None], ...]] = attrs.field(factory=dict)
    sources: tuple[str, ...] = ()
    # The receivables windows in days (``[receivables]``: payment_terms_days, ...), for the ledger's follow-up.
    receivables: Mapping[str, int] = attrs.field(factory=dict)
    # Worked out once from the fields above: each rule's severity, and the typed options of the rules given some.
    _severities: Mapping[str, Severity | None] = attrs.field(init=False, repr=False, eq=False)
    _typed: Mapping[str, object] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        for key, level in self.levels.items():
            if key not in ENTRIES and key not in GROUPS:
                raise LedesConfigError(f"levels: unknown rule or group '{key}'")
            if not isinstance(level, str) or level not in LEVELS:
                raise LedesConfigError(f"levels.{key}: expected one of {', '.join(LEVELS)}, found '{level}'")
        typed = {}
        for name, values in self.options.items():
            if name not in ENTRIES:
                raise LedesConfigError(f"options: unknown rule '{name}'")
            rule = rule_named(name)
            if rule.options_type is None:
                if values:
                    raise LedesConfigError(f"options.{name}: unknown option '{next(iter(values))}'")
                continue
            typed[name] = build(rule.options_type, values, f"options.{name}")
        object.__setattr__(self, "_typed", typed)
        object.__setattr__(self, "_severities", {entry.name: self._severity(entry) for entry in CATALOGUE})

    def _severity(self, rule: Entry) -> Severity | None:
        if rule.name in self.levels:
            return LEVELS[self.levels[rule.name]]
        if rule.group in self.levels:
            return LEVELS[self.levels[rule.group]]
        if rule.guideline and not self.guidelines:
            return None
        return rule.level

    def level_of(self, rule_name: str) -> Severity | None:
        """The configured severity of a rule, or None when it is off (a guideline rule is, without guidelines).

        A name no rule has is a KeyError: a reader or a check reporting under a name that
        is not registered (ledes.rules.catalogue) is a mistake in ledes, never a finding.
        """
        try:
            return self._severities[rule_name]
        except KeyError:
            raise KeyError(f"no rule named '{rule_name}' is registered in ledes.rules") from None

    def context(self) -> Context:
        """A fresh context for one run: the approved timekeepers, the code sets with the client's own codes."""
        code_sets: Mapping[str, object] = {}
        if any(entry.guideline and self.level_of(entry.name) is not None for entry in CATALOGUE):
            from ledes import utbms  # only when a guideline rule runs

            code_sets = utbms.with_custom(utbms.code_sets(), self.custom_codes)
        return Context(self.timekeepers, code_sets, currency=self.currency, rule_currencies=self.rule_currencies)

    def options_of(self, rule: Rule) -> object:
        """The options ``rule``'s check receives: an instance of its ``options_type`` (``NO_OPTIONS`` when it has none)."""
        found = self._typed.get(rule.name)
        if found is not None:
            return found
        return NO_OPTIONS if rule.options_type is None else default_options(rule.name)


@functools.cache
def default_options(rule_name: str) -> object:
    """A rule's options at their defaults, built once."""
    rule = rule_named(rule_name)
    assert rule.options_type is not None, rule_name
    return build(rule.options_type, {}, f"options.{rule_name}")
