"""Spaces to meet: the rules of a session (fields.py) and its calendar file (calendar.py)."""
