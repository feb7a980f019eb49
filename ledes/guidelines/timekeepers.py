"""A guidelines file's ``[[timekeepers]]``: the approved timekeepers, their classifications and effective-dated rates.

Each entry is checked where it stands: its id is text, its classification a LEDES code, its
rates numbers with dates. Two entries for one id in one file are one timekeeper whose rate
periods are given in two places: they are joined when they agree (the same name and
classification where both give one). Rate periods may follow or nest in one another: on a
day several cover, the latest-starting one applies (a temporary rate inside an open-ended
one). Two periods that start on the same day (or both without ``from``) leave the rate of
that day to chance, and are refused, as is an entry that contradicts another for its id.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from ledes.errors import LedesConfigError
from ledes.rules import options as rule_options
from ledes.rules.base import ApprovedTimekeeper, RatePeriod

_TIMEKEEPER = frozenset({"id", "name", "classification", "rates"})
_RATE = frozenset({"rate", "from", "until"})

CheckKeys = Callable[[dict, frozenset[str], str, str], None]
ListOfTables = Callable[[object, str, str], list[dict]]


def read_timekeepers(value: object, where: str, tables: ListOfTables, check_keys: CheckKeys
                     ) -> dict[str, ApprovedTimekeeper]:
    """The approved timekeepers of one file's ``[[timekeepers]]``, by id; a mistake is a LedesConfigError."""
    timekeepers: dict[str, ApprovedTimekeeper] = {}
    paths: dict[str, tuple[str, list[str]]] = {}  # per id: the entry that first gave it, and each rate's path
    for index, entry in enumerate(tables(value, where, "timekeepers")):
        path = f"timekeepers[{index}]"
        check_keys(entry, _TIMEKEEPER, where, path)
        keeper, rate_paths = _timekeeper(entry, where, path, tables, check_keys)
        earlier = timekeepers.get(keeper.id)
        if earlier is None:
            timekeepers[keeper.id] = keeper
            paths[keeper.id] = (path, rate_paths)
            continue
        first, earlier_paths = paths[keeper.id]
        timekeepers[keeper.id] = _joined(earlier, keeper, f"{where}: {path}: timekeeper '{keeper.id}' is listed"
                                                          f" again (first as {first})")
        earlier_paths.extend(rate_paths)
    for keeper_id, keeper in timekeepers.items():
        _check_periods(keeper, paths[keeper_id][1], where)
    return timekeepers


def _timekeeper(entry: dict, where: str, path: str, tables: ListOfTables,
                check_keys: CheckKeys) -> tuple[ApprovedTimekeeper, list[str]]:
    """One entry's timekeeper, with the path of each of its rates."""
    keeper_id = entry.get("id")
    if isinstance(keeper_id, int) and not isinstance(keeper_id, bool):
        raise LedesConfigError(f"{where}: {path}.id: expected text (quote it: \"{keeper_id}\"; leading zeros matter)")
    if not isinstance(keeper_id, str) or not keeper_id.strip():
        raise LedesConfigError(f"{where}: {path}.id: expected the timekeeper's id as text, found {rule_options.shown(keeper_id)}")
    for name in ("name", "classification"):
        if name in entry and not isinstance(entry[name], str):
            raise LedesConfigError(f"{where}: {path}.{name}: expected text, found {rule_options.shown(entry[name])}")
    periods, rate_paths = [], []
    for index, rate in enumerate(tables(entry.get("rates", []), where, f"{path}.rates")):
        rate_path = f"{path}.rates[{index}]"
        check_keys(rate, _RATE, where, rate_path)
        if "rate" not in rate:
            raise LedesConfigError(f"{where}: {rate_path}.rate: expected the approved hourly rate, found nothing")
        amount = _rate(rate["rate"], where, f"{rate_path}.rate")
        start, end = (_date(rate.get(name), where, f"{rate_path}.{name}") for name in ("from", "until"))
        if start and end and end < start:
            raise LedesConfigError(f"{where}: {rate_path}: until ({end}) is before from ({start})")
        periods.append(RatePeriod(amount, start, end))
        rate_paths.append(rate_path)
    classification = _classification(entry.get("classification"), where, f"{path}.classification")
    return ApprovedTimekeeper(keeper_id, entry.get("name"), classification, tuple(periods)), rate_paths


def _classification(value: str | None, where: str, path: str) -> str | None:
    """A LEDES timekeeper classification code, upper-cased; an empty one is none. Any other is refused: the
    ``timekeeper.classification`` and ``rates.cap`` checks would compare every line with a code none can bill."""
    if value is None or not value.strip():
        return None
    try:
        return rule_options.classification(value)
    except rule_options.OptionError as error:
        raise LedesConfigError(f"{where}: {path}: {error}") from None


def _joined(earlier: ApprovedTimekeeper, later: ApprovedTimekeeper, mistake: str) -> ApprovedTimekeeper:
    """Two entries for one id as one timekeeper: their rates together; a name or classification that differs is
    a mistake (``mistake`` begins its message)."""
    for what, first, second in (("classification", earlier.classification, later.classification),
                                ("name", earlier.name, later.name)):
        if first is not None and second is not None and first.strip() != second.strip():
            raise LedesConfigError(f"{mistake} with {what} '{second}', not '{first}'; list each timekeeper once,"
                                   " with all of their rates")
    return ApprovedTimekeeper(earlier.id, earlier.name if earlier.name is not None else later.name,
                              earlier.classification or later.classification, earlier.rates + later.rates)


def _check_periods(keeper: ApprovedTimekeeper, paths: list[str], where: str) -> None:
    """No two rate periods of a timekeeper start on the same day (or both without ``from``): the latest-starting
    period covering a day gives its rate, and of two that start together neither is the latest."""
    starts: dict[date | None, int] = {}
    for index, period in enumerate(keeper.rates):
        other = starts.setdefault(period.start, index)
        if other == index:
            continue
        since = f"from {period.start}" if period.start is not None else "without a from date"
        raise LedesConfigError(
            f"{where}: {paths[index]}: timekeeper '{keeper.id}' has a second rate {since} ({period.rate};"
            f" {paths[other]} gives {keeper.rates[other].rate}), so its rate on the days both cover is ambiguous;"
            " give one rate per period, each starting on its own date")


def _rate(value: object, where: str, path: str) -> Decimal:
    """An approved hourly rate: a number of at least 0, within the bounds of any option's number."""
    try:
        return rule_options.to_amount(value, minimum=Decimal(0))
    except rule_options.OptionError as error:
        raise LedesConfigError(f"{where}: {path}: {error}") from None


def _date(value: object, where: str, path: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise LedesConfigError(f"{where}: {path}: expected a date such as 2024-01-01, found {rule_options.shown(value)}")

