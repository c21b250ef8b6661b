"""Exports back to reference managers and other tools."""
