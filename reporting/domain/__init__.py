"""Plain-Python rules of Belong: no Flask, no SQL."""
