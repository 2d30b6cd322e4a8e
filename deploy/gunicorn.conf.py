"""gunicorn settings for phatngon behind nginx (deploy/nginx.conf).

    gunicorn -c deploy/gunicorn.conf.py config.wsgi

GUNICORN_BIND (default 127.0.0.1:8000) and WEB_CONCURRENCY (default 2 × CPUs + 1) from the
environment; everything else the application reads itself (config/settings/base.py).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# No request renders or sends mail; a request slower than this is a bug, not a workload.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
# Only nginx on this machine may set the scheme (X-Forwarded-Proto) for gunicorn itself;
# Django reads the client address from X-Forwarded-For with TRUSTED_PROXIES.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}i)s'
# Load the application, and every view behind the URL configuration, once in the master before
# forking: a worker then answers its first request at once instead of importing WeasyPrint and
# pyHanko inside it (on a busy machine that first import outlasted `timeout` and the worker was
# killed). A code change then needs a restart, not a HUP.
preload_app = True


def when_ready(server):
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — imports every view module now
