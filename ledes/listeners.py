"""The listeners the engine tells findings to: one that keeps them, one that ignores them, one that spools them to disk."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

import attrs

from ledes.diagnostics import Diagnostic, renamer
from ledes.formats import format_named, message_names
from ledes.results import FileChecked, FileReport, Listener

if TYPE_CHECKING:
    from ledes.latefindings import LateFindings
    from ledes.spooled import Records


class Ignored:
    """A listener that is told nothing matters: what a worker's reader finds is the reading process's to tell."""

    def file_started(self, path: str, format: str | None) -> None:
        pass

    def finding(self, diagnostic: Diagnostic, currency: str | None) -> None:
        pass

    def file_finished(self, file: FileChecked) -> None:
        pass


IGNORED = Ignored()


class Collector:
    """A listener that keeps every file's findings: the ``Report`` of ``validate``.

    ``spooled`` keeps them on disk past a few hundred (``ledes.spooled.Records``, equal to their
    tuple): ``convert``'s check of its output holds none of a million findings in memory.
    """

    def __init__(self, spooled: bool = False) -> None:
        self.files: list[FileReport] = []
        self.spooled = spooled
        self._found: list[Diagnostic] | Records[Diagnostic] = []

    def file_started(self, path: str, format: str | None) -> None:
        if self.spooled:
            from ledes.spooled import Records  # tempfile and pickle, for the runs that spool only

            self._found = Records()
        else:
            self._found = []

    def finding(self, diagnostic: Diagnostic, currency: str | None) -> None:
        self._found.append(diagnostic)

    def file_finished(self, file: FileChecked) -> None:
        found = tuple(self._found) if isinstance(self._found, list) else self._found
        self.files.append(FileReport(file.path, file.format, file.invoices, file.line_items, found,  # type: ignore[arg-type]
                                     file.currencies))


class Spool:
    """A listener that writes what it is told to a temporary file, to be told again (``replay``) once the run is over."""

    def __enter__(self) -> Spool:
        import pickle  # only a run with a run-wide rule on needs these
        import tempfile

        self._dump, self._load = pickle.dump, pickle.load
        self._file = tempfile.TemporaryFile()
        self._currencies: dict[str, Mapping[str, str | None]] = {}  # per file: its invoices' currencies
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self._file.close()
        except OSError:  # its buffer cannot be written either (a full disk): the error under way says why
            if exc_info[0] is None:
                raise

    def file_started(self, path: str, format: str | None) -> None:
        self._dump(("started", path, format), self._file)

    def finding(self, diagnostic: Diagnostic, currency: str | None) -> None:
        self._dump(("finding", diagnostic, currency), self._file)

    def file_finished(self, file: FileChecked) -> None:
        self._currencies[file.path] = file.currencies
        self._dump(("finished", file), self._file)

    def replay(self, listener: Listener, late: LateFindings) -> None:
        """Tell ``listener`` everything again, each file's findings merged by line with the run's own on that file."""
        self._file.seek(0)
        pending: Iterator[Diagnostic] = iter(())
        waiting: Diagnostic | None = None  # the next of the run's own findings on this file
        currencies: Mapping[str, str | None] = {}
        while True:
            try:
                event = self._load(self._file)
            except EOFError:
                return
            if event[0] == "started":
                listener.file_started(event[1], event[2])
                names, rename = _field_names(event[2]), _renamer(event[2])
                pending = (_named(diagnostic, names, rename) for diagnostic in late.of(event[1]))
                waiting = next(pending, None)
                currencies = self._currencies.get(event[1], {})
            elif event[0] == "finding":
                diagnostic = event[1]
                while waiting is not None and line_key(waiting) < line_key(diagnostic):
                    listener.finding(waiting, currencies.get(waiting.invoice or ""))
                    waiting = next(pending, None)
                listener.finding(diagnostic, event[2])
            else:
                while waiting is not None:
                    listener.finding(waiting, currencies.get(waiting.invoice or ""))
                    waiting = next(pending, None)
                listener.file_finished(event[1])


def line_key(diagnostic: Diagnostic) -> int:
    return diagnostic.line or 0


def _field_names(format_name: str | None) -> Mapping[str, str]:
    """The model's field paths in a format's own names; none for a file of no format (or one ledes does not read)."""
    try:
        return format_named(format_name).field_names if format_name else {}
    except KeyError:
        return {}


def _renamer(format_name: str | None) -> Callable[[str], str] | None:
    """What puts a format's own field names in a message written with 1998B's; None for 1998B, or no format."""
    try:
        return renamer(message_names(format_name)) if format_name else None
    except KeyError:
        return None


def _named(diagnostic: Diagnostic, names: Mapping[str, str], rename: Callable[[str], str] | None = None) -> Diagnostic:
    """A finding with its field, and the fields its message names, in the file format's own names."""
    if rename is not None:
        diagnostic = attrs.evolve(diagnostic, message=rename(diagnostic.message),
                                  hint=diagnostic.hint and rename(diagnostic.hint))
    location = diagnostic.location
    if location is None or location.field is None or location.field not in names:
        return diagnostic
    return attrs.evolve(diagnostic, location=attrs.evolve(location, field=names[location.field]))
