"""What the tool writes can fail too: a full disk, a closed standard output, an output that is the input redirected.

Each is one line on stderr and exit 2 (the tool could not do its job), never a traceback and
never exit 1, which says the invoice has errors: a CI log volume that fills up must not fail a
clean invoice. Run as processes: the failures are the operating system's.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"
INVALID = ROOT / "fixtures" / "1998b" / "invalid" / "travisbashor_tests-data_ledes_98B.txt"
FULL = Path("/dev/full")


def ledes(*args: object, stdout: object = subprocess.PIPE, stdin: object = subprocess.DEVNULL,
          env: dict[str, str] | None = None, preexec_fn=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ledes", *map(str, args)], stdout=stdout, stdin=stdin,
                          stderr=subprocess.PIPE, text=True, timeout=120, env=env, preexec_fn=preexec_fn)


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("args", [
    ("validate", CLEAN), ("validate", "--format", "json", CLEAN), ("validate", "--format", "sarif", CLEAN),
    ("show", CLEAN), ("report", CLEAN), ("rules",), ("validate", "--help"),
], ids=lambda args: " ".join(map(str, args[:3])))
def test_a_full_standard_output_is_one_line_and_exit_2(args):
    with FULL.open("w") as full:
        result = ledes(*args, stdout=full)
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("ledes: error: cannot write: No space left on device (standard output, or a temporary file")


def test_a_closed_standard_output_is_one_line_and_exit_2():
    result = subprocess.run([sys.executable, "-c", "import os, runpy, sys; os.close(1); sys.stdout = None;"
                             f" sys.argv = ['ledes', 'validate', {str(CLEAN)!r}]; runpy.run_module('ledes', run_name='__main__')"],
                            stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr == "ledes: error: standard output is closed: give the command somewhere to write\n"


def test_temporary_files_that_cannot_be_written_are_not_blamed_on_the_input(tmp_path: Path):
    """With files limited to 64 KiB, the spool of findings cannot grow: one line that says writing failed, exit 2 (it
    said "cannot read" the input, or ended in a traceback)."""
    lines = CLEAN.read_text(encoding="utf-8").splitlines(keepends=True)
    big = tmp_path / "many.txt"  # 4,000 invoices, a vague narrative each: findings past the limit
    with big.open("w", encoding="utf-8") as out:
        out.writelines(lines[:2])
        for number in range(4000):
            out.write(lines[2].replace("|96542|", f"|{number:06d}|", 1))

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 10, 64 << 10))

    for args in (("validate", "--guidelines", "strict", "--jobs", "1", big), ("report", big)):
        result = ledes(*args, env={**os.environ, "TMPDIR": str(tmp_path)}, preexec_fn=limited)
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("ledes: error: cannot write"), \
            result.stderr
        assert "cannot read" not in result.stderr


def test_standard_input_redirected_from_the_output_file_is_not_overwritten(tmp_path: Path):
    """``ledes report - -o invoice.txt < invoice.txt`` would replace the invoice with its report."""
    invoice = tmp_path / "invoice.txt"
    invoice.write_bytes(CLEAN.read_bytes())
    for args in (("report", "-", "-o", invoice), ("convert", "-", "-o", invoice, "--to", "1998bi", "--currency", "USD")):
        with invoice.open("rb") as stdin:
            result = ledes(*args, stdin=stdin)
        assert result.returncode == 2
        assert result.stderr == f"ledes: error: refusing to overwrite '{invoice}': standard input is read from it;" \
                                " choose another output\n"
        assert invoice.read_bytes() == CLEAN.read_bytes()


def test_standard_output_appended_to_the_input_file_is_refused(tmp_path: Path):
    """``ledes convert invoice.txt -o - --to 1998b >> invoice.txt`` would add the invoice to itself, and ``ledes
    validate invoice.txt >> invoice.txt`` its findings to the file it is reading: refused before a byte is written."""
    invoice = tmp_path / "invoice.txt"
    invoice.write_bytes(CLEAN.read_bytes())
    for args in (("convert", invoice, "-o", "-", "--to", "1998b"), ("validate", invoice), ("show", invoice),
                 ("report", invoice)):
        with invoice.open("ab") as stdout:
            result = ledes(*args, stdout=stdout)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr == "ledes: error: refusing to write to standard output: it is redirected to the input" \
                                f" file '{invoice}'; choose another output\n"
        assert invoice.read_bytes() == CLEAN.read_bytes()
    with (tmp_path / "findings.txt").open("ab") as stdout:  # another file: written as usual
        assert ledes("validate", invoice, stdout=stdout).returncode == 0


def test_messages_in_json_sarif_and_junit_show_control_characters_as_escapes(tmp_path: Path):
    """A value quoted in a message (a date with an escape sequence and a bidi override) is shown escaped in every
    format, as in text: a SARIF viewer or a test dashboard renders the message."""
    lines = CLEAN.read_text(encoding="utf-8").splitlines(keepends=True)
    hostile = tmp_path / "hostile.txt"
    hostile.write_text("".join([*lines[:2], lines[2].replace("19990225|", "1999\x1b[31m\u202e0225|", 1)]),
                       encoding="utf-8")
    runner = CliRunner()
    documents = {}
    for form in ("json", "sarif", "junit"):
        documents[form] = runner.invoke(main, ["validate", "--format", form, str(hostile)]).stdout
    messages = [d["message"] for f in json.loads(documents["json"])["files"] for d in f["diagnostics"]]
    messages += [r["message"]["text"] for r in json.loads(documents["sarif"])["runs"][0]["results"]]
    from lxml import etree

    messages += [failure.get("message") for failure in etree.fromstring(documents["junit"].encode()).iter("failure")]
    dated = [message for message in messages if "YYYYMMDD" in message]
    assert len(dated) == 3
    assert all("\\x1b[31m\\u202e" in message and "\x1b" not in message and "\u202e" not in message for message in dated)


def test_sarif_names_a_file_whose_name_is_not_utf8_by_its_bytes(tmp_path: Path):
    """``bad\\xff.txt`` is ``bad%FF.txt`` in the URI, the file on disk (not the escaped display ``bad%5Cxff.txt``)."""
    name = os.fsdecode(b"bad\xff.txt")
    (tmp_path / name).write_bytes(INVALID.read_bytes())
    result = subprocess.run([sys.executable, "-m", "ledes", "validate", "--format", "sarif", name], cwd=tmp_path,
                            capture_output=True, timeout=120)
    run = json.loads(result.stdout)["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"bad%FF.txt"}


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path: Path):
    """``ledes show big.txt | head -1``: no message about a full disk or a temporary file; exit 1, as click ends it."""
    lines = CLEAN.read_text(encoding="utf-8").splitlines(keepends=True)
    big = tmp_path / "big.txt"
    big.write_text("".join([*lines[:2], *(lines[2].replace("|96542|", f"|{n:06d}|", 1) for n in range(5000))]),
                   encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "ledes", "show", str(big)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # far more than a pipe's buffer is still to come
    assert process.wait(timeout=120) == 1
    assert process.stderr.read() == b""


@pytest.mark.parametrize("args", [("validate", "--format", "json", "-"), ("show", "-"), ("report", "-"),
                                  ("convert", "-", "-o", "out.txt", "--to", "1998b"), ("ledger", "load", "-", "--db",
                                                                                       "l.sqlite")],
                         ids=lambda args: " ".join(args[:2]))
def test_a_closed_standard_input_is_one_line_and_exit_2(args, tmp_path: Path):
    """``ledes validate - 0<&-``: one line, exit 2, nothing on standard output (not half a JSON document)."""
    result = subprocess.run([sys.executable, "-c", "import os, runpy, sys; os.close(0); sys.stdin = None;"
                             f" sys.argv = ['ledes', *{list(args)!r}]; runpy.run_module('ledes', run_name='__main__')"],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "ledes: error: cannot read '-': standard input is closed\n"
    assert not (tmp_path / "out.txt").exists() and not (tmp_path / "l.sqlite").exists()
