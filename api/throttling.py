"""Throttles whose rates are read from settings at request time (so they stay configurable)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from core.http import client_ip


class _SettingsRateThrottle(SimpleRateThrottle):
    setting = ""
    default_rate = ""

    def get_rate(self):
        return getattr(settings, self.setting, self.default_rate) or None

    def get_ident(self, request):
        # Not DRF's: it believes any client's X-Forwarded-For when NUM_PROXIES is unset.
        return client_ip(request) or "unknown"


class AnonThrottle(_SettingsRateThrottle):
    """Anonymous callers, per client IP."""

    scope = "anon"
    setting = "API_ANON_RATE"
    default_rate = "120/minute"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserThrottle(_SettingsRateThrottle):
    """Signed-in callers, per user."""

    scope = "user"
    setting = "API_USER_RATE"
    default_rate = "1200/minute"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class LoginThrottle(_SettingsRateThrottle):
    """Token requests, per client IP: slows down password guessing."""

    scope = "login"
    setting = "API_LOGIN_RATE"
    default_rate = "10/minute"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class CaseSubmitThrottle(_SettingsRateThrottle):
    """New cases, per journalist (API_CASE_SUBMIT_RATE)."""

    scope = "case_submit"
    setting = "API_CASE_SUBMIT_RATE"
    default_rate = "20/hour"
    _retry_after = None

    def allow_request(self, request, view):
        if not super().allow_request(request, view):
            return False
        # The same allowance as the portal: cases submitted on either count (selectors).
        from workflows.cases.selectors import case_submit_retry_after

        if request.user and request.user.is_authenticated:
            self._retry_after = case_submit_retry_after(request.user)
        return self._retry_after is None

    def wait(self):
        if self._retry_after is not None:
            return self._retry_after
        return super().wait()

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
