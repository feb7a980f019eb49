"""The installed version of ledes, from the package metadata (a source tree that was never installed has none)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ledes")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
