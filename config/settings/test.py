"""Test settings: the base settings plus what only tests may do (eager Celery, fast hashing)."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-not-secret")  # noqa: S105
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)  # noqa: F405
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
# The ledger's triggers let `flush` (run between transaction=True tests) through only when allowed.
AUDIT_FLUSH_ALLOWED = True
# Tests upload many PDFs within a minute from one address; the limit's own test turns it on.
RELEASE_VERIFY_UPLOADS_PER_MINUTE = 0
