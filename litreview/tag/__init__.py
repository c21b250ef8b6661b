"""Tagging studies to the review's themes (themes.yaml)."""
