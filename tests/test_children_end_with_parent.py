"""A forked child ends with the process that forked it, whatever ended that (SIGKILL too), and leaves nothing behind;
it ignores SIGINT when its parent does (a background job).

Before, a child worked on until its next send to the dead parent failed (seconds on a
large file), and a convert killed with SIGKILL left its temporary output beside the target.
Each test kills a real parent process with SIGKILL while its child is busy for minutes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conversion_support import many_invoices

from ledes.outputcheck import forked
from ledes.workers import can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="children are forked on Linux only")

BUSY = 120  # seconds a child would go on working without its parent


def children(pid: int) -> list[int]:
    """The live children of ``pid`` (Linux's /proc)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def running(pid: int) -> bool:
    """Whether ``pid`` still runs: a zombie (ended, waiting for a reaper) does not."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def wait_for(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def killed_with_its_child(parent: subprocess.Popen, ready=lambda: True) -> int:
    """Kill ``parent`` with SIGKILL once it has a child and ``ready()`` holds; the child's pid."""
    assert wait_for(lambda: bool(children(parent.pid)) and ready()), parent.stderr.read() if parent.stderr else ""
    child = children(parent.pid)[0]
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    return child


def test_a_worker_ends_with_its_parent(tmp_path: Path):
    script = ("import sys, time; from ledes.workers import start_child;"
              f" start_child(lambda send: time.sleep({BUSY})); time.sleep({BUSY})")
    parent = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE)
    child = killed_with_its_child(parent)
    assert wait_for(lambda: not running(child), 10), "the worker outlived its parent"


def converting(folder: Path, patch: str = "", **options) -> subprocess.Popen:
    """``ledes convert`` of a source large enough for a checking child, run after ``patch``, as a real process."""
    source = folder / "large.txt"
    copies = forked.MIN_BYTES // (len(many_invoices(2).encode()) - len(many_invoices(1).encode())) + 1
    source.write_text(many_invoices(copies), encoding="utf-8")
    script = ("import sys, time; from ledes.outputcheck import forked; forked.processors = lambda: 2;"
              f" {patch} from ledes_cli.main import main; main()")
    return subprocess.Popen([sys.executable, "-c", script, "convert", str(source), "--to", "xml2.1", "--allow-loss",
                             "--law-firm-name", "Smith LLP", "-o", str(folder / "out.xml")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **options)


def test_a_killed_convert_leaves_neither_its_checking_child_nor_its_temporary_output(tmp_path: Path):
    # The child, once it has read the output, compares it with the source for minutes.
    parent = converting(tmp_path, f"forked.compared_losses = lambda *args: time.sleep({BUSY});")
    child = killed_with_its_child(parent, ready=lambda: bool(list(tmp_path.glob(".out.xml.*"))))
    assert wait_for(lambda: not running(child), 10), "the checking child outlived its parent"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["large.txt"]


def test_a_background_convert_that_ignores_sigint_keeps_its_checking_child_through_one(tmp_path: Path):
    """A job started in the background ignores SIGINT; a SIGINT to its group no longer stops its child, and so it."""
    parent = converting(tmp_path, start_new_session=True,
                        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    assert wait_for(lambda: bool(children(parent.pid)) or parent.poll() is not None)
    os.killpg(parent.pid, signal.SIGINT)
    _, stderr = parent.communicate(timeout=300)
    assert parent.returncode == 0, stderr
    assert (tmp_path / "out.xml").exists()


def test_a_child_whose_parent_died_before_it_could_ask_ends_by_sigterm_as_it_would_have(tmp_path: Path):
    """Killed between the fork and the child's prctl, the parent left the child to os._exit: a SIGTERM handler it
    inherited (safeoutput's, removing an unfinished output) never ran, and a killed convert left its temporary file."""
    marker = tmp_path / "handled"
    script = (
        "import os, signal, sys, time\n"
        "from ledes.orphans import ending_with_parent\n"
        "bound = ending_with_parent()\n"
        f"signal.signal(signal.SIGTERM, lambda *a: (open({str(marker)!r}, 'w').close(), os._exit(3)))\n"
        "parent = os.getpid()\n"
        "if os.fork() == 0:\n"
        "    while os.getppid() == parent: time.sleep(0.01)\n"
        "    bound()\n"
        "    os._exit(0)\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    assert wait_for(marker.exists, 30), "the orphaned child ended without its SIGTERM handler"
