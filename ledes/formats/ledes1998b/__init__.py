"""LEDES 1998B: the 24-field, pipe-delimited US e-billing format."""
