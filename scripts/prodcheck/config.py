"""What the run is made of: ports, folders, the application's environment, nginx's config.

Pure functions (tests/prodcheck/test_config.py): nothing here starts a process.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
PG_BIN = Path("/usr/lib/postgresql/15/bin")


@dataclass
class Topology:
    """Where each part of the run listens and keeps its files (all under `run_dir`)."""

    run_dir: Path
    pg_port: int = 5439
    redis_port: int = 6390
    smtp_port: int = 8025
    web_port: int = 8202
    http_port: int = 8080
    https_port: int = 8443
    # Each worker node serves its own task figures (CELERY_METRICS_PORT): signing, default.
    metrics_ports: tuple[int, int] = (9808, 9809)
    database: str = "phatngon"
    web_workers: int = 3
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))

    def metrics_dir(self, service: str) -> Path:
        """PROMETHEUS_MULTIPROC_DIR of one service (web, worker-signing…), emptied at start."""
        return self.run_dir / "metrics" / service

    def metrics_port(self, queue: str) -> int:
        return self.metrics_ports[0 if queue == "signing" else 1]

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def pg_data(self) -> Path:
        return self.run_dir / "pgdata"

    @property
    def pg_socket_dir(self) -> Path:
        return self.run_dir / "pgsock"

    @property
    def media_root(self) -> Path:
        return self.run_dir / "media"

    @property
    def var_dir(self) -> Path:
        return self.run_dir / "var"

    @property
    def logs(self) -> Path:
        return self.run_dir / "logs"

    @property
    def certificate(self) -> Path:
        return self.run_dir / "tls" / "cert.pem"

    @property
    def certificate_key(self) -> Path:
        return self.run_dir / "tls" / "key.pem"

    def database_url(self, name: str | None = None) -> str:
        return f"postgres://postgres@127.0.0.1:{self.pg_port}/{name or self.database}"

    def ports(self) -> dict[str, int]:
        return {
            "postgresql": self.pg_port,
            "redis": self.redis_port,
            "smtp": self.smtp_port,
            "gunicorn": self.web_port,
            "nginx http": self.http_port,
            "nginx https": self.https_port,
            "signing node metrics": self.metrics_ports[0],
            "default node metrics": self.metrics_ports[1],
        }


def app_environment(topology: Topology, base: dict[str, str] | None = None) -> dict[str, str]:
    """The production environment of gunicorn, the workers, beat and manage.py.

    Short timers where waiting the production defaults would make the drills last hours:
    heartbeats judged stale after 75 s (beat sends them every minute), a queued document
    handed over again after 30 s, an e-mail retried after 10 s (×2, ×4…).
    """
    t = topology
    env = dict(base or {})
    for name in list(env):  # nothing of the caller's own phatngon settings leaks in
        if name.startswith(("DJANGO_", "CELERY_", "DATABASE_", "REDIS_")) or name in APP_VARIABLES:
            del env[name]
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DEBUG": "false",
            "SECRET_KEY": t.secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": t.base_url,
            "SITE_URL": t.base_url,
            "TRUSTED_PROXIES": "127.0.0.1",
            "DATABASE_URL": t.database_url(),
            "CONN_MAX_AGE": "60",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{t.redis_port}/0",
            "CACHE_URL": f"redis://127.0.0.1:{t.redis_port}/1",
            "EMAIL_URL": f"smtp://127.0.0.1:{t.smtp_port}",
            "EMAIL_TIMEOUT": "5",
            "MEDIA_ROOT": str(t.media_root),
            "PHATNGON_VAR_DIR": str(t.var_dir),
            "HEALTHZ_HEARTBEAT_MAX_AGE": "75",
            "RELEASE_REDISPATCH_SECONDS": "30",
            "OUTBOX_RETRY_SECONDS": "10",
            "OUTBOX_LOST_AFTER_SECONDS": "30",
            # The drills submit 50 cases in a burst from two journalists, and every user of
            # the API journey and the drills logs in from the same address.
            "API_CASE_SUBMIT_RATE": "10000/hour",
            "API_LOGIN_RATE": "1000/minute",
            "API_USER_RATE": "100000/minute",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
            "GUNICORN_BIND": f"127.0.0.1:{t.web_port}",
            "WEB_CONCURRENCY": str(t.web_workers),
        }
    )
    return env


# Settings of the application a caller's environment must not carry into the run.
APP_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "TRUSTED_PROXIES",
    "CACHE_URL",
    "EMAIL_URL",
    "MEDIA_ROOT",
    "PHATNGON_VAR_DIR",
    "RELEASE_PKI_DIR",
    "RELEASE_TRUST_ROOTS",
    "TSA_URL",
    "HEALTHZ_HEARTBEATS",
    "SECURE_SSL_REDIRECT",
    "PORT",
}


PLACEHOLDER = re.compile(r"@[A-Z_]+@")


def nginx_site(topology: Topology, template: str | None = None) -> str:
    """deploy/nginx.conf with this run's ports, upstream and certificate filled in."""
    t = topology
    text = template if template is not None else NGINX_TEMPLATE.read_text()
    values = {
        "@UPSTREAM@": f"127.0.0.1:{t.web_port}",
        "@HTTP_PORT@": f"127.0.0.1:{t.http_port}",
        "@HTTPS_PORT@": f"127.0.0.1:{t.https_port}",
        "@HTTPS_PORT_SUFFIX@": "" if t.https_port == 443 else f":{t.https_port}",
        "@SERVER_NAME@": "127.0.0.1 localhost",
        "@CERTIFICATE@": str(t.certificate),
        "@CERTIFICATE_KEY@": str(t.certificate_key),
    }
    for name, value in values.items():
        text = text.replace(name, value)
    left = sorted(set(PLACEHOLDER.findall(text)))
    if left:
        raise ValueError(f"deploy/nginx.conf: no value for {', '.join(left)}")
    return text


def nginx_main(topology: Topology, site: str) -> str:
    """A whole nginx.conf around `site`, private to the run (its own pid, logs, temp files)."""
    d = topology.run_dir / "nginx"
    return f"""daemon off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {topology.logs}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    access_log {topology.logs}/nginx-access.log;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
{site}
}}
"""


def redis_command(topology: Topology) -> list[str]:
    """A redis-server of the run's own: no persistence, so a restart comes back empty."""
    return [
        "redis-server",
        "--port",
        str(topology.redis_port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(topology.run_dir),
    ]
