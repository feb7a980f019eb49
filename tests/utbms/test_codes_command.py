"""`ledes codes`: lists the sets, a set's codes by phase, or explains a code; text and JSON; exit 2 when unknown."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ledes.utbms import code_sets, with_custom
from ledes_cli import utbms_output
from ledes_cli.main import main


def run(*args: str):
    return CliRunner().invoke(main, ["codes", *args])


def test_no_argument_lists_every_set_with_its_count_and_source():
    """Each set is listed with its key, title, number of codes and source; unverified sets say why."""
    result = run()
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "L      Litigation (ABA 1995): 34 task codes" in lines
    assert "X      Expense, LOC 2013 revision (X codes): 68 expense codes" in lines
    for key in code_sets():
        assert any(line.startswith(f"{key} ") for line in lines), key
    assert "       source: ABA Section of Litigation, Litigation Code Set, May 1995 (americanbar.org)" in lines
    assert any(line.startswith("       unverified: Partial and conflicting") for line in lines)


def test_a_set_key_lists_its_codes_with_tasks_under_their_phase():
    """`ledes codes L` lists every code, each task indented under its phase; the key is case-insensitive."""
    result = run("l")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "L: Litigation (ABA 1995), 34 task codes"
    at = lines.index("L200   Pre-Trial Pleadings and Motions")
    assert lines[at + 1] == "  L210   Pleadings"
    assert sum(1 for line in lines if line[:1] == "L" and line[1:4].isdigit()) == 5
    assert sum(1 for line in lines if line.startswith("  L")) == 29


def test_an_unverified_code_is_marked_in_its_set():
    """Codes the sources do not confirm carry an [unverified] mark in the listing."""
    lines = run("ED").output.splitlines()
    assert "L612   Legal hold  [unverified]" in lines
    assert "L611   Preservation Order" in lines


def test_a_client_code_is_listed_under_its_phase_and_marked():
    """A client's own task is listed with the phase's other tasks, in code order, marked [client]."""
    sets = with_custom(code_sets(), {"L": [("L171", "Client Review", "L100")]})
    lines = utbms_output.set_text(sets["L"]).splitlines()
    assert lines[lines.index("  L160   Settlement/Non-Binding ADR") + 1] == "  L171   Client Review  [client]"


def test_a_code_is_explained_in_every_set_that_has_it():
    """`ledes codes L210` gives its name, set, phase and the phase's name, and its note, for L and L2007."""
    result = run("L210")
    assert result.exit_code == 0, result.output
    blocks = result.output.strip().split("\n\n")
    assert len(blocks) == 2
    first = blocks[0].splitlines()
    assert first[:3] == [
        "L210   Pleadings",
        "  set: L  Litigation (ABA 1995), task codes",
        "  phase: L200 Pre-Trial Pleadings and Motions",
    ]
    assert "set: L2007" in blocks[1]


def test_a_phase_is_explained_with_its_tasks():
    """A phase lists its child tasks."""
    output = run("P200").output
    assert "  phase with 8 tasks:" in output
    assert "    P280   Other" in output


def test_an_unverified_code_says_so_with_the_reason():
    """The explanation of an unverified code gives the unverified note of the code and of its set."""
    output = run("L650").output
    assert "L650   Review  [unverified]" in output
    assert "  unverified: from one application's code table" in output
    assert "  set unverified: Partial and conflicting" in output


@pytest.mark.parametrize("argument", ["NOPE", "L290", "A100"])
def test_an_unknown_set_or_code_is_one_line_on_stderr_and_exit_2(argument):
    """Neither a set key nor a code: one error line, exit status 2, no traceback."""
    result = run(argument)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"ledes: error: no UTBMS code set or code '{argument}'; `ledes codes` lists the sets"
    ]


def test_json_set_list():
    """--format json with no argument is {"sets": [...]} with stable keys and the code counts."""
    result = run("--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert list(document) == ["sets"]
    assert [entry["key"] for entry in document["sets"]] == list(code_sets())
    for entry in document["sets"]:
        assert set(entry) == {"key", "title", "kind", "count", "source", "unverified", "notes"}
    assert document["sets"][0]["count"] == 34


def test_json_set_codes():
    """--format json with a set key is {"set": ..., "codes": [...]}, every code with the same keys."""
    document = json.loads(run("A2013", "--format", "json").output)
    assert document["set"]["key"] == "A2013" and document["set"]["unverified"] is True
    assert len(document["codes"]) == 28
    for code in document["codes"]:
        assert set(code) == {"code", "name", "set", "parent", "unverified", "note"}


def test_json_code_explanation():
    """--format json with a code is {"code": ..., "matches": [...]}, each with its phase's name and its tasks."""
    document = json.loads(run("l210", "--format", "json").output)
    assert document["code"] == "L210"
    assert [match["set"] for match in document["matches"]] == ["L", "L2007"]
    match = document["matches"][0]
    assert (match["name"], match["parent"], match["parent_name"], match["children"]) == (
        "Pleadings", "L200", "Pre-Trial Pleadings and Motions", []
    )
    phase = json.loads(run("L300", "--format", "json").output)["matches"][1]
    assert [child["code"] for child in phase["children"]] == ["L310", "L320", "L330", "L340", "L350", "L360"]


def test_help_names_every_set_key():
    """`ledes codes --help` lists every shipped set key."""
    output = run("--help").output
    for key in code_sets():
        assert f"  {key} " in output, key
