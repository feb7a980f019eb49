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
    # ledes.lazynames is the package's own PEP 562 hook (ledes/__init__.py), a few lines that import nothing of ledes.
    assert not {m for m in modules if m.startswith("ledes.") and m not in ("ledes.errors", "ledes.formats",
                                                                          "ledes.formats.keys", "ledes.lazynames",
                                                                          "ledes.version")}
    assert "importlib.metadata" in modules  # the version is read, from the package metadata


def test_validating_a_pipe_file_imports_no_xml_importer_reports_or_narrative_patterns():
    modules = imported("validate", str(FIXTURE))
    assert "ledes.engine" in modules and "ledes.formats.pipe.reader" in modules
    unwanted = {"lxml", "lxml.etree", "ledes.formats.ledesxml.reader", "ledes.formats.ledes2000.reader",
                "ledes.importing", "ledes.reports", "ledes_cli.importing", "ledes_cli.reporting",
                "ledes.narratives.tasks", "ledes.narratives.vagueness", "importlib.metadata", "tempfile",
                # nor OpenSSL (the run-wide stores' blake2b is _blake2's), nor the XML and LEDES 2000 element tables
                "hashlib", "_hashlib", "ledes.formats.ledesxml.table", "ledes.formats.ledes2000.table",
                # nor the model's addresses, contacts and stated figures, which a 1998B file has none of
                "ledes.model.contacts", "ledes.model.stated",
                # nor what only converting does: finding losses, completing an invoice for its target
                "ledes.formats.losses", "ledes.formats.rewrites", "ledes.conversion"}
    assert modules & unwanted == set()


def test_validating_a_1998b_file_builds_no_address_contact_or_stated_figure_class():
    probe = PROBE.replace("print(json.dumps(sorted(sys.modules)))",
                          "print(json.dumps(sorted(vars(sys.modules['ledes.model']))))")
    out = subprocess.run([sys.executable, "-c", probe, "validate", str(FIXTURE)], capture_output=True, text=True,
                         check=True).stdout
    names = set(json.loads(out.splitlines()[-1]))
    assert "Invoice" in names and not names & {"Address", "Contact", "Stated", "StatedTax", "StatedTotals"}


def test_the_model_names_imported_when_first_used_are_its_classes():
    import ledes
    import ledes.model
    from ledes.model import Address, Stated, StatedTotals
    from ledes.model.contacts import Address as AddressHome
    from ledes.model.stated import Stated as StatedHome

    assert Address is AddressHome and Stated is StatedHome and ledes.Address is Address
    assert set(ledes.model.__all__) <= set(dir(ledes.model))
    assert all(getattr(ledes.model, name) is not None for name in ledes.model.__all__)
    assert StatedTotals().figures == {} and Address(city="Lyon") == ledes.model.Address(city="Lyon")


def test_guidelines_load_the_narrative_checks_when_they_run():
    modules = imported("validate", "--guidelines", "default", str(FIXTURE))
    assert {"ledes.narratives.tasks", "ledes.narratives.vagueness", "ledes.narratives.clerical"} <= modules
