"""Text rules shared by the steps: normalising, names, one term engine, the place gazetteer."""
