"""How a conversion loss names its values: each distinct value with what becomes of it, the first few, and where."""

from __future__ import annotations

from ledes.figures import counted

_LISTED = 5  # distinct values a loss names; past them it counts them


def distinct(values: list[tuple[object, str]]) -> dict[tuple[str, str], int]:
    """Each distinct (quoted value, outcome), in the order first met, with the places that have it."""
    counts: dict[tuple[str, str], int] = {}
    for value, outcome in values:
        key = (_quoted(value), outcome)
        counts[key] = counts.get(key, 0) + 1
    return counts


def _quoted(value: object) -> str:
    """A value in quotes that cannot be mistaken for its neighbours': ``'A'``, or ``"A', 'B"`` when it holds ``'``."""
    text = str(value)
    return f'"{text}"' if "'" in text and '"' not in text else f"'{text}'"


def _places(counts: dict[tuple[str, str], int], shown: int, places: int) -> str:
    """``4 places``, or ``2 other values, 9 places in all`` when some values are not shown."""
    hidden = len(counts) - shown
    return f"{counted(hidden, 'other value')}, {places} places in all" if hidden else f"{places} places"


def dropped(values: list[object]) -> str:
    """A flat target's loss: ``'GBP' would be dropped``, ``'O' in 2 places ...``, ``'126' and '140' (2 places) ...``."""
    counts = distinct([(value, "") for value in values])
    if len(counts) == 1:
        [(quoted, _)] = counts
        return f"{quoted}{f' in {len(values)} places' if len(values) > 1 else ''} would be dropped"
    shown = [quoted for quoted, _ in list(counts)[:_LISTED]]
    return f"{_and(shown)} ({_places(counts, len(shown), len(values))}) would be dropped"


def listed_values(values: list[tuple[object, str]], joiner: str = ": ") -> str:
    """A read-back loss: each distinct value with what becomes of it (the first few), and in how many places."""
    counts = distinct(values)
    if len(counts) == 1:  # one value, once or in several places
        [(quoted, outcome)] = counts
        more = len(values) - 1
        return f"{quoted}{joiner}{outcome}" + (f" (and in {counted(more, 'more place', 'more places')})" if more else "")
    shown = list(counts)[:_LISTED]
    by_outcome: dict[str, list[str]] = {}
    for quoted, outcome in shown:
        by_outcome.setdefault(outcome, []).append(quoted)
    return ("; ".join(f"{_and(listed)}{joiner}{outcome}" for outcome, listed in by_outcome.items())
            + f" ({_places(counts, len(shown), len(values))})")


def _and(values: list[str]) -> str:
    """``'a', 'b' and 'c'``."""
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} and {values[-1]}"
