"""No shipped file points users at the maintainers' private reference notes, which users do not have."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ["README.md", "docs", "ledes", "cli", "fixtures", "schemas", "benchmarks", "pyproject.toml"]
PRIVATE = ("../shared", "/work/shared", "ebilling-rules.md", "ledes-formats.md", "ledes-xml-elements.md", "utbms.md")
TEXT_SUFFIXES = {".md", ".py", ".toml", ".xsd", ".json", ".txt", ".xml", ".csv", ".tsv", ".html", ".cfg", ""}


def _shipped_files() -> list[Path]:
    files: list[Path] = []
    for name in SHIPPED:
        path = ROOT / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix in TEXT_SUFFIXES)
    return files


def test_shipped_files_cite_public_sources_only() -> None:
    """Shipped files name public sources, never a path or note that exists only beside the maintainers' checkout."""
    offenders = {}
    for path in _shipped_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        found = [word for word in PRIVATE if word in text]
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert len(_shipped_files()) > 100
    assert offenders == {}
