"""The cells of the HTML report's tables: what may wrap (names), what never breaks (ids, dates, numbers), short paths."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import PurePath

import attrs

from ledes.reports.keys import Key
from ledes.safetext import html_text as escape

# Column kinds: a number (right-aligned, never broken), an id, code, date or currency (never broken), a
# key's label (its ids never broken, its name wrapping between words), a file's short name, plain text.
NUMBER, ID, LABEL, PATH, TEXT = "num", "id", "label", "path", "text"
# A file name longer than this is shortened in the middle; the files table gives every path whole.
PATH_CHARACTERS = 28


@attrs.frozen
class ShortPath:
    """A file's name as a table shows it, with its whole path for the tooltip."""

    text: str
    full: str


Cell = str | Key | ShortPath


def short_paths(paths: Iterable[str]) -> dict[str, Cell]:
    """Each path's shortest trailing part that tells it from the others (its file name, mostly), at most 28 characters."""
    parts = {path: PurePath(path).parts or (path,) for path in dict.fromkeys(paths)}
    shown: dict[str, Cell] = {}
    pending, depth = list(parts), 1
    while pending:
        suffixes = Counter(parts[path][-depth:] for path in parts)
        unresolved = []
        for path in pending:
            if suffixes[parts[path][-depth:]] == 1 or depth >= len(parts[path]):
                shown[path] = ShortPath(_middle_short("/".join(parts[path][-depth:])), path)
            else:
                unresolved.append(path)
        pending, depth = unresolved, depth + 1
    return shown


def _middle_short(text: str) -> str:
    """``travisbashor_tes…sample_file.txt``: the start and the end of a long name, the extension kept."""
    if len(text) <= PATH_CHARACTERS:
        return text
    keep = PATH_CHARACTERS - 1
    return text[: keep // 2] + "…" + text[len(text) - (keep - keep // 2):]


def render_cell(value: Cell, kind: str) -> str:
    """One ``<td>`` of ``kind``: a key's ids in an unbreakable span before its name, a short path with its whole path."""
    if isinstance(value, Key):
        ids = " ".join(part for part in (value.value, value.alias) if part) or value.label
        name = f" {escape(value.name)}" if value.name and value.value is not None else ""
        return f'<td class="{kind}"><span class="id">{escape(ids)}</span>{name}</td>'
    if isinstance(value, ShortPath):
        return f'<td class="{kind}" title="{escape(value.full)}">{escape(value.text)}</td>'
    return f'<td class="{kind}">{escape(value)}</td>'
