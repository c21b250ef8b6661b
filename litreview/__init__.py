"""litreview: import, deduplicate, screen, tag and render a literature review's bibliography.

Every command of the CLI is also a function here; import the submodules for the full API.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
