"""A value quoted in a message shows a control character as the escape every output shows it as, not as '?'."""

from __future__ import annotations

from pathlib import Path

import ledes
from ledes.formats.recognise import printable

GOOD = Path(__file__).resolve().parents[2] / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"


def test_control_characters_are_escapes_a_tab_a_space_an_undecodable_byte_a_question_mark():
    assert printable("a\x1b[2Jb\tc\ufffd\u202e") == "a\\x1b[2Jb c?\\u202e"
    assert printable("x" * 70, 60) == "x" * 60 + "…"


def test_a_value_that_differs_between_rows_is_quoted_with_its_escapes(tmp_path: Path):
    lines = GOOD.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace("|00711|", "|00711\x1b[2J|", 1)
    path = tmp_path / "invoice.txt"
    path.write_text("".join(lines), encoding="utf-8")
    [finding] = [d for d in ledes.validate_file(path).diagnostics if d.rule == "invoice.consistent-fields"]
    assert "'00711\\x1b[2J' here" in finding.message
