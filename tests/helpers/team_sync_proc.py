"""Run team syncs of one workspace in their own process, for tests that kill it mid-sync.

    python -m tests.helpers.team_sync_proc WORKSPACE.db [BATCH]

The rep's server password comes from the environment (EARNED_TEST_TEAM_PASSWORD) into an in-memory
keychain: the test's own keychain stays out of it. Prints SYNCING before each sync and DONE when the
outbox is empty, and syncs in a loop until then; BATCH once each pushed batch is on the server (a test kills
it at a moment of its choosing: after the n-th BATCH).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import keyring.backend

from app.secrets import TEAM_SERVER_KEY, SecretStore
from app.storage.database import open_store
from app.storage.repo import WorkspaceRepo
from app.team import client
from app.team.sync import Syncer


class _Keyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self, items):
        super().__init__()
        self.items = items

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        self.items.pop((service, username), None)


def _announcing_batches() -> None:
    push_batch = Syncer._push_batch

    def pushed(self, rows, attempts=3):
        result = push_batch(self, rows, attempts)
        print("BATCH", flush=True)
        return result

    Syncer._push_batch = pushed


def main(argv: list[str]) -> int:
    _announcing_batches()
    repo = WorkspaceRepo(open_store(Path(argv[0])).conn)
    batch = int(argv[1]) if len(argv) > 1 else None
    url = client.status(repo)["url"]
    secrets = SecretStore(_Keyring({("earned", f"{TEAM_SERVER_KEY}:{url}"): os.environ["EARNED_TEST_TEAM_PASSWORD"]}))
    while True:
        print("SYNCING", flush=True)
        client.sync(repo, secrets, batch=batch)
        if client.status(repo)["pending"] == 0:
            print("DONE", flush=True)
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
