"""Text options and arguments: a click type that refuses a value that is not valid UTF-8, naming the option.

Python gives a command line's bytes that are not UTF-8 as lone surrogates ("\\udcff"); such
text cannot be stored in the ledger, written to a file or printed, and would fail later
with a UnicodeEncodeError. Every option or argument that is text (not a file's path: a
file name that is not UTF-8 is legitimate) has the type ``TEXT``, or a type that calls
``utf8``, so the call fails at once: ``ledes: error: Invalid value for '--reason': 'a\\xff'
is not valid UTF-8``, exit 2.
"""

from __future__ import annotations

import click


def utf8(kind: click.ParamType, value: str, param: click.Parameter | None, ctx: click.Context | None) -> str:
    """``value`` when it is valid UTF-8; else ``kind`` fails naming ``param`` (a usage error, exit 2)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        from ledes.safetext import visible  # only for the message: start-up stays small

        kind.fail(f"'{visible(value)}' is not valid UTF-8", param, ctx)
    return value


class Text(click.ParamType):
    """Any text that is valid UTF-8."""

    name = "text"

    def convert(self, value, param, ctx) -> str:
        return utf8(self, value, param, ctx) if isinstance(value, str) else value


TEXT = Text()
