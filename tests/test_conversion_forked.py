"""Convert's output checked by a forked child as it is written (``ledes.outputcheck.forked``) finds what one process finds.

The parent writes the output and checks it against its schema on the way; the child reads
the same bytes as ``ledes validate`` would and compares each invoice with the source's.
These tests are the proof that it may: the same conversion (result, losses, findings,
bytes) as in one process for every fixture, the fast path taken; an output read back whole
for its losses (too large to validate) gives the same losses; the CLI writes the same bytes
(in process and as a real process); a writer error, a failing or vanishing child are
reported as in one process, with no child left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conversion_support import converted, many_invoices, with_control_character

from ledes import api, outputcheck, spooled
from ledes.errors import LedesError, LedesWriteError
from ledes.formats import format_named
from ledes.outputcheck import forked
from ledes.workers import can_fork

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(path for folder in ("1998b", "1998bi", "xml", "rules") for path in (ROOT / "fixtures" / folder).rglob("*")
                 if path.suffix in (".txt", ".xml"))
LAW_FIRM = "Law Offices of John Smith"
sys.path.insert(0, str(ROOT / "tests" / "golden"))

from everyrule import write_every_rule_file  # noqa: E402

pytestmark = pytest.mark.skipif(not can_fork(), reason="the check forks: Linux only")


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every source forks its check, whatever its size, as if a second processor were free; the child's losses wait
    on disk past two and come back two at a time."""
    monkeypatch.setattr(forked, "MIN_BYTES", 0)
    monkeypatch.setattr(forked, "processors", lambda: 2)
    monkeypatch.setattr(forked, "_LOSSES_SENT", 2)
    monkeypatch.setattr(spooled, "RECORDS_HELD", 2)


def one_process(monkeypatch: pytest.MonkeyPatch, source: Path, out: Path) -> tuple[object, bytes | None]:
    with monkeypatch.context() as patched:
        patched.setattr(forked, "FORKING", False)
        return converted(source, format_named("xml2.1"), out)


def test_every_fixture_converts_the_same_checked_by_a_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            forking: None):
    real_check = forked.ForkedCheck.check
    outcomes = {"by the child": 0, "once written": 0}

    def counted_check(self, invoices):
        outcome, whole = real_check(self, invoices)
        outcomes["by the child" if outcome is not None else "once written"] += 1
        return outcome, whole

    monkeypatch.setattr(forked.ForkedCheck, "check", counted_check)
    for source in SOURCES:
        out = tmp_path / "out.xml"
        assert converted(source, format_named("xml2.1"), out) == one_process(monkeypatch, source, out), source
    assert outcomes["by the child"] > 20, outcomes
    assert outcomes["once written"] > 0, outcomes  # the invalid outputs: checked again, as in one process


def test_an_output_read_back_whole_by_the_child_gives_the_same_losses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      forking: None):
    """Over the XML ceiling the validation reads no invoice (``xml.size``): the losses are the child's whole reading.

    Simulated as ``tests/test_conversion_output_losses.py`` does: a ceiling of 0 bytes, a validation reading nothing.
    """
    real_validated = outputcheck.validated
    whole_readings = []
    real_check = forked.ForkedCheck.check

    def counted_check(self, invoices):
        outcome, whole = real_check(self, invoices)
        whole_readings.append(whole)
        return outcome, whole

    monkeypatch.setattr(forked.ForkedCheck, "check", counted_check)
    compared = 0
    for source in SOURCES:
        out = tmp_path / "out.xml"
        with monkeypatch.context() as patched:
            patched.setattr(outputcheck, "xml_ceiling", lambda: 0)
            patched.setattr(outputcheck, "validated", lambda path, format, on_invoice=None: real_validated(path, format))
            alone = one_process(patched, source, out)
            whole_readings.clear()
            assert converted(source, format_named("xml2.1"), out) == alone, source
        compared += any(whole is not None for whole in whole_readings)
    assert compared > 20


