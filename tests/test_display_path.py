"""A file's path as findings name it is what ``str(pathlib.Path(path))`` gives, worked out without pathlib."""

from __future__ import annotations

from pathlib import PurePosixPath

from hypothesis import example, given
from hypothesis import strategies as st

from ledes.engine import as_pathlib_shows


@given(st.text(alphabet="/.a", max_size=12))
@example("")
@example("//")
@example("///a//./b/.")
@example("./a/../b/")
def test_a_path_is_shown_as_pathlib_shows_it(text: str):
    assert as_pathlib_shows(text) == str(PurePosixPath(text))
