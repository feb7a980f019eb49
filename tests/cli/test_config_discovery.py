"""The configuration in the repository: ledes.toml or [tool.ledes] found upward, --no-config, --show-config, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
INVALID = ROOT / "fixtures" / "1998b" / "invalid" / "travisbashor_tests-data_ledes_98B.txt"  # 3 errors, 3 rules
MULTI_MATTER = ROOT / "fixtures" / "1998b" / "valid" / "multi_matter.txt"  # strict guidelines: time.increment


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def repository(tmp_path, monkeypatch):
    """A repository with a subdirectory, the current directory."""
    below = tmp_path / "bills" / "2024"
    below.mkdir(parents=True)
    monkeypatch.chdir(below)
    return tmp_path


def test_ledes_toml_is_found_from_a_subdirectory(repository):
    (repository / "ledes.toml").write_text('select = ["arithmetic"]\nformat = "json"\nfail-on = "never"\n')
    result = run("validate", INVALID)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert [d["rule"] for d in document["files"][0]["diagnostics"]] == ["arithmetic.invoice-total"]


def test_tool_ledes_in_pyproject_is_found_from_a_subdirectory(repository):
    (repository / "pyproject.toml").write_text('[project]\nname = "bills"\n\n[tool.ledes]\nignore = ["invoice"]\n')
    result = run("validate", "--format", "concise", INVALID)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [result.stdout.splitlines()[0], "1 file: 1 error, 0 warnings"]


def test_the_nearest_file_wins_and_a_pyproject_without_the_table_is_passed_over(repository):
    (repository / "ledes.toml").write_text('select = ["arithmetic"]\n')
    (repository / "bills" / "pyproject.toml").write_text('[project]\nname = "bills"\n')
    (repository / "bills" / "2024" / "pyproject.toml").write_text('[tool.ledes]\nselect = ["invoice"]\n')
    assert "2 errors" in run("validate", INVALID).stdout
    (repository / "bills" / "2024" / "pyproject.toml").unlink()
    assert "1 error," in run("validate", INVALID).stdout


def test_the_command_line_wins_over_the_file(repository):
    (repository / "ledes.toml").write_text('format = "json"\nfail-on = "never"\n')
    result = run("validate", "--format", "text", "--fail-on", "error", INVALID)
    assert result.exit_code == 1 and result.stdout.startswith(str(INVALID))


def test_a_file_with_guidelines_turns_the_guideline_rules_on(repository):
    (repository / "ledes.toml").write_text('extends = "strict"\nclient = "Northwind"\nformat = "json"\nledger = "books.db"\n')
    document = json.loads(run("validate", MULTI_MATTER).stdout)
    assert "time.increment" in {d["rule"] for d in document["files"][0]["diagnostics"]}
    assert document["summary"]["at_risk"] == "10.00"


def test_no_config_ignores_the_files(repository):
    (repository / "ledes.toml").write_text('select = ["arithmetic"]\n')
    assert "3 errors" in run("validate", "--no-config", INVALID).stdout


def test_guidelines_option_names_the_file_instead(repository, tmp_path):
    (repository / "ledes.toml").write_text('select = ["arithmetic"]\n')
    named = tmp_path / "client.toml"
    named.write_text('extends = "strict"\nignore = ["arithmetic"]\n')
    result = run("validate", "--guidelines", named, "--format", "json", MULTI_MATTER, INVALID)
    rules = {d["rule"] for f in json.loads(result.stdout)["files"] for d in f["diagnostics"]}
    assert "time.increment" in rules and not any(rule.startswith("arithmetic") for rule in rules)


def test_show_config_says_where_each_value_came_from(repository):
    (repository / "ledes.toml").write_text('select = ["arithmetic", "field.date"]\nformat = "json"\n')
    config = repository / "ledes.toml"
    result = run("validate", "--show-config", "--fail-on", "warning")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"# configuration file: {config}"
    assert lines[1] == "format = 'json'".ljust(48) + f"# {config}"
    assert lines[2] == "select = ['arithmetic', 'field.date']".ljust(48) + f"# {config}"
    assert lines[3] == "ignore = []".ljust(48) + "# default"
    assert lines[4] == "fail-on = 'warning'".ljust(48) + "# --fail-on"
    assert lines[5] == "guidelines = off".ljust(48) + f"# {config}"
    assert lines[-1].startswith("off = ") and "structure.header" in lines[-1] and "field.date" not in lines[-1]
    bare = run("validate", "--show-config", "--no-config").stdout.splitlines()
    assert bare[0] == "# configuration file: none" and bare[1] == "format = 'text'".ljust(48) + "# default"


@pytest.mark.parametrize("text, problem", [
    ('select = ["arithmetc"]\n', "select: no rule or group named 'arithmetc'; did you mean 'arithmetic'?"),
    ('format = "yaml"\n', "format: expected one of text, json, sarif, junit, github, concise, found 'yaml'"),
    ('clent = "Northwind"\n', "clent: unknown key; did you mean 'client'?"),
    ('select = [\n', "not valid TOML"),
])
def test_an_error_in_a_discovered_file_names_that_file(repository, text, problem):
    (repository / "ledes.toml").write_text(text)
    result = run("validate", INVALID)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ledes: error: {repository / 'ledes.toml'}: ") and problem in result.stderr
    assert result.stderr.count("\n") == 1


def test_an_error_in_tool_ledes_names_pyproject(repository):
    (repository / "pyproject.toml").write_text('[tool.ledes]\nfail-on = "sometimes"\n')
    result = run("validate", INVALID)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ledes: error: {repository / 'pyproject.toml'} [tool.ledes]: fail-on: ")


def test_a_removed_working_folder_has_no_configuration(tmp_path, monkeypatch):
    """Run from a folder removed under the shell: nothing to search from, so the defaults; no traceback."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    result = run("validate", "--format", "json", INVALID)
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["summary"]["errors"] == 3
    assert run("ledger", "aging").exit_code == 2  # no ledger given: one line, as anywhere


def test_a_configuration_linked_to_nothing_is_one_line_not_ignored(tmp_path, monkeypatch):
    """A ledes.toml that is a link to a missing file was meant to apply: say so, exit 2, rather than run without it."""
    (tmp_path / "ledes.toml").symlink_to(tmp_path / "shared" / "ledes.toml")
    monkeypatch.chdir(tmp_path)
    result = run("validate", INVALID)
    assert result.exit_code == 2
    assert "ledes.toml': it is a link to" in result.stderr and "which does not exist" in result.stderr
    assert len(result.stderr.splitlines()) == 1
