"""Spaces to meet, on the web. No blueprint of its own: the student pages are routes of the
student blueprint (open, cookie-free until the student acts), the organisers' pages routes
of the admin and staff blueprints, so the gate in auth/access.py covers them unchanged."""
