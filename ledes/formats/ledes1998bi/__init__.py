"""LEDES 1998BI (98BI V2): the 52-field international format with taxes, currency and addresses."""
