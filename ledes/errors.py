"""Exceptions for problems in how ledes is called; problems inside an invoice are diagnostics instead."""


class LedesError(Exception):
    """Base class: the CLI turns these into one line on stderr and exit code 2."""


class LedesInputError(LedesError):
    """A file cannot be opened or read (missing, a directory, no permission)."""


class LedesConfigError(LedesError):
    """A rule level or option that does not exist or has the wrong type."""


class LedesWriteError(LedesError):
    """A model holds a value the target format cannot represent, or the output cannot be written."""
