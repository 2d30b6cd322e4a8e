"""API tokens: only a digest of each key is stored; the key is shown once, when issued."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS


class ApiToken(AbstractAuthToken):
    """An API token (knox): SHA-512 digest of the key, its first characters, and its expiry.

    An integer id names the token in lists and revocations, so neither the digest nor any part
    of the key ever appears in a URL or in the ledger.
    """

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ("-created", "-id")

    def __str__(self) -> str:
        return f"#{self.pk} ({self.user})"

    @property
    def prefix(self) -> str:
        """The first characters of the key, so its holder can tell their tokens apart."""
        return self.token_key[:8]
