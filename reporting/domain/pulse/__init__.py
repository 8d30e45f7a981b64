"""Belonging over time: terms, the pulse's items and answers, and its suppressed results.
Plain Python: no Flask, no SQL."""
