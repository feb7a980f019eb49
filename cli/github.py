"""``--format github``: one GitHub Actions workflow command per finding, so each shows as an annotation on its file.

The syntax and escaping are GitHub's ("Workflow commands for GitHub Actions", docs.github.com):
``::error file=F,line=N,title=T::MESSAGE``; in the message ``%``, CR and LF are escaped
(``%25``, ``%0D``, ``%0A``), and in a property value also ``:`` and ``,`` (``%3A``, ``%2C``).
"""

from __future__ import annotations

import re
from typing import TextIO

from ledes import Diagnostic
from ledes.safetext import visible

from .findings import FileTally, RunTally
from .output import plural

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


_LINE_BREAK = re.compile(r"(\r|\n)")


def escape_data(text: str) -> str:
    """A message as a workflow command carries it: control characters from the file made visible (``\\x1b``,
    ``ledes.safetext``) but line breaks, which GitHub shows as such, escaped as it requires."""
    kept = "".join(part if part in "\r\n" else visible(part) for part in _LINE_BREAK.split(text))
    return kept.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file, title) as a workflow command carries it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(path: str, diagnostic: Diagnostic) -> str:
    """``::error file=…,line=…,title=RULE::message`` (``warning`` / ``notice`` by level)."""
    properties = [f"file={escape_property(path)}"]
    if diagnostic.line is not None:
        properties.append(f"line={diagnostic.line}")
    properties.append(f"title={escape_property(diagnostic.rule)}")
    message = diagnostic.message
    details = [part for part in (diagnostic.field, diagnostic.invoice and f"invoice {diagnostic.invoice}") if part]
    if details:
        message += f" [{', '.join(details)}]"
    return f"::{COMMANDS[diagnostic.severity.value]} {','.join(properties)}::{escape_data(message)}"


class GithubWriter:
    """Each finding as a workflow command; the run's counts as a plain line at the end."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def file_started(self, path: str, format: str | None) -> None:
        pass

    def finding(self, path: str, diagnostic: Diagnostic, currency: str | None) -> None:
        self.out.write(command(path, diagnostic) + "\n")

    def file_finished(self, file: FileTally) -> None:
        pass

    def end(self, run: RunTally) -> None:
        self.out.write(f"{plural(run.files, 'file')}: {plural(run.errors, 'error')}, {plural(run.warnings, 'warning')}\n")
