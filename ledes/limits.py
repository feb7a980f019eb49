"""The size limits ledes reads untrusted files under, and reading a configuration file within its limit (and its TOML).

Each limit is far above what a real file needs and is stated in the README ("Security
and limits"); a file over it is refused with a LedesConfigError or LedesInputError
(exit 2), never read on into memory.
"""

from __future__ import annotations

import os
import stat
from decimal import Decimal
from typing import Any

from ledes.errors import LedesConfigError

# A guidelines or mapping file: a rate table for 10,000 timekeepers is under 1 MB.
MAX_CONFIG_BYTES = 2 * 1024 * 1024
# Files a guidelines file may extend, one through the next (the shipped presets are one level).
MAX_EXTENDS_DEPTH = 32
# One part of an .xlsx workbook (a sheet, say), inflated; its shared strings, which are held in memory;
# one row of a sheet, as XML (openpyxl builds each row whole).
MAX_XLSX_PART_BYTES = 256 * 1024 * 1024
# All the parts of an .xlsx workbook, inflated: the work of checking it, whatever its parts' names.
MAX_XLSX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_XLSX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
# A part openpyxl reads whole, as a tree of some 30 bytes of memory per byte (styles, say, or the workbook part).
MAX_XLSX_WHOLE_PART_BYTES = 8 * 1024 * 1024
MAX_XLSX_ROW_BYTES = 1024 * 1024
# One line of a CSV export, in characters, and the columns of its header.
MAX_CSV_LINE = 1024 * 1024
MAX_COLUMNS = 1024
# A rule option's list of words or phrases is matched as one regular expression, whose size grows with the list: a
# guidelines file (which a repository's ledes.toml names, for every CI run) holds at most this many, each at most so long.
MAX_PHRASES = 2_000
MAX_PHRASE_LENGTH = 200


def read_config_text(path: str | os.PathLike[str], what: str) -> str:
    """The UTF-8 text of a configuration file, without a leading BOM (``what``: "guidelines", "mapping"); LedesConfigError when it
    cannot be read, is not UTF-8, or is larger than ``MAX_CONFIG_BYTES`` (``/dev/zero`` is refused, not read on).
    """
    where = os.fsdecode(path)
    try:
        # Opened without waiting: a named pipe no program writes to (``extends = "fifo"``) would block open() forever;
        # one a program writes to (``--guidelines <(cat g.toml)``) is then read as it comes.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        os.set_blocking(handle, True)
        with os.fdopen(handle, "rb") as stream:
            data = stream.read(MAX_CONFIG_BYTES + 1)
            if not data and stat.S_ISFIFO(os.fstat(stream.fileno()).st_mode):
                raise LedesConfigError(f"cannot read {what} '{where}': it is a named pipe that no program writes to")
    except OSError as error:
        raise LedesConfigError(f"cannot read {what} '{where}': {error.strerror or error}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise LedesConfigError(f"cannot read {what} '{where}': it is larger than {MAX_CONFIG_BYTES // 1024 // 1024} MB,"
                               " the limit for a configuration file")
    try:  # a byte order mark, which Windows editors write, is not part of the text
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LedesConfigError(f"cannot read {what} '{where}': {error}") from None


def parse_config_toml(text: str, where: str) -> dict[str, Any]:
    """A configuration file's TOML (``where`` names it), its floats read as Decimals (340.00 stays 340.00); a
    LedesConfigError when it is not TOML or nests so deep (``x = [[[[…]]]]``) that the parser would exhaust the stack.
    """
    import tomllib  # only when a configuration file is read

    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise LedesConfigError(f"{where}: not valid TOML: {error}") from None
    except RecursionError:
        raise LedesConfigError(f"{where}: not valid TOML for ledes: its arrays or tables are nested too deep") from None
