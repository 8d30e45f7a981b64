"""Belonging over time, on the web. Like spaces to meet, no blueprint of its own: the
student's pulse is a route of the student blueprint (open, cookie-free until the student
answers) and the admin's pages routes of the admin blueprint, so the gate in
auth/access.py and the admin page walks cover them unchanged."""
