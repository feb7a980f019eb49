"""A forked child that ends with its parent, whatever ends the parent (SIGKILL too), instead of working on unwanted."""

from __future__ import annotations

import functools
import os
import signal
from collections.abc import Callable
from typing import cast

_PR_SET_PDEATHSIG = 1  # prctl's option (linux/prctl.h)


def ending_with_parent() -> Callable[[], None]:
    """Called before a fork: what the child calls first to end with its parent, whatever ends it (SIGKILL too).

    SIGINT ends the child quietly, as the parent, unless the parent ignores it (a
    background job). Linux's ``PR_SET_PDEATHSIG`` sends it SIGTERM when the parent ends; a
    parent already gone (no longer the child's parent) ends it at once, by the same SIGTERM,
    so that a handler it inherited (``safeoutput``'s, which removes an unfinished output) runs
    as it would have a moment later. Without the call
    (another libc), the child still ends at its next send to the parent. (ctypes is
    loaded here, in the parent: a child that loaded it would start later than it reads.)
    """
    parent, prctl = os.getpid(), _prctl()

    def in_child() -> None:
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
            if os.getppid() != parent:  # killed between the fork and here: end as PR_SET_PDEATHSIG would end it
                signal.raise_signal(signal.SIGTERM)
                os._exit(1)  # a SIGTERM the child ignores

    return in_child


@functools.cache
def _prctl() -> Callable[..., int] | None:
    try:
        import ctypes

        return cast(Callable[..., int], ctypes.CDLL(None).prctl)
    except (OSError, AttributeError):
        return None
