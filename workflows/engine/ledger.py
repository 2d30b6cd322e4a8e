"""One ledger event about an artifact (a case or a statement), in the caller's transaction."""

import audit
from roles.selectors import actor_role


def artifact_record(artifact, action: str, by, before=None, after=None, role=""):
    """Write `action` by `by` on `artifact` to the ledger; the client's address comes from
    audit.context (bound per request, cleared per Celery task)."""
    return audit.record(
        action=action,
        actor=by,
        actor_role=role or actor_role(by, artifact.organisation),
        organisation=artifact.organisation,
        target=artifact,
        before=before,
        after=after,
    )
