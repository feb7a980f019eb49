"""Checking the generated invoices in a forked process finds, writes and raises exactly what checking in process does."""

from __future__ import annotations

import os
import time

import pytest
from conftest import CSV_EXPORT, CSV_MAPPING, XLSX_EXPORT, XLSX_GUIDELINES, XLSX_MAPPING

from ledes.config import Config
from ledes.errors import LedesError, LedesInputError
from ledes.formats import format_named
from ledes.importing import forked, import_file
from ledes.importing.checking import InvoiceChecker

FORMATS = ["1998b", "1998bi", "xml2.0", "xml2.1", "xml2.2", "xml2000"]

# A timekeeper with 26 hours on one day over two matters (the run-wide time.daily-hours), an unknown
# classification (an error, so nothing is written), a vague narrative and a fee with no task code (warnings).
FLAGGED_ROWS = [
    '2024-03-01,C1,M1,T1,"Doe, Jane",ASSOC,13.0,200,,L110,A101,,Draft letter to opposing counsel re discovery',
    '2024-03-01,C1,M2,T1,"Doe, Jane",ASSOC,13.0,200,,L120,A102,,Review file',
    '2024-03-02,C1,M2,T2,"Roe, Ann",Senior Partner,1.0,500,,,A101,,Attention to matter',
    '2024-03-02,C2,M3,T2,"Roe, Ann",PARTNR,0.5,500,,L130,A103,,Conference with client about settlement terms',
    "2024-04-02,C2,M3,,,,1,25.00,25.00,,,E101,Copies",
]


@pytest.fixture(autouse=True)
def two_processors(monkeypatch):
    """The child is forked whatever processors the machine running the tests has."""
    monkeypatch.setattr(forked, "processors", lambda: 2)


def test_with_one_processor_the_checking_stays_in_process(monkeypatch):
    """On one processor a child would only add its overhead: the checker is this process's own."""
    monkeypatch.setattr(forked, "processors", lambda: 1)
    with forked.invoice_checker(format_named("1998b"), Config(), "out.txt") as checker:
        assert type(checker) is InvoiceChecker
    monkeypatch.setattr(forked, "processors", lambda: 2)
    with forked.invoice_checker(format_named("1998b"), Config(), "out.txt") as checker:
        assert type(checker) is forked.ForkedChecker
    assert_no_child_left()


def both_ways(monkeypatch, tmp_path, *args, **options):
    """The import's result and written bytes, checked in a forked process and then in this one."""
    outcomes = []
    out = tmp_path / "out"  # one path: findings name it
    for forking in (True, False):
        monkeypatch.setattr(forked, "FORKING", forking)
        result = import_file(*args, target=None if options.get("dry_run") else out, **options)
        outcomes.append((everything(result), out.read_bytes() if out.exists() else None))
        out.unlink(missing_ok=True)
    return outcomes


def everything(result):
    """What the result says, its spooled sequences read out."""
    return (result.rows, result.bad_rows, tuple(result.roundings), tuple(result.invoices), result.findings,
            result.written, result.blocked)


@pytest.mark.parametrize("to", FORMATS)
def test_the_samples_import_the_same_forked_or_not(monkeypatch, tmp_path, to):
    """The CSV sample, and the workbook under its client's guidelines, in every format: same result, same bytes."""
    plain = both_ways(monkeypatch, tmp_path, CSV_EXPORT, CSV_MAPPING, to=to)
    assert plain[0] == plain[1] and plain[0][1]
    rated = both_ways(monkeypatch, tmp_path, XLSX_EXPORT, XLSX_MAPPING, to=to, guidelines=XLSX_GUIDELINES)
    assert rated[0] == rated[1] and rated[0][1]


@pytest.mark.parametrize("guidelines", ["default", "strict"])
@pytest.mark.parametrize("to", ["1998b", "xml2.1"])
def test_findings_and_run_wide_findings_are_the_same_forked_or_not(monkeypatch, tmp_path, minimal, guidelines, to):
    """Errors, warnings and the run-wide rules' findings come back from the child whole, in the same order."""
    export, mapping = minimal(FLAGGED_ROWS, extra="[hours]\nrounding = \"up\"")
    found = both_ways(monkeypatch, tmp_path, export, mapping, to=to, guidelines=guidelines)
    assert found[0] == found[1]
    findings = found[0][0][4]
    assert any(f.is_error for f in findings) and len(findings) > 3
    assert "time.daily-hours" in {f.diagnostic.rule for f in findings}
    assert found[0][1] is None  # an error: nothing written
    dry = both_ways(monkeypatch, tmp_path, export, mapping, to=to, guidelines=guidelines, dry_run=True)
    assert dry[0] == dry[1] and len(dry[0][0][4]) == len(findings)  # a dry run names the source, not the output


def test_an_error_in_the_child_is_raised_in_the_parent(monkeypatch, tmp_path):
    """What the checking raises in the child is raised by the import, as it would be in process; nothing is written."""

    def failing(self, number, rows):
        raise LedesInputError(f"cannot check invoice {number}")

    monkeypatch.setattr(InvoiceChecker, "keep", failing)
    out = tmp_path / "out.txt"
    with pytest.raises(LedesInputError, match="cannot check invoice HF-202403-1041"):
        import_file(CSV_EXPORT, CSV_MAPPING, out, "1998b")
    assert not out.exists()
    assert_no_child_left()


