"""Revoke a user's API tokens whenever their password changes, whatever the path.

Admin forms, the password change and reset views and `changepassword` all end in a save of the
user with a new hash: comparing the stored hash before the save catches every one of them.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from . import services

User = get_user_model()


def _is_hash_upgrade(user, old: str, update_fields) -> bool:
    # check_password() re-hashes a correct but outdated hash with the current hasher: it calls
    # set_password(), clears _password, then saves only the password. Not a change.
    if getattr(user, "_password", None) is not None or update_fields != frozenset({"password"}):
        return False
    try:
        hasher, preferred = identify_hasher(old), get_hasher("default")
        # The same test as django.contrib.auth.hashers.check_password's.
        return hasher.algorithm != preferred.algorithm or preferred.must_update(old)
    except ValueError:  # unusable or unknown hash: not something check_password upgrades
        return False


@receiver(pre_save, sender=User, dispatch_uid="api.password_seen")
def _password_seen(sender, instance, update_fields=None, raw=False, **kwargs):
    instance._api_password_changed = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
    old = stored.first()
    if old is not None and old != instance.password:
        instance._api_password_changed = not _is_hash_upgrade(instance, old, update_fields)


@receiver(post_save, sender=User, dispatch_uid="api.password_changed")
def _revoke_on_password_change(sender, instance, created=False, raw=False, **kwargs):
    if raw or created or not getattr(instance, "_api_password_changed", False):
        return
    instance._api_password_changed = False
    services.token_revoke_all(user=instance, by=None, reason="password_change")
