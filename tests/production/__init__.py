"""Production harness: deploy/ run for real (nginx, gunicorn, PostgreSQL, Redis, worker, jobs).

harness.py starts and stops it (no pytest there); conftest.py gives the `harness` and
`harness_pair` fixtures; the tests here drive it over https, Chromium included.
"""
