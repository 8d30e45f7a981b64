"""`flask check-deployment`: what is wrong with a live install, in plain English.

Each check is a small function returning a Result (name, status, detail); runner.py runs
them all against the app and formats the report; the command in reporting/cli_ops.py prints it.
"""

from reporting.deployment_check.result import Result, Status
from reporting.deployment_check.runner import failed, report, run_checks

__all__ = ["Result", "Status", "failed", "report", "run_checks"]
