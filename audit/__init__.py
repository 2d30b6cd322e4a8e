"""The audit ledger: append-only, hash-chained history of everything that happened.

`audit.record(...)` is the one way to write history. This package imports nothing of
phatngon's other apps; what it needs from above (the anchor signer) is named in settings.
"""


def record(**kwargs):
    """Append one event to the ledger (see audit.services.record)."""
    from .services import record as _record

    return _record(**kwargs)
