"""The costly guideline rules run in forked worker processes beside the reading one: the same findings, in the same order.

A run with a client's guidelines spends most of its time in a few rules: the narrative
checks and the run-wide stores of duplicate entries and daily hours. On a machine with
more than one processor, ``ledes.engine.check`` forks a worker for a share of those rules
(``plan``). Each worker reads the same files, runs only its share on each invoice, and
sends what those rules report, invoice by invoice, through a pipe; the reading process
runs every other rule and, at each of the worker's rules, reports what the worker's run
of it reported (``Workers.replay``). So the findings, their order, and the windows they
are told in are those of a run in one process. A run stays in one process when it reads
standard input, is small, has none of the costly rules on, or the platform cannot fork.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, Protocol

from ledes.config import Config
from ledes.diagnostics import Diagnostic
from ledes.errors import LedesError, LedesInputError
from ledes.model import Invoice
from ledes.orphans import ending_with_parent
from ledes.rules.catalogue import CATALOGUE

# What each costly rule costs per line item beyond what it shares, in tenths of a microsecond (measured one rule
# at a time in process on 50,000 lines of a realistic 1998B file, December 2026, the line facts and narrative
# readings already worked out; OWN_WORK from the two processes' instruction counts). The two rules with a run-wide
# store count at their cost over 1M lines, where the store merges more (37 and 22 at 50,000). Only used to share
# the rules out evenly: it decides where a rule runs, never what it finds.
COSTS: dict[str, int] = {
    "duplicate.line-item": 50,
    "time.daily-hours": 30,
    "narrative.administrative": 23,
    "narrative.block-billing": 11,
    "narrative.vague": 9,
    "time.travel": 5,
    "time.multiple-attendees": 4,
    "utbms.task-code": 3,
}
# The rules that read each fee narrative (``rules.facts.Line.narrative``): a process that runs any of them reads
# every narrative once, so they are kept together, in one process, with the cost of that reading.
READS_NARRATIVES = frozenset(
    {"narrative.administrative", "narrative.block-billing", "narrative.vague", "time.travel", "time.multiple-attendees"})
NARRATIVE_READING = 13
FACTS = 12  # every line's facts (``rules.facts``), worked out once in each process that runs a guideline rule
OWN_WORK = 40  # what the reading process does besides (its other rules, their facts, the output), in the same units
MIN_BYTES = 4 << 20  # below this a run is over before a worker would pay for itself (about 16,000 lines)
MAX_PROCESSES = 4
_BATCH = 32  # invoices a worker sends at once

# One reported finding as the rule's ``report`` passed it on: the message and the emit's keyword arguments.
Emission = tuple[str, dict[str, Any]]


def plan(paths: Sequence[str | os.PathLike[str]], config: Config, jobs: int | None) -> list[frozenset[str]]:
    """The names of the rules each worker runs; none when the run stays in this process.

    ``jobs`` is the number of processes (this one included): 1 keeps every rule here; None
    chooses one per available processor, at most ``MAX_PROCESSES``, for files of at least
    ``MIN_BYTES`` together. Given, it is used whatever the files' size.
    """
    if jobs == 1 or not paths or not can_fork():
        return []
    costly = [entry.name for entry in CATALOGUE if entry.name in COSTS and config.level_of(entry.name) is not None]
    sizes = [_regular_size(path) for path in paths]
    if not costly or None in sizes:
        return []
    if jobs is None:
        if sum(size or 0 for size in sizes) < MIN_BYTES:
            return []
        jobs = min(processors(), MAX_PROCESSES)
    units = _units(costly)
    loads = [OWN_WORK] + [FACTS] * (min(jobs, len(units) + 1) - 1)
    shares: list[set[str]] = [set() for _ in loads]
    for cost, names in units:  # the costliest first, each to the least loaded process
        least = min(range(len(loads)), key=loads.__getitem__)
        loads[least] += cost
        shares[least].update(names)
    return [frozenset(share) for share in shares[1:] if share]


def _units(names: list[str]) -> list[tuple[int, tuple[str, ...]]]:
    """The rules as they are shared out, costliest first: the narrative readers together (with their reading), each
    other rule on its own."""
    units: list[tuple[int, tuple[str, ...]]] = [(COSTS[name], (name,)) for name in names if name not in READS_NARRATIVES]
    readers = tuple(name for name in names if name in READS_NARRATIVES)
    if readers:
        units.append((NARRATIVE_READING + sum(COSTS[name] for name in readers), readers))
    return sorted(units, reverse=True)


def can_fork() -> bool:
    """A fork copies the run as it stands, with no module imported again (Linux; macOS warns against it)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def processors() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def how_ended(status: int) -> str:
    """A forked child's wait status in words."""
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"status {os.waitstatus_to_exitcode(status)}"


