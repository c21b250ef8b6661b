"""Extraction and quality appraisal of the included studies."""