def test_the_cli_writes_the_same_bytes_checked_by_a_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          forking: None):
    from ledes_cli.main import main

    sources = [write_every_rule_file(tmp_path / "everyrule.txt"), tmp_path / "many.txt"]
    sources[1].write_text(many_invoices(30), encoding="utf-8")
    for source in sources:
        runs = []
        for forks in (False, True):
            monkeypatch.setattr(forked, "FORKING", forks)
            out = tmp_path / "out.xml"
            out.unlink(missing_ok=True)
            result = CliRunner().invoke(main, ["convert", str(source), "--to", "xml2.1", "--allow-loss",
                                               "--law-firm-name", LAW_FIRM, "-o", str(out)])
            runs.append((result.exit_code, result.stdout, result.stderr, out.read_bytes()))
        assert runs[0] == runs[1], source
        assert (source == sources[0]) == ("lost: " in runs[0][1] + runs[0][2])  # the every-rule file loses values


def test_a_real_process_checked_by_a_child_writes_what_one_process_writes(tmp_path: Path):
    """As a subprocess, on a source of ``MIN_BYTES``: the child writes nothing of its own to stdout or stderr."""
    source = tmp_path / "large.txt"
    copies = forked.MIN_BYTES // (len(many_invoices(2).encode()) - len(many_invoices(1).encode())) + 1
    source.write_text(many_invoices(copies), encoding="utf-8")
    assert source.stat().st_size >= forked.MIN_BYTES
    command = [sys.executable, "-c", "import sys; from ledes.outputcheck import forked;"
               " forked.FORKING = sys.argv.pop(1) == 'fork'; forked.processors = lambda: 2;"
               " from ledes_cli.main import main; main()"]
    runs = []
    for mode in ("one", "fork"):
        out = tmp_path / f"{mode}.xml"
        run = subprocess.run([*command, mode, "convert", str(source), "--to", "xml2.1", "--allow-loss", "--law-firm-name",
                              LAW_FIRM, "-o", str(out)], capture_output=True, timeout=300)
        runs.append((run.returncode, (run.stdout + run.stderr).replace(str(out).encode(), b"OUT"), out.read_bytes()))
    assert runs[0] == runs[1]
    assert runs[0][0] == 0 and runs[0][1].startswith(b"wrote OUT: ")


def test_a_writer_error_mid_way_is_raised_nothing_written_no_child_left(tmp_path: Path, forking: None):
    source = with_control_character(tmp_path / "in.txt")
    out = tmp_path / "out.xml"
    with pytest.raises(LedesWriteError, match="control character"):
        api.convert(source, out, to="xml2.1", allow_loss=True, law_firm_name=LAW_FIRM)
    assert not out.exists()
    assert not list(tmp_path.glob(".out.xml.*"))
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every child reaped


def test_an_error_in_the_child_is_raised_in_the_parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forking: None):
    source = tmp_path / "in.txt"
    source.write_text(many_invoices(40), encoding="utf-8")

    def failing(*args, **kwargs):
        raise LedesError("the source changed")

    monkeypatch.setattr(forked, "compared_losses", failing)
    with pytest.raises(LedesError, match="the source changed"):
        api.convert(source, tmp_path / "out.xml", to="xml2.1", allow_loss=True, law_firm_name=LAW_FIRM)
    assert not (tmp_path / "out.xml").exists()


def test_a_child_that_ends_without_a_word_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forking: None):
    source = tmp_path / "in.txt"
    source.write_text(many_invoices(40), encoding="utf-8")
    monkeypatch.setattr(forked, "compared_losses", lambda *args: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(LedesError, match=f"ended with signal {int(signal.SIGKILL)}"):
        api.convert(source, tmp_path / "out.xml", to="xml2.1", allow_loss=True, law_firm_name=LAW_FIRM)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_a_check_forks_only_for_a_large_regular_source_with_a_second_processor(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch):
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_bytes(b"x")
    with open(large, "wb") as handle:
        handle.truncate(forked.MIN_BYTES)
    xml, flat = format_named("xml2.1"), format_named("1998b")
    monkeypatch.setattr(forked, "processors", lambda: 2)
    assert forked.forks_check(large, xml)
    assert not forked.forks_check(small, xml)
    assert not forked.forks_check(large, flat)  # no text in pieces: written, then checked
    monkeypatch.setattr(forked, "processors", lambda: 1)
    assert not forked.forks_check(large, xml)
