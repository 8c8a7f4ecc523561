"""Pure text helpers, importable without Django."""
