"""Rules shared with forked workers (ledes.workers) find the same, in the same order, as a run in one process."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import ledes
from ledes import engine, guidelines, workers
from ledes.errors import LedesError, LedesInputError
from ledes.workers import COSTS, Workers, plan

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
sys.path.insert(0, str(ROOT / "tests" / "golden"))

from everyrule import write_every_rule_file  # noqa: E402

pytestmark = pytest.mark.skipif(not workers.can_fork(), reason="workers fork: Linux only")

PRESETS = {"default": guidelines.load("default"), "strict": guidelines.load("strict"),
           "northwind": guidelines.load(FIXTURES / "guidelines" / "northwind-insurance.toml")}


def _folders() -> dict[str, list[Path]]:
    by_folder: dict[str, list[Path]] = {}
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix in (".txt", ".xml") and path.is_file():
            by_folder.setdefault(str(path.parent.relative_to(FIXTURES)), []).append(path)
    return by_folder


FOLDERS = _folders()


def _outcome(paths: list[Path], config: ledes.Config, jobs: int) -> object:
    """The run's report, or the error that stopped it."""
    try:
        return ledes.validate(paths, config, jobs=jobs)
    except LedesError as error:
        return f"{type(error).__name__}: {error}"


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_fixture_folder_as_one_run_finds_the_same_with_workers(preset: str):
    """Each folder's files as one run (so the run-wide rules see several files), in 1 and 2 processes (and 4)."""
    config = PRESETS[preset]
    for folder, paths in FOLDERS.items():
        alone = _outcome(paths, config, jobs=1)
        assert _outcome(paths, config, jobs=2) == alone, folder
        if preset == "strict":
            assert _outcome(paths, config, jobs=4) == alone, folder


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_the_every_rule_file_twice_finds_the_same_with_workers(tmp_path: Path, preset: str):
    path = write_every_rule_file(tmp_path / "everyrule.txt")
    paths = [path, FIXTURES / "1998b" / "valid" / "multi_matter.txt", path]  # twice: every run-wide rule fires
    alone = ledes.validate(paths, PRESETS[preset], jobs=1)
    assert sum(len(file.diagnostics) for file in alone.files) > 100
    for jobs in (2, 3, len(COSTS) + 1):
        assert ledes.validate(paths, PRESETS[preset], jobs=jobs) == alone


def test_each_costly_rule_alone_in_a_worker_finds_the_same(tmp_path: Path):
    path = write_every_rule_file(tmp_path / "everyrule.txt")
    config = PRESETS["strict"]
    alone = ledes.validate([path, path], config, jobs=1)
    for name in COSTS:
        collected = engine.Collector()
        split = Workers([frozenset({name})], functools.partial(engine._check_share, [path, path], config, None, None))
        try:
            engine._check_run([path, path], collected, config, None, None, None, None, split)
        finally:
            split.close()
        assert ledes.Report(tuple(collected.files)) == alone, name


def test_a_file_that_differs_for_the_worker_stops_the_run(tmp_path: Path):
    """What a file that changes while it is read looks like: the worker's invoices are not the reader's."""
    path = write_every_rule_file(tmp_path / "everyrule.txt")
    other = FIXTURES / "1998b" / "valid" / "multi_matter.txt"
    config = PRESETS["default"]
    split = Workers([frozenset(COSTS)], functools.partial(engine._check_share, [other], config, None, None))
    try:
        with pytest.raises(LedesInputError, match="changed while it was read"):
            engine._check_run([path], engine.IGNORED, config, None, None, None, None, split)
    finally:
        split.close()


def _failing_share(recorder: workers.Recorder) -> None:
    raise OSError(28, "No space left on device")


def test_a_worker_that_fails_stops_the_run_with_its_reason(tmp_path: Path):
    path = write_every_rule_file(tmp_path / "everyrule.txt")
    split = Workers([frozenset(COSTS)], _failing_share)
    try:
        with pytest.raises(LedesError, match="No space left on device.*--jobs 1"):
            engine._check_run([path], engine.IGNORED, PRESETS["default"], None, None, None, None, split)
    finally:
        split.close()


def _load(names: set[str] | frozenset[str], base: int) -> int:
    """What a process running ``names`` does a line, as ``plan`` counts it."""
    reading = workers.NARRATIVE_READING if names & workers.READS_NARRATIVES else 0
    return base + reading + sum(COSTS[name] for name in names)


