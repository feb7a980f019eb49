"""Record the golden findings: `python tests/golden/record.py` rewrites tests/golden/findings/ from the current code.

The golden files hold what `ledes validate --format json` reports on every LEDES fixture
(plain, `--guidelines default` and `--guidelines strict`), on a guideline rule's cases with the
folder's own configuration (as tests/rules/test_rule_cases.py runs them), and on the generated
file of tests/golden/everyrule.py, where every rule a pipe file can break fires.
tests/test_golden.py compares the current findings with them. A change that means to change
findings regenerates them with this script and says so in its commit.
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FINDINGS = HERE / "findings"
FIXTURES = ROOT / "fixtures"
LEDES_SUFFIXES = {".txt", ".xml"}
GUIDELINE_VARIANTS = {"plain": [], "default": ["--guidelines", "default"], "strict": ["--guidelines", "strict"]}
NORTHWIND = ["--guidelines", "fixtures/guidelines/northwind-insurance.toml"]

sys.path[:0] = [str(HERE), str(ROOT / "tests" / "rules")]


def fixture_files() -> list[Path]:
    """Every LEDES file under fixtures/ (pipe and XML), by path."""
    return sorted(p for p in FIXTURES.rglob("*") if p.suffix in LEDES_SUFFIXES and p.is_file())


def golden_name(folder: Path) -> str:
    """One golden file per fixture folder: ``rules/rates.increase`` → ``rules__rates.increase.json``."""
    return "__".join(folder.relative_to(FIXTURES).parts) + ".json"


def validate_json(arguments: list[str]) -> dict:
    """The JSON document of `ledes validate --format json ARGUMENTS`, run in this process from the repository root."""
    from click.testing import CliRunner

    from ledes_cli.main import main

    with contextlib.chdir(ROOT):
        result = CliRunner().invoke(main, ["validate", "--format", "json", *arguments], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def case_findings(case: Path) -> list[dict] | None:
    """A guideline rule's case validated with its folder's configuration (None for other folders)."""
    from test_rule_cases import case_config  # type: ignore[import-not-found]

    import ledes

    config = case_config(case.parent.name)
    if config is None:
        return None
    (report,) = ledes.validate([case], config).files
    return [
        {"rule": d.rule, "severity": d.severity.value, "message": d.message, "line": d.line, "field": d.field,
         "invoice": d.invoice, "amount": None if d.amount is None else str(d.amount)}
        for d in report.diagnostics
    ]


def folder_documents(folder: Path, files: list[Path]) -> dict:
    """``{file name: {variant: findings}}`` for the LEDES files of one fixture folder."""
    documents: dict[str, dict] = {}
    for path in files:
        relative = str(path.relative_to(ROOT))
        variants: dict[str, object] = {
            name: validate_json([*options, relative]) for name, options in GUIDELINE_VARIANTS.items()
        }
        if folder.parent.name == "rules" and (case := case_findings(path)) is not None:
            variants["case"] = case
        documents[path.name] = variants
    return documents


def every_rule_documents() -> dict:
    """The generated file of tests/golden/everyrule.py, plain, with the presets and with Northwind's guidelines."""
    from everyrule import write_every_rule_file

    with tempfile.TemporaryDirectory() as folder:
        path = write_every_rule_file(Path(folder) / "everyrule.txt")
        variants = {name: validate_json([*options, str(path)]) for name, options in GUIDELINE_VARIANTS.items()}
        variants["northwind"] = validate_json([*NORTHWIND, str(path)])
    for document in variants.values():
        for file in document["files"]:
            file["path"] = "everyrule.txt"
    return {"everyrule.txt": variants}


def current() -> Iterator[tuple[str, dict]]:
    """Each golden file's name and the content the current code gives it."""
    by_folder: dict[Path, list[Path]] = {}
    for path in fixture_files():
        by_folder.setdefault(path.parent, []).append(path)
    for folder, files in sorted(by_folder.items()):
        yield golden_name(folder), folder_documents(folder, files)
    yield "generated__everyrule.json", every_rule_documents()


def dumps(content: dict) -> str:
    return json.dumps(content, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    FINDINGS.mkdir(exist_ok=True)
    written = set()
    for name, content in current():
        (FINDINGS / name).write_text(dumps(content), encoding="utf-8")
        written.add(name)
    for stale in FINDINGS.glob("*.json"):
        if stale.name not in written:
            stale.unlink()
    print(f"{len(written)} golden files written to {FINDINGS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
