"""A stand-in worker process whose killer wrote its death note, then SIGKILLed it, and never settled.

``python -m tests.worker.dying_child STORE_URL QUEUE --worker-nonce N --announce-fd FD`` (the supervisor's
argv): it leases one task as the worker id its supervisor expects, announces itself, writes the note a
killer writes before a hard kill, and SIGKILLs itself.  So the supervisor alone settles the task: the
case where it wins the race against a killer that has not recorded the timeout yet.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import time

from sergeant.store import open_store
from sergeant.worker.identity import worker_id_for
from sergeant.worker.process_killer import timeout_kill_reason


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store_url")
    parser.add_argument("queue")
    parser.add_argument("--worker-nonce", required=True)
    parser.add_argument("--announce-fd", type=int, required=True)
    args = parser.parse_args()
    worker_id = worker_id_for(os.getpid(), args.worker_nonce)
    store = open_store(args.store_url)
    (task,) = store.lease(args.queue, 1, 60, owner=worker_id)
    reason = timeout_kill_reason(1.0, 2.0)
    lines = [{"worker_id": worker_id, "store_url": args.store_url, "key_prefix": "sergeant"}, {"ready": True},
             {"killed": reason, "at": time.monotonic(), "queue": args.queue,
              "tasks": [{"task": task.id, "lease": task.lease_id, "retry": True, "reason": reason}]}]
    os.write(args.announce_fd, "".join(json.dumps(line) + "\n" for line in lines).encode())
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    main()
