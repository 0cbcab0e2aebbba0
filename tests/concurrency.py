"""N requests at the same moment, each from its own thread and database connection (PostgreSQL: SQLite
serialises every writer, so it proves nothing)."""

import threading
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection


def at_once(n: int, act: Callable[[], object]) -> list[str]:
    """Runs `act` in n threads released together; for each, "applied" or the refusal's message, sorted."""
    barrier, outcomes = threading.Barrier(n), []

    def attempt() -> None:
        try:
            barrier.wait()
            act()
            outcomes.append("applied")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)
