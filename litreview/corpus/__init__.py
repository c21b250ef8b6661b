"""The corpus: records.bib read and written, merges followed, corrections, search logs."""
