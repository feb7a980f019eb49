"""``--format junit``: JUnit XML for test dashboards (GitLab, Jenkins): a test suite per file, a test case per rule.

Every rule the run checks is a test case in each file's suite: it passes when the rule
found nothing there, has one ``failure`` per error it found (so a suite's ``failures``
is its number of errors), and its warnings and notes as ``system-out``. The findings of
a file wait in temporary files (in memory while small) until its counts are known.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from ledes import Diagnostic
from ledes.diagnostics import Severity
from ledes.safetext import visible, xml_escaped

from .findings import FileTally, RunTally, copy_rest, spool
from .output import diagnostic_line

_SPOOL_IN_MEMORY = 64 << 10


# What XML 1.0 cannot hold: C0 controls but tab, LF and CR; surrogates; U+FFFE and U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _visible(text: str) -> str:
    return _FORBIDDEN.sub(lambda found: visible(found.group()), text)  # as every output shows it (\x00, \ufffe)


def xml_text(text: str) -> str:
    """Text as element content: markup escaped, a character XML cannot hold shown as ``\\xNN``, DEL, C1 and
    bidirectional controls as character references (``ledes.safetext.xml_escaped``)."""
    return xml_escaped(escape(_visible(text)))


def attribute(text: str) -> str:
    """Text as a quoted attribute value; line breaks and tabs as character references, so they survive parsing."""
    return xml_escaped(quoteattr(_visible(text), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}))


class _Case:
    """One rule's findings in one file: the failures and the output, as XML, kept in a temporary file."""

    def __init__(self) -> None:
        self.failures = 0
        self.body = spool(_SPOOL_IN_MEMORY)
        self.output = spool(_SPOOL_IN_MEMORY)
        self.has_output = False

    def close(self) -> None:
        self.body.close()
        self.output.close()


class JunitWriter:
    """``<testsuites>``, then a ``<testsuite>`` per file, each with a ``<testcase>`` per rule checked (``rules``)."""

    def __init__(self, out: TextIO, rules: Sequence[str]) -> None:
        self.out = out
        self.rules = rules
        self._cases: dict[str, _Case] = {}
        self._suites = spool(1 << 20)
        self._totals = [0, 0]  # test cases, failures

    def file_started(self, path: str, format: str | None) -> None:
        self._cases = {}

    def finding(self, path: str, diagnostic: Diagnostic, currency: str | None) -> None:
        case = self._cases.get(diagnostic.rule)
        if case is None:
            case = self._cases[diagnostic.rule] = _Case()
        line = diagnostic_line(path, diagnostic, currency)
        if diagnostic.severity is Severity.ERROR:
            case.failures += 1
            case.body.write(f"      <failure type={attribute(diagnostic.rule)} message={attribute(visible(diagnostic.message))}>"
                            f"{xml_text(line)}</failure>\n")
        else:
            case.has_output = True
            case.output.write(xml_text(line) + "\n")

    def file_finished(self, file: FileTally) -> None:
        names = list(self.rules) + sorted(set(self._cases) - set(self.rules))
        failures = sum(case.failures for case in self._cases.values())
        self._totals[0] += len(names)
        self._totals[1] += failures
        suites = self._suites
        suites.write(f"  <testsuite name={attribute(file.path)} tests=\"{len(names)}\" failures=\"{failures}\""
                     f" errors=\"0\" skipped=\"0\">\n")
        for name in names:
            case = self._cases.get(name)
            classname = attribute(f"ledes.{name.split('.')[0]}")
            if case is None:
                suites.write(f"    <testcase name={attribute(name)} classname={classname} file={attribute(file.path)}/>\n")
                continue
            suites.write(f"    <testcase name={attribute(name)} classname={classname} file={attribute(file.path)}>\n")
            case.body.seek(0)
            copy_rest(case.body, suites)
            if case.has_output:
                suites.write("      <system-out>")
                case.output.seek(0)
                copy_rest(case.output, suites)
                suites.write("</system-out>\n")
            suites.write("    </testcase>\n")
            case.close()
        suites.write("  </testsuite>\n")
        self._cases = {}

    def end(self, run: RunTally) -> None:
        tests, failures = self._totals
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                       f'<testsuites name="ledes validate" tests="{tests}" failures="{failures}" errors="0">\n')
        self._suites.seek(0)
        copy_rest(self._suites, self.out)
        self._suites.close()
        self.out.write("</testsuites>\n")
