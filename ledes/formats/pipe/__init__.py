"""The pipe-delimited LEDES formats (1998B, 1998BI): one reader and one writer, driven by each format's field table."""
