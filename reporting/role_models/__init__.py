"""Role models, on the web. Volunteers' pages are the `volunteer` blueprint (only the
role-model role passes the gate in auth/access.py); admins' approvals are routes of the admin
blueprint; students' pages are routes of the student blueprint (open; browsing sets no
cookie)."""
