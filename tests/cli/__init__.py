"""Tests of the ledes command line."""
