"""Convert checks its LEDES XML output as it writes it (``ledes.outputcheck.AsWritten``), as it would once written.

The validating reader pulls the writer's text a piece at a time, each piece written to the
output before it is read, and each invoice written is compared with the one read back. These
tests are the proof that it may: the same conversion (result, losses, findings, bytes) as
when the output is written first and then checked (the source read again beside it), for
every fixture; the path is the one taken; an error of the writer mid-way is raised as
before, nothing written; the invoices waiting for their comparison are those the reader has read ahead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conversion_support import converted, many_invoices, with_control_character

from ledes import api, outputcheck
from ledes.errors import LedesWriteError
from ledes.formats import format_named
from ledes.formats.xmlbytes import HEAD_BYTES

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(path for folder in ("1998b", "1998bi", "xml", "rules") for path in (ROOT / "fixtures" / folder).rglob("*")
                 if path.suffix in (".txt", ".xml"))


def test_every_fixture_converts_the_same_checked_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    target = format_named("xml2.1")
    real_check = outputcheck.AsWritten.check
    outcomes = {"checked as written": 0, "checked once written": 0}

    def counted_check(self, *args):
        outcome = real_check(self, *args)
        outcomes["checked as written" if outcome is not None else "checked once written"] += 1
        return outcome

    monkeypatch.setattr(outputcheck.AsWritten, "check", counted_check)
    for source in SOURCES:
        out = tmp_path / "out.xml"
        with monkeypatch.context() as patched:
            patched.setattr(api, "checked_as_written", lambda source, writer: False)
            once_written = converted(source, target, out)
        assert converted(source, target, out) == once_written, source
    assert outcomes["checked as written"] > 20, outcomes


def test_a_writer_error_mid_way_is_raised_and_nothing_is_written(tmp_path: Path):
    source = with_control_character(tmp_path / "in.txt")
    out = tmp_path / "out.xml"
    with pytest.raises(LedesWriteError, match="control character"):
        api.convert(source, out, to="xml2.1", allow_loss=True, law_firm_name="Law Offices of John Smith")
    assert not out.exists()
    assert not list(tmp_path.glob(".out.xml.*"))


def test_the_invoices_waiting_for_their_comparison_are_those_read_ahead(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch):
    """At most the invoices in the bytes the reader takes ahead (its first read: ``HEAD_BYTES``), and one more."""
    source = tmp_path / "in.txt"
    source.write_text(many_invoices(40), encoding="utf-8")
    waiting: list[int] = []
    real_kept = outputcheck.AsWritten.kept

    def watched(self, invoices):
        for invoice in real_kept(self, invoices):
            waiting.append(len(self.originals))
            yield invoice

    monkeypatch.setattr(outputcheck.AsWritten, "kept", watched)
    out = tmp_path / "out.xml"
    result = api.convert(source, out, to="xml2.1", allow_loss=True, law_firm_name="Law Offices of John Smith")
    assert result.invoices == len(waiting) == 120
    read_ahead = HEAD_BYTES // (out.stat().st_size // 120) + 2
    assert read_ahead < 40
    assert max(waiting) <= read_ahead


def test_line_ends_and_characters_past_ascii_are_written_as_the_writer_gives_them(tmp_path: Path,
                                                                                  monkeypatch: pytest.MonkeyPatch):
    """The pieces checked as written go to the output as UTF-8 bytes, encoded once: CR (escaped), LF, CRLF and
    characters past ASCII (one past the BMP) as a conversion written first and then checked writes them."""
    sample = (ROOT / "fixtures" / "xml" / "ledes21_sample.xml").read_text(encoding="utf-8")
    start = sample.index("<charge_desc>") + len("<charge_desc>")
    source = tmp_path / "in.xml"
    source.write_bytes((sample[:start] + "CR&#13;LF\nCRLF&#13;\né ’ \U0001f600 " + sample[start:]).encode("utf-8"))
    target = format_named("xml2.1")
    out = tmp_path / "out.xml"
    with monkeypatch.context() as patched:
        patched.setattr(api, "checked_as_written", lambda source, writer: False)
        once_written = converted(source, target, out)
    as_written = converted(source, target, out)
    assert as_written == once_written
    assert "CR&#13;LF\nCRLF&#13;\né ’ \U0001f600 ".encode() in as_written[1]
