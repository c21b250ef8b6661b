"""The review as a whole: ``run``, ``status`` and ``init``."""
