from litreview.cli import entry

entry()
