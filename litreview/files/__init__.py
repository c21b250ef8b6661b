"""Stored files: YAML with one schema helper, atomic and journalled writes, the derived-results cache."""
