"""Belonging over time: a school's pulse items, anonymous answers, and suppressed results."""
