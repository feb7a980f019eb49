"""What a narrative check reports: the three labels and the finding."""

from __future__ import annotations

import attrs

BLOCK_BILLING = "block-billing"
VAGUE = "vague"
ADMINISTRATIVE = "administrative"


@attrs.frozen
class NarrativeFinding:
    """What a narrative check found: its label, the words that triggered it, and why, in one sentence."""

    label: str
    words: tuple[str, ...]
    reason: str
