"""An invoice's text is checked from its UTF-8 bytes exactly as from the text itself, in about a byte a character."""

from __future__ import annotations

import io
import tracemalloc
import weakref

from conftest import CSV_EXPORT, CSV_MAPPING
from hypothesis import given, settings
from hypothesis import strategies as st

from ledes.config import Config
from ledes.formats import format_named
from ledes.formats.ledes1998b.table import FORMAT
from ledes.importing import forked, import_file, run
from ledes.importing.checking import InvoiceChecker

PIPE = format_named("1998b")
HEAD = FORMAT.format_line + "\n" + FORMAT.header + "\n"
RECORD = ("20240131|{number}|C1|M1|250.00|20240101|20240131|Legal services|1|F|1.0||250.00|20240102|L110||A101|T1|"
          "{description}|LF1|250.00|Doe, Jane|PARTNR|CM1[]")

# Line ends of every kind, lone surrogates (those surrogateescape leaves for undecodable bytes, which a reader meets), other non-ASCII characters.
PIECES = st.sampled_from(["\r", "\n", "\r\n", "\udc80", "\udcff", "é", "€", "\ufeff", "|", "[]", "a", " "])
DESCRIPTIONS = st.lists(PIECES, max_size=30).map("".join)


def read_both_ways(text: str) -> tuple[list[object], list[object], list[object], list[object]]:
    """The invoices and findings of ``text`` read as io.StringIO(text, newline=None), then through ``read``."""
    checker = InvoiceChecker(PIPE, Config(), "out.txt")
    as_text = list(PIPE.read(io.StringIO(text, newline=None), checker.sink.emit, checker.sink.path))
    text_findings = list(checker.sink.diagnostics)
    checker.sink.diagnostics.clear()
    as_bytes = list(checker.read(text.encode("utf-8", "surrogatepass")))
    return as_text, as_bytes, text_findings, list(checker.sink.diagnostics)


@settings(max_examples=200, deadline=None)
@given(st.lists(DESCRIPTIONS, min_size=1, max_size=4), st.sampled_from(["\n", "\r\n", "\r"]))
def test_the_bytes_are_read_as_the_text(descriptions, end):
    text = HEAD.replace("\n", end) + "".join(RECORD.format(number="INV-1", description=description) + end for description in descriptions)
    as_text, as_bytes, text_findings, bytes_findings = read_both_ways(text)
    assert as_bytes == as_text
    assert bytes_findings == text_findings


def test_a_text_past_the_reading_chunk_is_read_whole():
    """Lines across the decoder's chunks (a CR ending one chunk, its LF the next) are the same lines."""
    text = HEAD + "".join(RECORD.format(number="INV-1", description="x" * size + "é") + "\r\n" for size in range(8150, 8250, 7))
    as_text, as_bytes, text_findings, bytes_findings = read_both_ways(text)
    assert len(as_bytes) == 1 and as_bytes == as_text
    assert bytes_findings == text_findings


class _LinesRead:
    """A text format whose reader only reads its stream's lines, for the stream's own memory to be measured."""

    binary = False

    def read(self, stream, emit, path):
        for _ in stream:
            pass
        return iter(())


def test_an_invoice_is_read_in_about_a_byte_a_character():
    """io.StringIO would hold the whole text at four bytes a character while it is read."""
    text = "".join(RECORD.format(number="INV-1", description="Review ” " + "x" * 100) + "\n" for _ in range(2000))
    data = text.encode()
    checker = InvoiceChecker(PIPE, Config(), "out.txt")
    checker.target = _LinesRead()  # type: ignore[assignment]
    tracemalloc.start()
    try:
        checker.read(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < len(data) // 2


def test_no_invoice_is_held_while_the_next_is_gathered(monkeypatch, tmp_path):
    """An invoice and its text are let go once written: a large invoice is a large part of an import's memory."""
    monkeypatch.setattr(forked, "FORKING", False)
    made: list[weakref.ref] = []
    checking = InvoiceChecker.check

    def check(self, invoice, rows):
        made.append(weakref.ref(invoice))
        return checking(self, invoice, rows)

    accepted = run._accepted

    def gathered(groups, found, skip_bad_rows):
        for group in accepted(groups, found, skip_bad_rows):
            assert [ref for ref in made if ref() is not None] == []
            yield group

    monkeypatch.setattr(InvoiceChecker, "check", check)
    monkeypatch.setattr(run, "_accepted", gathered)
    result = import_file(CSV_EXPORT, CSV_MAPPING, tmp_path / "out.txt", "1998b")
    assert result.written and len(made) > 1
