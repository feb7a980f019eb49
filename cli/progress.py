"""Progress of a long run on standard error: files, line items, rate and time left, only on a terminal and never in CI."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from ledes.engine import Progress

# A run shorter than this shows nothing; LEDES_PROGRESS_AFTER (seconds) changes it.
SHOW_AFTER = 2.0
REDRAW_EVERY = 0.25  # seconds between two updates of the line
CLEAR_LINE = "\r\x1b[K"


class ProgressLine:
    """One line on ``stream`` (standard error), rewritten in place as the run goes on and wiped at the end.

    It shows only when ``stream`` is a terminal and ``CI`` is not set, so that logs, pipes and
    redirections never carry it, and only once the run has lasted ``SHOW_AFTER`` seconds.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) and not os.environ.get("CI")
        self.after = _seconds(os.environ.get("LEDES_PROGRESS_AFTER"), SHOW_AFTER)
        self.started = time.monotonic()
        self.drawn_at: float | None = None
        self.finished_items = 0  # line items of the files already read
        self.current: tuple[int, int] = (0, 0)  # (file, its line items so far)

    def __call__(self, progress: Progress) -> None:
        if not self.enabled:
            return
        if progress.file != self.current[0]:
            self.finished_items += self.current[1]
        self.current = (progress.file, progress.line_items)
        now = time.monotonic()
        elapsed = now - self.started
        if not progress.line_items or elapsed < self.after or (
            self.drawn_at is not None and now - self.drawn_at < REDRAW_EVERY
        ):
            return
        self.drawn_at = now
        self.stream.write(CLEAR_LINE + describe(progress, self.finished_items + progress.line_items, elapsed))
        self.stream.flush()

    def close(self) -> None:
        """Wipe the line, so that what follows on the terminal starts on a clean one."""
        if self.drawn_at is not None:
            self.stream.write(CLEAR_LINE)
            self.stream.flush()
            self.drawn_at = None


def describe(progress: Progress, line_items: int, elapsed: float) -> str:
    """``ledes: file 1 of 2 (big.txt): 412,000 line items, 85,300 a second, 43%, about 7 s left``."""
    text = f"ledes: file {progress.file} of {progress.files} ({_clip(progress.path)}): {line_items:,} line items"
    if elapsed > 0:
        text += f", {line_items / elapsed:,.0f} a second"
    if progress.size and progress.bytes_read is not None:
        share = min(progress.bytes_read / progress.size, 1.0)
        text += f", {share:.0%}"
        if share > 0:
            left = elapsed / share - elapsed  # this file's rest, at the run's pace so far
            text += f", about {left:,.0f} s left"
    return text


def _clip(path: str, width: int = 40) -> str:
    """The file's name, its printable characters only, shortened from the left."""
    shown = "".join(c if c.isprintable() else "?" for c in path)
    return shown if len(shown) <= width else "…" + shown[-(width - 1):]


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _seconds(text: str | None, default: float) -> float:
    try:
        return max(float(text), 0.0) if text else default
    except ValueError:
        return default
