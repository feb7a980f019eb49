"""The ``ledes`` command line, installed as the ``ledes_cli`` package."""
