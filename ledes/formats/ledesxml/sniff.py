"""How a LEDES XML format recognises a document as its own: by the name of its root element."""

from __future__ import annotations

import re
from collections.abc import Callable

from ledes.formats.base import CERTAIN, FALLBACK, NOT_MINE

_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(ledesxmlebilling2\.[0-9]|ledesxml)[\s>/]")


def root_name(text: str) -> str | None:
    """The LEDES root element named in a document's first characters (``ledesxmlebilling2.1``), or None."""
    found = _ROOT.search(text)
    return found.group(1) if found else None


def root_sniffer(root: str, *, fallback: bool = False) -> Callable[[str], int]:
    """The ``sniff`` of the XML format whose root element is ``root``; a ``fallback`` one takes any other XML."""

    def sniff(text: str) -> int:
        head = text.lstrip("\ufeff").lstrip()
        if not head.startswith("<"):
            return NOT_MINE
        if root_name(head) == root:
            return CERTAIN
        return FALLBACK if fallback else NOT_MINE

    return sniff
