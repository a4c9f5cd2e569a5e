"""The manual path: the analysts' legacy CSVs (declared in `files`), read strictly to their pinned
formats (`reading`) into the same SAP-shaped frames the automated builders take.

Rows are numbered as Excel shows them: the header is row 1, the first data row is row 2."""
