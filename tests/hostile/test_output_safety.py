"""-o writes only regular files, never an input of the same command, keeps the mode, leaves no temp file, and - is stdout."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
from pathlib import Path

import pytest
from hostile_support import (
    GOOD_1998B,
    IMPORT,
    assert_clean_exit,
    assert_one_line_error,
    copy,
    ledes_command,
    run,
)


def convert_to(target: str | Path, folder: Path) -> list[str]:
    return ["convert", str(copy(GOOD_1998B, folder, "in.txt")), "-o", str(target), "--to", "1998b"]


@pytest.mark.parametrize("target", ["/dev/null", "fifo", "folder"])
def test_a_device_a_fifo_or_a_directory_is_refused_and_left_as_it_was(tmp_path: Path, target: str):
    """-o naming a character device, a named pipe or a directory: exit 2, one line on stderr, nothing replaced."""
    if target == "fifo":
        os.mkfifo(tmp_path / target)
    elif target == "folder":
        (tmp_path / target).mkdir()
    path = target if target.startswith("/") else str(tmp_path / target)
    before = os.stat(path)
    result = run(*convert_to(path, tmp_path))
    assert_one_line_error(result)
    assert "ledes writes only regular files" in result.stderr
    after = os.stat(path)
    assert (after.st_ino, stat.S_IFMT(after.st_mode)) == (before.st_ino, stat.S_IFMT(before.st_mode))
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_path_ending_in_a_slash_is_refused_not_written_without_it(tmp_path: Path):
    """``-o out.txt/`` names a directory: refused in one line, and no ``out.txt`` written in its place."""
    result = run(*convert_to(f"{tmp_path / 'out.txt'}/", tmp_path))
    assert_one_line_error(result)
    assert "names a directory" in result.stderr
    assert not (tmp_path / "out.txt").exists()


def test_a_symbolic_link_is_followed_its_target_replaced_and_the_link_kept(tmp_path: Path):
    """-o naming a link to a regular file: the file it points to is rewritten, the link stays a link."""
    real = tmp_path / "real.txt"
    real.write_text("old\n")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    result = run(*convert_to(link, tmp_path))
    assert_clean_exit(result, 0)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("LEDES1998B[]")


def test_a_dangling_symbolic_link_is_refused(tmp_path: Path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    result = run(*convert_to(link, tmp_path))
    assert_one_line_error(result)
    assert not (tmp_path / "nowhere.txt").exists()


@pytest.mark.parametrize("how", ["same", "hard link", "symbolic link", "dot path"])
def test_convert_never_writes_over_its_input_by_any_path(tmp_path: Path, how: str):
    """The source reached through a hard link, a symbolic link or ./ is still the source: refused."""
    source = copy(GOOD_1998B, tmp_path, "in.txt")
    target = tmp_path / "other.txt"
    if how == "same":
        target = source
    elif how == "hard link":
        os.link(source, target)
    elif how == "symbolic link":
        target.symlink_to(source)
    else:
        target = Path(f"{tmp_path}/./in.txt")
    before = source.read_bytes()
    result = run("convert", str(source), "-o", str(target), "--to", "1998bi", "--currency", "USD")
    assert_one_line_error(result)
    assert "refusing to overwrite the input file" in result.stderr
    assert source.read_bytes() == before


def test_report_never_writes_over_its_guidelines_or_what_they_extend(tmp_path: Path):
    base = tmp_path / "base.toml"
    base.write_text('extends = "default"\n')
    guidelines = tmp_path / "g.toml"
    guidelines.write_text('extends = "base.toml"\n')
    source = copy(GOOD_1998B, tmp_path, "in.txt")
    for target in (guidelines, base, source):
        before = target.read_bytes()
        result = run("report", "--guidelines", str(guidelines), str(source), "-o", str(target))
        assert_one_line_error(result)
        assert target.read_bytes() == before


def test_import_never_writes_over_its_source_mapping_or_guidelines(tmp_path: Path):
    source = copy(IMPORT / "harbor-finch-time-export.csv", tmp_path)
    mapping = copy(IMPORT / "harbor-finch.toml", tmp_path)
    guidelines = tmp_path / "g.toml"
    guidelines.write_text('extends = "default"\n')
    link = tmp_path / "link"
    link.symlink_to(mapping)
    for target in (source, mapping, guidelines, link):
        before = Path(target).resolve().read_bytes()
        result = run("import", str(source), "--mapping", str(mapping), "--guidelines", str(guidelines),
                     "-o", str(target), "--to", "1998b")
        assert_one_line_error(result)
        assert Path(target).resolve().read_bytes() == before


def test_rewriting_an_existing_output_keeps_its_mode(tmp_path: Path):
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    target.chmod(0o600)
    result = run(*convert_to(target, tmp_path))
    assert_clean_exit(result, 0)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text().startswith("LEDES1998B[]")


@pytest.mark.parametrize("command", ["convert", "report", "import"])
def test_dash_writes_to_standard_output_and_creates_no_file(tmp_path: Path, command: str):
    """-o - is standard output, as - is standard input: the output is there, the messages on stderr, no file '-'."""
    source = copy(GOOD_1998B, tmp_path, "in.txt")
    args = {
        "convert": ["convert", str(source), "-o", "-", "--to", "1998b"],
        "report": ["report", str(source), "-o", "-", "--format", "csv"],
        "import": ["import", str(IMPORT / "harbor-finch-time-export.csv"), "--mapping",
                   str(IMPORT / "harbor-finch.toml"), "-o", "-", "--to", "1998b"],
    }[command]
    result = run(*args, cwd=tmp_path)
    assert_clean_exit(result, 0)
    assert not (tmp_path / "-").exists()
    first = result.text.splitlines()[0]
    if command == "report":
        assert first.startswith("row,currency,"), first  # the CSV's heading row
    else:
        assert first == "LEDES1998B[]", first
    assert "wrote" not in result.text


def _records(count: int) -> bytes:
    lines = GOOD_1998B.read_bytes().replace(b"\r\n", b"\n").splitlines()
    record = lines[2]
    body = b"".join(record.replace(b"|HW-3107|", b"|HW-%d|" % n) + b"\n" for n in range(count))
    return lines[0] + b"\n" + lines[1] + b"\n" + body


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_no_temporary_file_is_left_when_a_signal_stops_a_write(tmp_path: Path, signum: int):
    """Convert reading from a pipe is stopped with the temporary file open; afterwards no temp file and no output.

    Once the test's write of 512 KB into the pipe returns, the process has read past its
    64 KB buffer: it is reading records, inside the write, with its temporary file open.
    """
    target = tmp_path / "out.txt"
    process = subprocess.Popen([*ledes_command(), "convert", "-", "-o", str(target), "--to", "1998b"],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stdin is not None
    data = _records(3000)
    assert len(data) > 512 * 1024
    process.stdin.write(data)
    process.stdin.flush()
    assert len(list(tmp_path.glob(".out.txt.*.tmp"))) == 1  # the write is under way
    process.send_signal(signum)
    try:
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode in (-signum, 130), process.returncode
    assert b"Traceback" not in stderr
    assert not list(tmp_path.iterdir())
