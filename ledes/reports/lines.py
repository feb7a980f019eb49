"""Where each line item of a file is, so that a finding (file line or XPath) can be traced to its line item."""

from __future__ import annotations

import attrs

from ledes.model import Location


@attrs.frozen(eq=False)
class LineRef:
    """A line item read: its invoice, matter and currency, and whether the report counts it (compared by identity)."""

    invoice: str | None
    matter: str | None
    currency: str | None
    selected: bool


@attrs.define
class LineIndex:
    """The line items of one file by physical line (pipe formats) and by XPath (XML)."""

    by_line: dict[int, LineRef] = attrs.field(factory=dict)
    by_xpath: dict[str, LineRef] = attrs.field(factory=dict)

    def add(self, location: Location | None, ref: LineRef) -> None:
        if location is None:
            return
        if location.xpath:
            self.by_xpath[location.xpath] = ref
        elif location.line is not None:
            self.by_line[location.line] = ref

    def find(self, location: Location | None) -> LineRef | None:
        """The line item a finding is about: at its XPath or the nearest element holding it; else the record on its line."""
        if location is None:
            return None
        if location.xpath is None:
            return self.by_line.get(location.line) if location.line is not None else None
        xpath = location.xpath
        while xpath:
            found = self.by_xpath.get(xpath)
            if found is not None:
                return found
            xpath, _, step = xpath.rpartition("/")
            if step.startswith("matter["):
                return None  # a matter's own element is not one of its lines
        return None
