"""ledes explain and ledes rules: one rule, a group, JSON, did-you-mean; docs/rules.md is the rules' own documentation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import ledes
from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_docs_rules_md_is_current():
    """docs/rules.md is what `ledes rules --format markdown` prints: regenerate it when a rule's docstring changes."""
    generated = run("rules", "--format", "markdown").stdout
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == generated, (
        "docs/rules.md is stale: run `ledes rules --format markdown > docs/rules.md`")
    for rule in ledes.ALL_RULES:
        assert f"\n### {rule.name}\n" in generated


def test_explain_a_rule():
    result = run("explain", "time.daily-hours")
    assert result.exit_code == 0
    rule = next(r for r in ledes.ALL_RULES if r.name == "time.daily-hours")
    assert result.stdout.startswith("time.daily-hours (default level: warning; a client guideline rule")
    assert "Options (defaults): max_hours = 10" in result.stdout
    assert rule.doc in result.stdout
    assert run("rules", "time.daily-hours").stdout == result.stdout


def test_a_mistyped_rule_gets_a_suggestion():
    for command in ("explain", "rules"):
        result = run(command, "time.daily-hour")
        assert result.exit_code == 2
        assert result.stderr == ("ledes: error: no rule or group named 'time.daily-hour';"
                                 " did you mean 'time.daily-hours'?\n")
    assert "`ledes rules` lists them" in run("explain", "zzzzzz").stderr


def test_rules_of_a_group():
    lines = run("rules", "arithmetic").stdout.splitlines()
    names = [line.split()[0] for line in lines]
    assert names == [rule.name for rule in ledes.ALL_RULES if rule.group == "arithmetic"]
    assert len(names) > 2


def test_rules_as_json():
    listed = json.loads(run("rules", "--format", "json").stdout)
    assert [entry["name"] for entry in listed] == [rule.name for rule in ledes.ALL_RULES]
    cap = next(entry for entry in listed if entry["name"] == "rates.cap")
    assert cap["guideline"] is True and cap["group"] == "rates" and cap["level"] in {"error", "warning", "info"}
    assert json.loads(run("rules", "arithmetic.line-total", "--format", "json").stdout)[0]["options"] == {"tolerance": "0", "rounding": "half-up"}


def test_python_m_ledes_runs_the_command():
    """`python -m ledes` is the ledes command (ledes/__main__.py, outside the layers; nothing imports it)."""
    result = subprocess.run([sys.executable, "-m", "ledes", "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout == f"ledes, version {ledes.__version__}\n"
    listed = subprocess.run([sys.executable, "-m", "ledes", "rules", "arithmetic"], capture_output=True, text=True,
                            timeout=60)
    assert listed.stdout.startswith("arithmetic.")
