"""Moving a journey from one app server to the other, deterministically.

With two app servers, `Failover(harness).next()` at each checkpoint of a journey:
  1st: stop server 1          -> every request lands on server 2
  2nd: start 1, stop server 2 -> every request lands on server 1
  3rd: start server 2         -> both again
so whatever a session started on one server must carry on on the other. With one
app server it does nothing, and the same journey runs unchanged.
"""

from __future__ import annotations

from tests.production.harness import Harness


class Failover:
    """The checkpoints of one journey on one harness."""

    def __init__(self, harness: Harness) -> None:
        self.harness = harness
        self.step = 0

    @property
    def active(self) -> bool:
        """Whether there is another server to fail over to."""
        return len(self.harness.apps) >= 2

    def next(self) -> None:
        """Take the next checkpoint (see the module docstring)."""
        if not self.active:
            return
        step, self.step = self.step, self.step + 1
        if step == 0:
            self.harness.stop_app(0)
        elif step == 1:
            self.harness.start_app(0)
            self.harness.stop_app(1)
        elif step == 2:
            self.harness.start_app(1)
        else:
            raise AssertionError("a journey has three fail-over checkpoints")

    def finish(self) -> None:
        """Assert every checkpoint was taken (and both servers run again)."""
        if self.active:
            assert self.step == 3, f"the journey took {self.step} of 3 fail-over checkpoints"
            assert all(self.harness.app_running(i) for i in range(len(self.harness.apps)))
