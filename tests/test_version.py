"""One version, from the package metadata: the library, the CLI and the reports all show it."""

from __future__ import annotations

from importlib.metadata import version

from click.testing import CliRunner

import ledes
from ledes.version import __version__
from ledes_cli.main import main


def test_the_version_comes_from_the_package_metadata():
    assert __version__ == version("ledes") and ledes.__version__ is __version__


def test_the_cli_shows_it():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output == f"ledes, version {__version__}\n"
