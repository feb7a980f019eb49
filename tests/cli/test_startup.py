"""Start-up imports only what a command uses: `ledes --version` no library, a 1998B validation no XML, importer or reports.

Counted by module, not timed: each case runs in a fresh interpreter and lists what it imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "1998b" / "valid" / "multi_matter.txt"

PROBE = """
import contextlib, io, json, sys
from ledes_cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(sys.argv[1:], prog_name="ledes")
    except SystemExit:
        pass
print(json.dumps(sorted(sys.modules)))
"""


def imported(*arguments: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", PROBE, *arguments], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_version_imports_no_part_of_the_library():
    modules = imported("--version")
    assert not {m for m in modules if m.startswith("ledes.") and m not in ("ledes.errors", "ledes.formats",
                                                                          "ledes.formats.keys", "ledes.version")}
    assert "importlib.metadata" in modules  # the version is read, from the package metadata


def test_validating_a_pipe_file_imports_no_xml_importer_reports_or_narrative_patterns():
    modules = imported("validate", str(FIXTURE))
    assert "ledes.engine" in modules and "ledes.formats.pipe.reader" in modules
    unwanted = {"lxml", "lxml.etree", "ledes.formats.ledesxml.reader", "ledes.formats.ledes2000.reader",
                "ledes.importing", "ledes.reports", "ledes_cli.importing", "ledes_cli.reporting",
                "ledes.narratives.tasks", "ledes.narratives.vagueness", "importlib.metadata", "tempfile",
                # nor OpenSSL (the run-wide stores' blake2b is _blake2's), nor the XML and LEDES 2000 element tables
                "hashlib", "_hashlib", "ledes.formats.ledesxml.table", "ledes.formats.ledes2000.table"}
    assert modules & unwanted == set()


def test_guidelines_load_the_narrative_checks_when_they_run():
    modules = imported("validate", "--guidelines", "default", str(FIXTURE))
    assert {"ledes.narratives.tasks", "ledes.narratives.vagueness", "ledes.narratives.clerical"} <= modules