def reaped(pid: int) -> bool:
    """True when a forked child has already exited (it is then reaped here)."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return done == pid


def stopped(pid: int | None, streams: Iterable[IO[bytes] | None]) -> None:
    """Close a forked child's pipes and end it when it has not ended (its work is not wanted), then reap it."""
    for stream in streams:
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    if pid is not None and not reaped(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _regular_size(path: str | os.PathLike[str]) -> int | None:
    """The size of a regular file; None for standard input, a directory, a pipe or what cannot be read twice."""
    if os.fspath(path) == "-":
        return None
    try:
        status = os.stat(path)
    except OSError:
        return None
    import stat

    return status.st_size if stat.S_ISREG(status.st_mode) else None


class Split(Protocol):
    """How the engine's loop over invoices runs its rules when they are shared between processes."""

    records: bool  # True in a worker: its rules' findings are kept (``emit``) and sent, not reported

    def runs(self, name: str) -> bool: ...

    def begin(self, invoice: Invoice) -> None: ...

    def emit(self, rule: str, message: str, **keywords: Any) -> None: ...

    def replay(self, name: str, emit: Callable[..., None]) -> None: ...

    def end(self, invoice: Invoice) -> None: ...

    def end_run(self) -> None: ...

    def finished(self, name: str) -> Iterator[Diagnostic]: ...

    def rule_finished(self, name: str) -> None: ...


class Recorder:
    """A worker's side: which rules it runs, and what they report, sent invoice by invoice."""

    records = True

    def __init__(self, share: frozenset[str], send: Callable[[object], None]) -> None:
        self.share = share
        self._send = send
        self._batch: list[tuple[object, dict[str, list[Emission]]]] = []
        self._current: dict[str, list[Emission]] = {}
        self._found: list[Diagnostic] = []

    def runs(self, name: str) -> bool:
        return name in self.share

    def begin(self, invoice: Invoice) -> None:
        self._current = {}

    def emit(self, rule: str, message: str, **keywords: Any) -> None:
        """Keep a finding of one of the worker's rules on the invoice being checked."""
        self._current.setdefault(rule, []).append((message, keywords))

    def replay(self, name: str, emit: Callable[..., None]) -> None:
        """Nothing: a rule outside the worker's share is run by the reading process."""

    def end(self, invoice: Invoice) -> None:
        self._batch.append((invoice.number, self._current))
        if len(self._batch) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        if self._batch:
            self._send(("invoices", self._batch))
            self._batch = []

    def end_run(self) -> None:
        """Every file read: the last invoices, then the end of them."""
        self.flush()
        self._send(("end", None))

    def keep(self, diagnostic: Diagnostic) -> None:
        """Send a finding of the run-wide rule finishing now, in pieces: the worker holds no more than one."""
        self._found.append(diagnostic)
        if len(self._found) >= _BATCH * 16:
            self._send(("found", self._found))
            self._found = []

    def finished(self, name: str) -> Iterator[Diagnostic]:
        """Nothing: a rule outside the worker's share is finished by the reading process."""
        return iter(())

    def rule_finished(self, name: str) -> None:
        """The run-wide rule ``name`` has reported everything: its last findings, then its end."""
        if self._found:
            self._send(("found", self._found))
            self._found = []
        self._send(("done", name))


class Workers:
    """The reading process's side: the forked workers, and what each reported on the invoice being checked."""

    records = False

    def __init__(self, shares: Iterable[frozenset[str]], work: Callable[[Recorder], None]) -> None:
        self._owner: dict[str, int] = {}
        self._processes: list[Any] = []
        self._pipes: list[Any] = []
        self._waiting: list[deque[tuple[object, dict[str, list[Emission]]]]] = []
        self._current: list[dict[str, list[Emission]]] = []
        try:
            for index, share in enumerate(shares):
                receiving, process = start_child(functools.partial(_work, share, work), self._pipes)
                self._owner.update(dict.fromkeys(share, index))
                self._processes.append(process)
                self._pipes.append(receiving)
                self._waiting.append(deque())
                self._current.append({})
        except BaseException:
            self.close()
            raise

    def runs(self, name: str) -> bool:
        """True for a rule this process runs itself."""
        return name not in self._owner

    def begin(self, invoice: Invoice) -> None:
        """Take each worker's findings on ``invoice``, the next it checked: it read the same files in the same order."""
        for index, waiting in enumerate(self._waiting):
            while not waiting:
                kind, payload = self._receive(index)
                if kind == "invoices":
                    waiting.extend(payload)
                else:
                    raise LedesInputError("a file changed while it was read: its invoices ended before the rules'"
                                          " second reader's did; check it again")
            number, found = waiting.popleft()
            if number != invoice.number:
                raise LedesInputError(f"a file changed while it was read (invoice {number!r} where"
                                      f" {invoice.number!r} was read); check it again")
            self._current[index] = found

    def emit(self, rule: str, message: str, **keywords: Any) -> None:
        raise AssertionError(f"{rule}: the reading process reports its own rules' findings to its sink")

    def replay(self, name: str, emit: Callable[..., None]) -> None:
        """Report what the worker's run of rule ``name`` reported on the current invoice, in the order it did."""
        for message, keywords in self._current[self._owner[name]].get(name, ()):
            emit(name, message, **keywords)

    def end(self, invoice: Invoice) -> None:
        """Nothing: the workers' findings on the invoice have been told."""

    def end_run(self) -> None:
        """Every file read: each worker must have read as many invoices."""
        for index, waiting in enumerate(self._waiting):
            if waiting or self._receive(index)[0] != "end":
                raise LedesInputError("a file changed while it was read: the rules' second reader found more"
                                      " invoices; check it again")

    def finished(self, name: str) -> Iterator[Diagnostic]:
        """What the worker's ``finish`` of run-wide rule ``name`` reported (after ``end_run``), as it comes."""
        index = self._owner[name]
        while True:
            kind, payload = self._receive(index)
            if kind == "found":
                yield from payload
            elif kind == "done" and payload == name:
                return
            else:
                raise LedesError(f"a rule worker process told {kind} {payload!r} where {name} was finishing")

    def rule_finished(self, name: str) -> None:
        """Nothing: the reading process's own run-wide rules report as they go."""

    def close(self) -> None:
        """Stop the workers (each has finished, or is stopped) and close the pipes."""
        for pipe in self._pipes:
            pipe.close()
        for process in self._processes:
            if process.is_alive():
                process.terminate()
            process.join()
        self._pipes, self._processes = [], []

    def _receive(self, index: int) -> tuple[str, Any]:
        try:
            kind, payload = self._pipes[index].recv()
        except EOFError:
            code = self._processes[index].exitcode
            raise LedesError(f"a rule worker process stopped (exit code {code}); run again with --jobs 1") from None
        if kind == "failed":
            raise LedesError(f"a rule worker process failed: {payload}; run again with --jobs 1")
        return kind, payload


def _work(share: frozenset[str], work: Callable[[Recorder], None], send: Callable[[object], None]) -> None:
    """A worker: the run again, its share of rules only, each invoice's findings sent to the reading process."""
    work(Recorder(share, send))


def start_child(work: Callable[[Callable[[object], None]], None], others: Iterable[Any] = ()) -> tuple[Any, Any]:
    """A forked process that runs ``work(send)``: (the end of its pipe this process receives from, the process).

    The child writes nothing (what it finds goes through the pipe), is stopped with this
    process, and sends ``("failed", why)`` when ``work`` raises. It closes its copies of the
    receiving ends, its own and those of the children started before it (``others``): so
    once this process is gone, whatever ended it (SIGTERM, SIGKILL), no child is left
    blocked on a full pipe that only a sibling still holds open: it ends at once (``ending_with_parent``), else at its
    next send, which fails.
    """
    import multiprocessing

    for stream in (sys.stdout, sys.stderr):  # what a child inherits unwritten would be written twice
        stream.flush()
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_quiet_child, args=(work, sending, (receiving, *others), ending_with_parent()),
                              daemon=True)
    try:
        process.start()
    finally:
        sending.close()
    return receiving, process


def _quiet_child(work: Callable[[Callable[[object], None]], None], sending: Any, receiving: Iterable[Any],
                 bound: Callable[[], None]) -> None:
    """The forked child of ``start_child``: quiet, stopped with its parent, what it found or why it failed sent."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    bound()
    for end in receiving:  # the parent's alone: a pipe's reader must be gone when the parent is
        with contextlib.suppress(OSError):
            end.close()
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (the process ends with its work)
    try:
        work(sending.send)
    except BrokenPipeError:  # the parent has stopped listening
        return
    except BaseException as error:  # told to the parent, which stops the run with it (or reads on alone)
        with contextlib.suppress(OSError):
            sending.send(("failed", f"{type(error).__name__}: {error}"))
