"""``Worker.lock(name)``: a named lock over the store, held by one lock object at a time."""

from __future__ import annotations

import secrets
import time
from types import TracebackType

from sergeant.errors import InvalidArgument
from sergeant.store.base import Store
from sergeant.worker.renamed import renamed


class Lock:
    """A lock with a TTL, so that a holder that dies cannot keep it forever.

    Each Lock object has its own owner token: two Lock objects for the same name
    exclude each other even inside one worker, and only the holder can release
    or extend it.
    """

    def __init__(self, store: Store, name: str, owner_prefix: str) -> None:
        if not name:
            raise InvalidArgument("a lock needs a name", op="worker.lock")
        self.name = name
        self.owner = f"{owner_prefix}/{secrets.token_hex(8)}"
        self._store = store

    @renamed(timeout="timeout_s", check_interval="check_interval_s", ttl="ttl_s")
    def acquire(self, timeout_s: float | None = None, check_interval_s: float = 1.0, ttl_s: float = 60.0) -> bool:
        """Try to take the lock every ``check_interval_s`` until ``timeout_s`` passes (None: wait forever).

        Stores have no blocking form for locks, so this polls; keep the interval coarse."""
        if ttl_s <= 0 or check_interval_s <= 0:
            raise InvalidArgument("ttl_s and check_interval_s must be > 0", op="worker.lock.acquire")
        give_up = None if timeout_s is None else time.monotonic() + timeout_s
        while True:
            if self._store.acquire_lock(self.name, self.owner, ttl_s):
                return True
            if give_up is not None:
                left = give_up - time.monotonic()
                if left <= 0:
                    return False
                time.sleep(min(check_interval_s, left))
            else:
                time.sleep(check_interval_s)

    def release(self) -> bool:
        """Release the lock if this object holds it; False when it did not (or the TTL ran out)."""
        return self._store.release_lock(self.name, self.owner)

    def is_locked(self) -> bool:
        """Whether anyone holds the lock."""
        return self._store.lock_ttl(self.name) is not None

    @renamed(ttl="ttl_s")
    def set_ttl(self, ttl_s: float) -> bool:
        """Give the held lock ``ttl_s`` more seconds from now; False when this object does not hold it."""
        return self._store.extend_lock(self.name, self.owner, ttl_s)

    def get_ttl(self) -> float | None:
        """Seconds left on the lock, or None when nobody holds it."""
        return self._store.lock_ttl(self.name)

    def __enter__(self) -> Lock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
