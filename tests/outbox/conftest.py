"""Fixtures for the outbox: SMTP servers that refuse or hang, and a broker with no worker."""

import socket

import pytest

from config.celery import app as celery_app


def reset_broker_connections():
    """Drop pooled broker connections made for an earlier broker URL in this process."""
    from kombu import pools

    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on (connecting to it is refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_refusing(settings):
    """SMTP pointed at a port that refuses the connection."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return settings.EMAIL_PORT


@pytest.fixture
def smtp_hanging(settings):
    """SMTP pointed at a server that takes the connection and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)  # the kernel completes the handshake; nobody ever accepts or answers
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.getsockname()[1]
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.close()


@pytest.fixture
def broker(settings):
    """Celery as in production (not eager), on an in-memory broker no worker reads."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "memory://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    reset_broker_connections()

    def queued_tasks() -> list[tuple[str, list]]:
        """Take the messages waiting in the default queue: (task name, args)."""
        out = []
        with celery_app.connection_for_read() as conn:
            queue = conn.SimpleQueue(celery_app.conf.task_default_queue)
            while True:
                try:
                    message = queue.get(timeout=0.2)
                except queue.Empty:
                    break
                out.append((message.headers["task"], message.payload[0]))
                message.ack()
            queue.close()
        return out

    queued_tasks()  # the memory transport lives as long as the process: start empty
    yield queued_tasks
    queued_tasks()
    reset_broker_connections()


@pytest.fixture
def broker_down(settings):
    """Celery not eager, its broker unreachable (a refused port)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    reset_broker_connections()
    yield
    reset_broker_connections()
