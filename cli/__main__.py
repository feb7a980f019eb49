"""``python -m ledes_cli``: the same as the ``ledes`` command."""

from ledes_cli.main import main

main()