def many_invoices(minimal) -> tuple:
    """An export of 2,000 one-line invoices: far more text than the pipe to the child holds."""
    return minimal([f'2024-03-01,C1,M{n},T1,"Doe, Jane",ASSOC,1.0,200,,L110,A101,,Draft letter {n}' for n in range(2000)])


def test_an_error_in_the_child_at_the_first_invoice_of_many_is_raised_in_the_parent(monkeypatch, tmp_path, minimal):
    """The child stops reading at its first invoice while the parent still has texts to send: its error is raised."""
    _child_fails_at_its_first_invoice(monkeypatch, tmp_path, minimal)


def _child_fails_at_its_first_invoice(monkeypatch, tmp_path, minimal) -> None:
    """Import many invoices with a child that fails at the first: its error is raised, nothing written, no child left."""

    def failing(self, number, rows):
        raise LedesInputError(f"cannot check invoice {number}")

    monkeypatch.setattr(InvoiceChecker, "keep", failing)
    export, mapping = many_invoices(minimal)
    out = tmp_path / "out.txt"
    with pytest.raises(LedesInputError, match="cannot check invoice 202403-0001"):
        import_file(export, mapping, out, "1998b")
    assert not out.exists()
    assert_no_child_left()


@pytest.mark.parametrize("invoices", ["one", "many"])
def test_a_child_that_ends_abruptly_is_a_clear_error(monkeypatch, tmp_path, minimal, invoices):
    """A child that ends without a word (killed, say) is one LedesError naming how it ended; nothing is written."""
    monkeypatch.setattr(InvoiceChecker, "keep", lambda self, number, rows: os._exit(3))
    export, mapping = many_invoices(minimal) if invoices == "many" else minimal(FLAGGED_ROWS[:1])
    out = tmp_path / "out.txt"
    with pytest.raises(LedesError, match="process ended with status 3"):
        import_file(export, mapping, out, "1998b")
    assert not out.exists()
    assert_no_child_left()


def test_the_child_is_ended_when_the_import_stops_midway(monkeypatch, tmp_path):
    """An import stopped after its first invoice (here: the second cannot be written) leaves no child, writes nothing."""
    written = forked.invoice_text

    def first_only(target, invoice):
        if invoice.number != "HF-202403-1041":
            raise KeyboardInterrupt
        return written(target, invoice)

    monkeypatch.setattr(forked, "invoice_text", first_only)
    out = tmp_path / "out.txt"
    with pytest.raises(KeyboardInterrupt):
        import_file(CSV_EXPORT, CSV_MAPPING, out, "1998b")
    assert not out.exists()
    assert_no_child_left()


def test_bad_rows_end_the_child_before_any_invoice(tmp_path, minimal):
    """Bad rows block the import before any invoice is made: the child, started early, is ended unused."""
    export, mapping = minimal(["2024-03-01,C1,M1,T1,\"Doe, Jane\",ASSOC,1.5,200,250.00,L110,A101,,Draft letter"])
    result = import_file(export, mapping, tmp_path / "out.txt", "1998b")
    assert result.bad_rows and not result.written and result.findings == ()
    assert_no_child_left()


def assert_no_child_left() -> None:
    """Every child this process started has been reaped."""
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@pytest.fixture
def small_ring(monkeypatch):
    """A ring of two files of a few kilobytes: texts of a few hundred invoices go round it many times."""
    monkeypatch.setattr(forked, "SPOOL_FILES", 2)
    monkeypatch.setattr(forked, "SPOOL_BYTES", 4096)


def test_texts_that_go_round_the_ring_many_times_import_the_same(monkeypatch, tmp_path, minimal, small_ring):
    """The parent reuses a file only once the child has finished it: every invoice checked, the same bytes written."""
    export, mapping = many_invoices(minimal)
    found = both_ways(monkeypatch, tmp_path, export, mapping, to="1998b")
    assert found[0] == found[1] and found[0][1] and len(found[0][0][3]) == 2000


def test_an_error_in_the_child_while_the_parent_waits_for_a_file_is_raised(monkeypatch, tmp_path, minimal, small_ring):
    """The child stops at its first invoice while the parent waits to reuse a file: the child's error is raised."""
    _child_fails_at_its_first_invoice(monkeypatch, tmp_path, minimal)


def test_a_burst_of_invoices_is_handed_on_while_the_child_is_still_busy(monkeypatch, tmp_path, minimal):
    """Invoices come in bursts, a billing period's at once: the parent hands on far more text than a pipe holds
    (here 2,000 invoices, about 1 MB) without waiting for the child, which checks them all once let go."""
    go, gave_up = tmp_path / "go", tmp_path / "gave-up"
    kept = InvoiceChecker.keep

    def waiting(self, number, rows):  # the child takes its first invoice, then waits until every one is handed on
        waited = 0
        while not go.exists() and not gave_up.exists():  # a parent that waits for the child would never let it go
            time.sleep(0.01)
            waited += 1
            if waited == 6000:
                gave_up.touch()
        kept(self, number, rows)

    monkeypatch.setattr(InvoiceChecker, "keep", waiting)
    finish = forked.ForkedChecker.finish

    def letting_go(self):  # every invoice handed on: the child may go on
        go.touch()
        finish(self)

    monkeypatch.setattr(forked.ForkedChecker, "finish", letting_go)
    export, mapping = many_invoices(minimal)
    result = import_file(export, mapping, tmp_path / "out.txt", "1998b")
    assert not gave_up.exists(), "the parent waited for the child while the child waited for it"
    assert result.written and len(result.invoices) == 2000 and result.findings == ()
    assert_no_child_left()
