"""``python -m ledes``: the ``ledes`` command, as its console script runs it."""

from ledes_cli.main import run

run()
