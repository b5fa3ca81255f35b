"""LNRS Toolkit plugin package."""