def test_plan_shares_the_costly_rules_evenly_and_only_when_it_pays(tmp_path: Path):
    small = FIXTURES / "1998b" / "valid" / "multi_matter.txt"
    config = PRESETS["strict"]
    assert plan([small], config, 1) == []
    assert plan([small], config, None) == []  # too small to pay for a second reader
    assert plan([small], ledes.Config(), 2) == []  # no costly rule on
    assert plan(["-"], config, 2) == []  # standard input cannot be read twice
    assert plan([tmp_path], config, 2) == []  # nor a directory
    (share,) = plan([small], config, 2)
    kept = set(COSTS) - share
    assert share and kept and share.isdisjoint(kept)
    # The narrative readers stay together (each process that runs one reads every narrative).
    assert share >= workers.READS_NARRATIVES or kept >= workers.READS_NARRATIVES
    # Even: neither process has more than the other plus the costliest unit shared out.
    worker, reader = _load(share, workers.FACTS), _load(kept, workers.OWN_WORK)
    assert abs(worker - reader) <= max(cost for cost, _ in workers._units(sorted(COSTS)))
    assert sorted(workers.READS_NARRATIVES) in [sorted(names) for _, names in workers._units(sorted(COSTS))]
    assert len(plan([small], config, 4)) == 3
    assert set().union(*plan([small], config, 99)) <= set(COSTS)
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(workers.MIN_BYTES)
    assert plan([big], config, None) == (plan([big], config, min(workers.processors(), workers.MAX_PROCESSES)))


def test_the_cli_with_jobs_writes_the_same_bytes(tmp_path: Path):
    path = write_every_rule_file(tmp_path / "everyrule.txt")
    outputs = set()
    for jobs in ("1", "2", "3"):
        for output in ("text", "json", "sarif"):
            result = CliRunner().invoke(_main(), [
                "validate", "--guidelines", "strict", "--format", output, "--jobs", jobs, str(path), str(path)])
            assert result.exit_code == 1, result.output
            outputs.add((output, result.stdout))
    assert len(outputs) == 3  # one output per format, whatever the jobs


def _main():
    from ledes_cli.main import main

    return main


def test_a_real_process_with_a_worker_writes_what_one_process_writes(tmp_path: Path):
    """As a subprocess: the worker writes nothing to stdout or stderr of its own."""
    path = write_every_rule_file(tmp_path / "everyrule.txt")
    command = [sys.executable, "-m", "ledes_cli", "validate", "--guidelines", "default", "--format", "json"]
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    one = subprocess.run([*command, "--jobs", "1", str(path)], capture_output=True, env=environment, timeout=120)
    two = subprocess.run([*command, "--jobs", "2", str(path)], capture_output=True, env=environment, timeout=120)
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)
    assert json.loads(two.stdout)["summary"]["errors"] > 0


def test_jobs_must_be_a_positive_number(tmp_path: Path):
    result = CliRunner().invoke(_main(), ["validate", "--jobs", "0", str(tmp_path / "x.txt")])
    assert result.exit_code == 2
    assert "--jobs" in result.output


def test_the_narrative_readers_are_the_costly_rules_that_read_narratives(tmp_path: Path, monkeypatch):
    """``plan`` keeps ``READS_NARRATIVES`` in one process for the reading they share: it must name every such rule."""
    import attrs

    from ledes.narratives import wording
    from ledes.rules.catalogue import CATALOGUE

    path = write_every_rule_file(tmp_path / "everyrule.txt")
    config = PRESETS["strict"]
    reads: list[str] = []
    made = wording.Wording.__init__

    def counted(self: wording.Wording, text: str) -> None:
        reads.append(text)
        made(self, text)

    monkeypatch.setattr(wording.Wording, "__init__", counted)
    for name in COSTS:
        reads.clear()
        others_off = {entry.name: "off" for entry in CATALOGUE if entry.guideline and entry.name != name}
        ledes.validate([path], attrs.evolve(config, levels={**config.levels, **others_off}), jobs=1)
        assert bool(reads) == (name in workers.READS_NARRATIVES), name


_ORPHANS = """
import os, sys, time
from ledes.workers import start_child

def work(send):
    while True:  # fills its pipe, then waits on it
        send(("invoices", b"x" * 65536))

first, first_process = start_child(work)
second, second_process = start_child(work, [first])
print(first_process.pid, second_process.pid, flush=True)
time.sleep(0.5)  # both pipes full: each child blocked on a send
os._exit(0)  # ended as SIGTERM or SIGKILL would end it: nothing closed, nothing terminated
"""


def _ended(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"  # a zombie has ended (init may not reap it here)
    except FileNotFoundError:
        return True


def test_children_end_when_the_parent_is_gone_however_it_ended():
    """Each child closes its copies of the receiving ends: with the parent gone its send fails, and it ends.

    Before, each kept its own pipe's reader (and its elder sibling's) open, and blocked on a full pipe forever:
    `ledes validate --jobs 4` sent SIGTERM left its workers behind.
    """
    import time

    started = subprocess.run([sys.executable, "-c", _ORPHANS], capture_output=True, text=True, timeout=60)
    pids = [int(pid) for pid in started.stdout.split()]
    assert len(pids) == 2, started.stderr
    deadline = time.monotonic() + 30  # a bound on a wait, not a measure of speed: they end at once
    while not all(map(_ended, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in pids if not _ended(pid)]
    for pid in left:
        os.kill(pid, 9)
    assert left == []
