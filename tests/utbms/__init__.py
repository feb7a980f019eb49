"""Tests of the UTBMS code sets and the `ledes codes` command."""
