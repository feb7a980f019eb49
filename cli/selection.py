"""``--select`` and ``--ignore``: which rules count, by name or group prefix, the longest match deciding (as flake8's)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ledes import LedesConfigError
from ledes.rules.catalogue import CATALOGUE, ENTRIES, GROUPS


def split(values: Iterable[str]) -> tuple[str, ...]:
    """``--select a,b --select c`` (or a list from a configuration file) as ``(a, b, c)``."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _matches(prefix: str, name: str) -> bool:
    """A prefix names a rule (``field.date``), a group (``arithmetic``) or a dotted start of names (``field``)."""
    return name == prefix or name.startswith(prefix + ".")


def check_prefixes(prefixes: Iterable[str], option: str) -> None:
    """Each prefix names a rule or a group; a LedesConfigError with a did-you-mean otherwise."""
    for prefix in prefixes:
        if prefix not in ENTRIES and prefix not in GROUPS and not any(_matches(prefix, r) for r in ENTRIES):
            from .rule_docs import suggestion  # only for a mistake

            raise LedesConfigError(f"{option}: no rule or group named '{prefix}'"
                                   f"{suggestion(prefix, [*ENTRIES, *GROUPS])}")


def deselected(select: tuple[str, ...], ignore: tuple[str, ...]) -> dict[str, str]:
    """The levels that turn off each rule not selected: ``{rule: "off"}``.

    For each rule the longest selecting or ignoring prefix that matches it decides (an
    ``--ignore arithmetic`` with ``--select arithmetic.line-total`` keeps that one rule);
    with no match, a rule counts unless ``--select`` was given.
    """
    off: dict[str, str] = {}
    for rule in CATALOGUE:
        chosen = [(len(p), True) for p in select if _matches(p, rule.name)]
        chosen += [(len(p), False) for p in ignore if _matches(p, rule.name)]
        keep = max(chosen)[1] if chosen else not select
        if not keep:
            off[rule.name] = "off"
    return off


def with_selection(levels: Mapping[str, str], select: tuple[str, ...], ignore: tuple[str, ...]) -> dict[str, str]:
    """``levels`` with every rule not selected turned off."""
    return {**levels, **deselected(select, ignore)}
