"""The installed version of ledes, from the package metadata (a source tree that was never installed has none).

Read when first asked for (PEP 562): importing the package metadata is not free, and most
runs never print the version.
"""

from __future__ import annotations

import functools

__all__ = ["installed_version"]  # and __version__, read on first use


@functools.cache
def installed_version() -> str:
    """The version of the installed distribution, ``0+unknown`` in a source tree that was not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ledes")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return installed_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
