"""``python -m ledes_cli``: the same as the ``ledes`` command."""

from .main import main

main()
