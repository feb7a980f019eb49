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
    ("[receivables]\npayment_terms_days = 99999999\n", "receivables.payment_terms_days: expected a whole number of"
     " days from 0 to 3,660, found 99999999"),
])
def test_a_mistake_in_the_receivables_table_is_named(tmp_path, text, message):
    """An unknown key or a value that is not a whole number of days is a LedesConfigError with its path."""
    path = tmp_path / "g.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LedesConfigError, match=message.replace("?", r"\?")):
        load(path)


def test_the_readme_walks_through_the_month_this_suite_recomputes():
    """The README's Receivables commands are the walk-through test_ledger_figures.py checks, in the same order."""
    from tests.test_readme_commands import shown_commands

    from .walkthrough import COMMANDS, README_DB

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = [c.command for c in shown_commands(readme) if c.command.startswith("ledes ledger ")]
    walked = [" ".join(arguments_of(c.format(db=README_DB))) for c in COMMANDS]
    assert [" ".join(arguments_of(c)) for c in shown[:len(walked)]] == walked


def arguments_of(command: str) -> list[str]:
    import shlex

    return shlex.split(command)


def test_the_ledger_is_found_from_the_option_the_environment_or_the_repository_configuration(tmp_path, monkeypatch):
    """--db, else LEDES_DB, else ledger = in the nearest ledes.toml (relative to it); none of them is exit 2."""
    from click.testing import CliRunner

    from ledes_cli.main import main

    (tmp_path / "ledes.toml").write_text('ledger = "books.sqlite"\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    monkeypatch.delenv("LEDES_DB", raising=False)
    sample = str(ROOT / "fixtures" / "1998b" / "valid" / "multi_matter.txt")
    assert CliRunner().invoke(main, ["ledger", "add", sample]).exit_code == 0
    assert (tmp_path / "books.sqlite").is_file()
    monkeypatch.setenv("LEDES_DB", str(tmp_path / "env.sqlite"))
    assert CliRunner().invoke(main, ["ledger", "add", sample]).exit_code == 0
    assert (tmp_path / "env.sqlite").is_file()
    (tmp_path / "ledes.toml").unlink()
    monkeypatch.delenv("LEDES_DB")
    result = CliRunner().invoke(main, ["ledger", "aging"])
    assert result.exit_code == 2 and "no ledger given" in result.output
