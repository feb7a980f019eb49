"""Fee-narrative analysis behind the narrative rules: block billing, vague descriptions, clerical work.

The checks compile their patterns when first used (PEP 562), not when the rules are imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ledes.narratives.clerical import DEFAULT_ADMINISTRATIVE_PHRASES, administrative, administrative_checker
    from ledes.narratives.finding import (
        ADMINISTRATIVE,
        BLOCK_BILLING,
        VAGUE,
        NarrativeFinding,
    )
    from ledes.narratives.tasks import block_billing
    from ledes.narratives.vagueness import DEFAULT_MIN_WORDS, DEFAULT_VAGUE_PHRASES, vague, vague_checker

_HOMES = {
    "ADMINISTRATIVE": "finding",
    "BLOCK_BILLING": "finding",
    "DEFAULT_ADMINISTRATIVE_PHRASES": "clerical",
    "DEFAULT_MIN_WORDS": "vagueness",
    "DEFAULT_VAGUE_PHRASES": "vagueness",
    "VAGUE": "finding",
    "NarrativeFinding": "finding",
    "administrative": "clerical",
    "administrative_checker": "clerical",
    "block_billing": "tasks",
    "vague": "vagueness",
    "vague_checker": "vagueness",
}

__all__ = [
    "ADMINISTRATIVE",
    "BLOCK_BILLING",
    "DEFAULT_ADMINISTRATIVE_PHRASES",
    "DEFAULT_MIN_WORDS",
    "DEFAULT_VAGUE_PHRASES",
    "VAGUE",
    "NarrativeFinding",
    "administrative",
    "administrative_checker",
    "block_billing",
    "vague",
    "vague_checker",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
