"""Fee-narrative analysis behind the narrative rules: block billing, vague descriptions, clerical work."""

from __future__ import annotations

from ledes.narratives.clerical import DEFAULT_ADMINISTRATIVE_PHRASES, administrative
from ledes.narratives.finding import (
    ADMINISTRATIVE,
    BLOCK_BILLING,
    VAGUE,
    NarrativeFinding,
)
from ledes.narratives.tasks import block_billing
from ledes.narratives.vagueness import DEFAULT_MIN_WORDS, DEFAULT_VAGUE_PHRASES, vague

__all__ = [
    "ADMINISTRATIVE",
    "BLOCK_BILLING",
    "DEFAULT_ADMINISTRATIVE_PHRASES",
    "DEFAULT_MIN_WORDS",
    "DEFAULT_VAGUE_PHRASES",
    "VAGUE",
    "NarrativeFinding",
    "administrative",
    "block_billing",
    "vague",
]
