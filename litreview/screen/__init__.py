"""Screening: criteria and rules, people's decisions, reviewers, ranking, audits, full-text retrieval."""
