"""Signals other apps listen to (release imports none of them)."""

from django.dispatch import Signal

# Sent once, inside the transaction that marks a document issued (numbered, rendered, signed,
# sealed and registered), so listeners change their state atomically with it. Arguments:
# document (IssuedDocument).
document_issued = Signal()

# Sent inside the transaction that cancels (thu hồi) a document. Arguments: document.
document_cancelled = Signal()
