"""GET /metrics: Prometheus figures for the internal network only.

What a scrape returns: the request and task figures of core.metrics (added up over every
process that wrote to PROMETHEUS_MULTIPROC_DIR), and figures read at scrape time — Celery
queue depth (Redis LLEN of each queue named in the settings), the ledger head, open and
overdue cases, outbox mail and issued documents by state. Each of those is one indexed query
(docs/operations.md has their plans on 200,000 cases).

Reachable only from METRICS_ALLOWED_NETWORKS, checked on REMOTE_ADDR itself: a request that
came through the reverse proxy (it carries X-Forwarded-For) is refused even from 127.0.0.1,
so that the public site never exposes it. Anyone else gets the site's plain 404.
"""

from __future__ import annotations

import logging
import os

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from core.http import address_in

logger = logging.getLogger(__name__)

# kombu's Redis transport keeps each priority level of a queue in its own list:
# "<queue>", "<queue>\x06\x163", "<queue>\x06\x166", "<queue>\x06\x169".
_PRIORITY_SEPARATOR = "\x06\x16"
_PRIORITY_STEPS = (3, 6, 9)


def metrics_allowed(request) -> bool:
    """Whether REMOTE_ADDR is in METRICS_ALLOWED_NETWORKS and the request did not come
    through a proxy (no X-Forwarded-For / X-Real-IP / Forwarded)."""
    meta = request.META
    if any(meta.get(h) for h in ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")):
        return False
    return address_in(meta.get("REMOTE_ADDR") or "", settings.METRICS_ALLOWED_NETWORKS)


def queue_names() -> list[str]:
    """Every Celery queue the settings name, read now (not at import): the default queue,
    the queues of CELERY_TASK_ROUTES and of CELERY_TASK_QUEUES."""
    names = {getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", None) or "celery"}
    routes = getattr(settings, "CELERY_TASK_ROUTES", None) or {}
    for route in routes.values() if isinstance(routes, dict) else ():
        if isinstance(route, dict) and route.get("queue"):
            queue = route["queue"]
            names.add(queue if isinstance(queue, str) else getattr(queue, "name", str(queue)))
    for queue in getattr(settings, "CELERY_TASK_QUEUES", None) or ():
        name = getattr(queue, "name", None)
        if name:
            names.add(name)
    return sorted(names)


def queue_depths(names: list[str]) -> dict[str, int] | None:
    """Messages waiting in each queue (all priority levels), or None when the broker is not
    Redis or does not answer within a second."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        pipe = client.pipeline(transaction=False)
        for name in names:
            pipe.llen(name)
            for step in _PRIORITY_STEPS:
                pipe.llen(f"{name}{_PRIORITY_SEPARATOR}{step}")
        lengths = pipe.execute()
    except redis.RedisError:
        logger.warning("metrics: the broker did not answer; queue depth left out")
        return None
    finally:
        client.close()
    per_queue = 1 + len(_PRIORITY_STEPS)
    return {name: sum(lengths[i * per_queue : (i + 1) * per_queue]) for i, name in enumerate(names)}


def _by_status(queryset, statuses) -> dict[str, int]:
    counts = dict.fromkeys(statuses, 0)
    rows = queryset.filter(status__in=statuses).values_list("status").annotate(n=Count("pk"))
    counts.update({status: n for status, n in rows.order_by()})
    return counts


class DomainCollector:
    """Figures read from the database and the broker at each scrape."""

    def collect(self):
        from audit.models import LedgerEvent
        from outbox.models import OutgoingMail
        from release.models import IssuedDocument
        from workflows.models import Case

        up = GaugeMetricFamily(
            "phatngon_metrics_source_up",
            "1 when the source of a group of figures answered this scrape, else 0.",
            labels=["source"],
        )
        redis_broker = settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
        depths = queue_depths(queue_names()) if redis_broker else None
        if redis_broker:  # other brokers (the demo's folders): no queue depth, no "down"
            up.add_metric(["broker"], 0 if depths is None else 1)
        if depths is not None:
            queue = GaugeMetricFamily(
                "phatngon_celery_queue_length",
                "Messages waiting in a Celery queue (Redis LLEN over its priority lists).",
                labels=["queue"],
            )
            for name, depth in depths.items():
                queue.add_metric([name], depth)
            yield queue
        try:
            now = timezone.now()
            head = LedgerEvent.objects.aggregate(head=Max("seq"))["head"] or 0
            open_cases = Case.objects.filter(status__in=Case.OPEN_STATUSES)
            n_open = open_cases.count()
            n_overdue = open_cases.filter(due_at__lt=now).count()
            mail = _by_status(
                OutgoingMail.objects, [OutgoingMail.Status.QUEUED, OutgoingMail.Status.FAILED]
            )
            S = IssuedDocument.Status
            documents = _by_status(
                IssuedDocument.objects, [S.QUEUED, S.RENDERING, S.SIGNED, S.FAILED]
            )
        except Exception:  # noqa: BLE001 — a scrape must answer even with the database away
            logger.warning("metrics: the database did not answer; its figures left out")
            up.add_metric(["database"], 0)
            yield up
            return
        up.add_metric(["database"], 1)
        yield up
        yield GaugeMetricFamily(
            "phatngon_ledger_head_sequence", "Sequence number of the last ledger event.", head
        )
        yield GaugeMetricFamily("phatngon_cases_open", "Press cases not yet closed.", n_open)
        yield GaugeMetricFamily(
            "phatngon_cases_overdue", "Open press cases past their due time.", n_overdue
        )
        outbox = GaugeMetricFamily(
            "phatngon_outbox_mail", "Outgoing e-mails by state.", labels=["status"]
        )
        for status, n in mail.items():
            outbox.add_metric([str(status)], n)
        yield outbox
        issued = GaugeMetricFamily(
            "phatngon_documents",
            "Issued documents not yet issued or failed, by state.",
            labels=["status"],
        )
        for status, n in documents.items():
            issued.add_metric([str(status)], n)
        yield issued


def process_registry():
    """This process's own metrics, or in multiprocess mode every process's files."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        reg = CollectorRegistry()
        multiprocess.MultiProcessCollector(reg)
        return reg
    from prometheus_client import REGISTRY

    return REGISTRY


@login_not_required
@never_cache
@require_GET
def metrics(request):
    """Prometheus text format, for the internal network only (404 for anyone else)."""
    if not metrics_allowed(request):
        raise Http404
    domain = CollectorRegistry(auto_describe=False)
    domain.register(DomainCollector())
    body = generate_latest(process_registry()) + generate_latest(domain)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
