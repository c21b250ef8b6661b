"""``litreview check``: every stored file validated, alone and against the others."""
