"""Every command the README shows runs as written, in a fresh virtual environment made by the README's first command.

The convention (stated in the README's "Tests" section): in a fenced code block with no
language (or ``console``), a line starting with ``$ `` is a command, run with bash from the
repository's root once ``source .venv/bin/activate`` has run; a line ending in ``\\`` goes on
on the next. It must exit 0, unless it ends with the comment ``# exits N``. The lines after
a command, up to the next command or the end of the block, are its output (standard output
and standard error as a terminal shows them), each line whole, except that ``…`` in a line
stands for any text and a line that is only ``…`` for any number of lines. A command shown
without output has its exit status checked only. The set-up blocks at the top are not
``$`` lines: the first is run to make the environment; the second runs this test suite.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FENCE = re.compile(r"^```([\w-]*)\n(.*?)^```", re.S | re.M)
EXIT = re.compile(r"\s+#\s*exits\s+(\d+)\s*$")


@attrs.frozen
class Shown:
    """A command the README shows: its text, the exit status it should end with, the output shown after it."""

    line: int
    command: str
    status: int
    output: tuple[str, ...]


def shown_commands(text: str) -> list[Shown]:
    """The ``$`` commands of the README's console blocks, in order."""
    commands: list[Shown] = []
    for block in FENCE.finditer(text):
        if block.group(1) not in ("", "console"):
            continue
        first_line = text.count("\n", 0, block.start(2)) + 1
        lines = block.group(2).splitlines()
        index = 0
        while index < len(lines):
            if not lines[index].startswith("$ "):
                index += 1
                continue
            start, command = index, lines[index][2:]
            while command.endswith("\\") and index + 1 < len(lines):
                index += 1
                command = command[:-1] + " " + lines[index].strip()
            index += 1
            output = []
            while index < len(lines) and not lines[index].startswith("$ "):
                output.append(lines[index].rstrip())
                index += 1
            status = EXIT.search(command)
            commands.append(Shown(first_line + start, EXIT.sub("", command).strip(),
                                  int(status.group(1)) if status else 0, tuple(output)))
    return commands


def set_up_command(text: str) -> str:
    """The README's first command: make the virtual environment, install ledes, validate a fixture."""
    return FENCE.search(text).group(2).strip()


def matches(shown: tuple[str, ...], actual: list[str]) -> bool:
    """True when ``actual`` is ``shown`` line by line, ``…`` standing for any text (a line of it, for any lines)."""
    patterns = [None if line.strip() == "…" else re.compile(".*".join(map(re.escape, line.split("…"))))
                for line in shown]

    @functools.cache
    def from_(p: int, a: int) -> bool:
        if p == len(patterns):
            return a == len(actual)
        pattern = patterns[p]
        if pattern is None:
            return any(from_(p + 1, later) for later in range(a, len(actual) + 1))
        return a < len(actual) and pattern.fullmatch(actual[a]) is not None and from_(p + 1, a + 1)

    return from_(0, 0)


def test_the_convention_reads_commands_statuses_and_output():
    """The reader of the README: continuation lines, ``# exits N``, output up to the next command; ``…`` matching."""
    text = "```\n$ ledes validate a.txt \\\n    b.txt   # exits 1\nfirst\n…\n$ ledes show a.txt\n```\n```json\n$ no\n```\n"
    assert shown_commands(text) == [
        Shown(2, "ledes validate a.txt  b.txt", 1, ("first", "…")), Shown(6, "ledes show a.txt", 0, ())]
    assert matches(("….txt:8: error", "…", "last"), ["x.txt:8: error", "1", "2", "last"])
    assert matches(("a", "…"), ["a"]) and not matches(("a",), ["a", "b"]) and not matches(("a…",), ["b"])


COMMANDS = shown_commands(README.read_text(encoding="utf-8"))


def repository_files() -> list[Path]:
    """The files of the repository as a user's clone has them: tracked and new files, nothing git ignores."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, check=False)
    if listed.returncode != 0:
        pytest.skip("the README commands run from a git checkout (to copy exactly the repository's files)")
    return [Path(name) for name in listed.stdout.decode().split("\0") if name and (ROOT / name).is_file()]


def clean_environment() -> dict[str, str]:
    """This process's environment without the virtual environment the tests run in."""
    environment = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    inside = os.environ.get("VIRTUAL_ENV")
    if inside:
        environment["PATH"] = os.pathsep.join(
            part for part in environment.get("PATH", "").split(os.pathsep) if not part.startswith(inside))
    return environment


@pytest.fixture(scope="session")
def results(tmp_path_factory) -> dict[int, subprocess.CompletedProcess]:
    """Each README command's result, run in order in a copy of the repository after the README's first command."""
    if shutil.which("bash") is None or shutil.which("python3") is None:
        pytest.skip("the README's commands need bash and python3")
    copy = tmp_path_factory.mktemp("readme") / "ledes"
    for name in repository_files():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    environment = clean_environment()
    made = subprocess.run(["bash", "-c", set_up_command(README.read_text(encoding="utf-8"))], cwd=copy,
                          env=environment, capture_output=True, text=True, timeout=600, check=False)
    assert made.returncode == 0, made.stdout[-2000:] + made.stderr[-2000:]
    done = {}
    for shown in COMMANDS:
        done[shown.line] = subprocess.run(
            ["bash", "-c", f"source .venv/bin/activate && {shown.command}"], cwd=copy, env=environment,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600, check=False)
    return done


def test_the_readme_shows_commands():
    """The tour, conversion, guidelines and report sections each show commands to run."""
    assert len(COMMANDS) >= 8
    assert {shown.command.split()[1] for shown in COMMANDS} >= {"validate", "convert", "report"}


@pytest.mark.parametrize("shown", COMMANDS, ids=[f"README.md:{c.line}" for c in COMMANDS])
def test_the_readme_command_runs_as_written(shown, results):
    """The command exits as the README says, and prints what the README shows it print."""
    result = results[shown.line]
    assert result.returncode == shown.status, f"$ {shown.command}\n{result.stdout[-3000:]}"
    if shown.output:
        printed = [line.rstrip() for line in result.stdout.splitlines()]
        assert matches(shown.output, printed), f"$ {shown.command}\n" + "\n".join(printed[:60])
