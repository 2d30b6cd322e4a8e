import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(args, env_extra, tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "SECURE_SSL_REDIRECT",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "PHATNGON_VAR_DIR": str(tmp_path),
            **env_extra,
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_check_deploy_is_silent_with_production_settings(tmp_path):
    r = _manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "DEBUG": "false",
            "SECRET_KEY": "k" * 20 + "production-like-secret-with-enough-entropy-5f8a9c",
            "ALLOWED_HOSTS": "phatngon.example.gov.vn",
        },
        tmp_path,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "WARNINGS" not in r.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    r = _manage(["check"], {"DEBUG": "false"}, tmp_path)
    assert r.returncode != 0
    assert "Set SECRET_KEY" in r.stderr


def test_the_demo_generates_its_secret_into_var(tmp_path):
    r = _manage(["check"], {"DEBUG": "true"}, tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def _site_url(env_extra, tmp_path) -> str:
    r = _manage(
        ["shell", "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        {"DEBUG": "true", **env_extra},
        tmp_path,
    )
    assert r.returncode == 0, r.stderr
    return r.stdout.strip().splitlines()[-1]


def test_site_url_follows_the_demo_port_unless_set(tmp_path, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    assert _site_url({}, tmp_path) == "http://127.0.0.1:8000"
    assert _site_url({"PORT": "8100"}, tmp_path) == "http://127.0.0.1:8100"
    assert (
        _site_url({"PORT": "8100", "SITE_URL": "https://phatngon.example.gov.vn/"}, tmp_path)
        == "https://phatngon.example.gov.vn"
    )


def test_demo_serve_exports_a_site_url_that_follows_its_port():
    script = (ROOT / "bin" / "demo-serve").read_text()
    assert 'SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"' in script


def test_internal_probes_are_not_redirected_to_https(tmp_path):
    """Prometheus and the load balancer reach gunicorn over plain HTTP inside the network:
    /metrics and /healthz answer there; every other page still goes to HTTPS."""
    code = (
        "import re; from django.conf import settings; "
        "print(settings.SECURE_SSL_REDIRECT, "
        "[p for p in ('metrics', 'healthz', 'tin-bao-chi/', 'metrics/x', 'api/v1/cases/') "
        "if any(re.search(e, p) for e in settings.SECURE_REDIRECT_EXEMPT)])"
    )
    r = _manage(
        ["shell", "-c", code],
        {
            "DEBUG": "false",
            "SECRET_KEY": "k" * 20 + "production-like-secret-with-enough-entropy-5f8a9c",
        },
        tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "True ['metrics', 'healthz']"
