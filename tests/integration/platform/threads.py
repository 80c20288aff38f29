"""Work run at the same time in threads, each thread with its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable


def run_together(*jobs: Callable[[], object], barrier: bool = True, timeout: float = 60) -> None:
    """Run each job in a thread of its own and wait for all. With ``barrier`` they start together
    (a common barrier), so that they really overlap. Each thread closes its database connection
    when done; an exception raised in a job fails the test, in the test's thread."""
    from django.db import connection

    start = threading.Barrier(len(jobs)) if barrier else None
    errors: list[BaseException] = []

    def run(job: Callable[[], object]) -> None:
        try:
            if start is not None:
                start.wait()
            job()
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), f"a job still runs after {timeout} s"
    assert not errors, errors
