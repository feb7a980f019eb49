"""A bounded sample of a file's findings keeps exactly the first by line and the first errors, and counts the rest."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ledes.diagnostics import Diagnostic, Location, Severity
from ledes.findingsample import FindingSample

SEVERITIES = [Severity.ERROR, Severity.WARNING, Severity.INFO]


def finding(index: int, line: int | None, severity: Severity) -> Diagnostic:
    return Diagnostic("field.date", severity, f"finding {index}", Location("f.txt", line))


@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(1, 40)), st.sampled_from(SEVERITIES)), max_size=300),
       st.integers(1, 12))
def test_the_sample_keeps_the_first_by_line_and_the_first_errors(drawn, keep):
    found = [finding(index, line, severity) for index, (line, severity) in enumerate(drawn)]
    sample, kept = FindingSample(keep), []
    for diagnostic in found:
        sample.add(kept, diagnostic)
    sample.cut(kept)
    in_order = sorted(found, key=lambda d: d.line or 0)  # stable: ties in the order found, as the commands sort them
    assert sorted(kept, key=lambda d: d.line or 0)[:keep] == in_order[:keep]
    errors = [d for d in in_order if d.severity is Severity.ERROR]
    assert [d for d in sorted(kept, key=lambda d: d.line or 0) if d.severity is Severity.ERROR][:keep] == errors[:keep]
    assert sample.counts(kept) == (len(found), len(errors))
    assert len(kept) <= 4 * keep
