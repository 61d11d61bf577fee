"""Errors that carry a message meant for the rep, not a traceback."""


class EarnedError(Exception):
    """Base class: str(error) is a plain sentence saying what happened and what to do."""


class InputError(EarnedError):
    """The rep gave us something we cannot use (empty name, bad URL, unknown id...)."""


class StoreError(EarnedError):
    """The local workspace cannot be opened or written."""


class StoreLocked(StoreError):
    """Another process holds the workspace."""


class SchemaTooNew(StoreError):
    """The workspace was written by a newer Earned; we refuse to touch it."""


class SecretsUnavailable(EarnedError):
    """No usable OS keychain: features that need an API key are off."""


class DiskFull(StoreError):
    """The disk holding the workspace is full: the write was rolled back, nothing earlier lost."""


class StoreBusy(StoreError):
    """Another Earned kept the workspace's write lock for longer than we wait."""
