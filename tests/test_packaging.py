"""The wheel holds every package of the library: pyproject.toml lists each folder under ledes/."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_library_package_is_listed_in_pyproject():
    """A package missing from [tool.setuptools] packages would be missing from the wheel."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "ledes").rglob("__init__.py")
    }
    assert found <= listed
    assert "ledes_cli" in listed
