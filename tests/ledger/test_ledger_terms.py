"""The guidelines' [receivables] windows: defaults stated, a client's own read, mistakes named with their path."""

from __future__ import annotations

import pytest

from ledes.errors import LedesConfigError
from ledes.guidelines import RECEIVABLES_DEFAULTS, load, preset

from .schema import ROOT


def test_the_defaults_and_a_clients_own_terms():
    """Without [receivables] the defaults apply (30/60/30/30 days); a client's file overrides what it names."""
    assert RECEIVABLES_DEFAULTS == {"payment_terms_days": 30, "resubmission_window_days": 60,
                                    "appeal_window_days": 30, "appeal_answer_days": 30}
    assert preset("default").receivables == RECEIVABLES_DEFAULTS
    assert load(ROOT / "fixtures" / "ledger" / "greenfield-guidelines.toml").receivables["payment_terms_days"] == 45


@pytest.mark.parametrize(("text", "message"), [
    ("[receivables]\npayment_days = 30\n", "receivables.payment_days: unknown key; did you mean 'payment_terms_days'?"),
    ("[receivables]\nappeal_window_days = \"30\"\n", "receivables.appeal_window_days: expected a whole number of days"),
    ("[receivables]\nappeal_window_days = -1\n", "receivables.appeal_window_days: expected a whole number of days"),
])
def test_a_mistake_in_the_receivables_table_is_named(tmp_path, text, message):
    """An unknown key or a value that is not a whole number of days is a LedesConfigError with its path."""
    path = tmp_path / "g.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LedesConfigError, match=message.replace("?", r"\?")):
        load(path)
