"""The pure parts of `make prod-check`: nginx's config, the run's environment, the summary,
the SMTP sink (scripts/prodcheck/)."""

import io
import smtplib
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest

from scripts.prodcheck.config import (
    NGINX_TEMPLATE,
    PLACEHOLDER,
    Topology,
    app_environment,
    nginx_main,
    nginx_site,
    redis_command,
)
from scripts.prodcheck.report import Report, percentile
from scripts.prodcheck.smtp import SmtpSink


@pytest.fixture
def topology(tmp_path):
    return Topology(run_dir=tmp_path, secret_key="s" * 50)


def test_the_nginx_template_is_filled_completely(topology):
    site = nginx_site(topology)
    assert not PLACEHOLDER.search(site)
    assert "proxy_pass http://phatngon_web;" in site
    assert "server 127.0.0.1:8202;" in site
    assert "listen 127.0.0.1:8443 ssl;" in site
    assert "return 301 https://$host:8443$request_uri;" in site
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Request-ID $request_id"):
        assert f"proxy_set_header {header}" in site
    assert "location /metrics {\n        deny all;" in site
    # One X-Request-ID in the answer (nginx's), not nginx's and the application's echo.
    assert "add_header X-Request-ID $request_id always;" in site
    assert "proxy_hide_header X-Request-ID;" in site
    assert f"ssl_certificate     {topology.certificate};" in site


def test_on_port_443_the_redirect_names_no_port(tmp_path):
    site = nginx_site(Topology(run_dir=tmp_path, https_port=443))
    assert "return 301 https://$host$request_uri;" in site


def test_a_name_without_value_is_refused(topology):
    with pytest.raises(ValueError, match="@NEW_THING@"):
        nginx_site(topology, NGINX_TEMPLATE.read_text() + "\n# @NEW_THING@\n")


@pytest.mark.skipif(not Path("/usr/sbin/nginx").exists(), reason="nginx is not installed")
def test_nginx_accepts_the_whole_config(topology):
    from scripts.prodcheck.services import self_signed_certificate

    self_signed_certificate(topology.certificate, topology.certificate_key)
    folder = topology.run_dir / "nginx"
    folder.mkdir()
    topology.logs.mkdir()
    conf = folder / "nginx.conf"
    conf.write_text(nginx_main(topology, nginx_site(topology)))
    result = subprocess.run(
        ["/usr/sbin/nginx", "-t", "-q", "-c", str(conf), "-p", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_run_environment_is_production_and_private(topology):
    env = app_environment(
        topology,
        {
            "PATH": "/usr/bin",
            "DEBUG": "true",
            "DATABASE_URL": "postgres://shared/x",
            "TSA_URL": "x",
        },
    )
    assert env["PATH"] == "/usr/bin"
    assert env["DEBUG"] == "false"
    assert "TSA_URL" not in env
    assert env["DATABASE_URL"] == "postgres://postgres@127.0.0.1:5439/phatngon"
    assert env["CELERY_BROKER_URL"] == "redis://127.0.0.1:6390/0"
    assert env["CACHE_URL"] == "redis://127.0.0.1:6390/1"
    assert env["EMAIL_URL"] == "smtp://127.0.0.1:8025"
    assert env["TRUSTED_PROXIES"] == "127.0.0.1"
    assert env["SITE_URL"] == env["CSRF_TRUSTED_ORIGINS"] == "https://127.0.0.1:8443"
    assert env["MEDIA_ROOT"].startswith(str(topology.run_dir))


def test_redis_keeps_nothing_on_disk(topology):
    command = redis_command(topology)
    assert command[command.index("--save") + 1] == ""
    assert command[command.index("--appendonly") + 1] == "no"
    assert command[command.index("--port") + 1] == "6390"


def test_the_summary_counts_and_fails():
    out = io.StringIO()
    report = Report(out=out)
    report.add("a", True, "1 s")
    report.add("b", False, "2 × 500")
    assert out.getvalue() == "PASS a: 1 s\nFAIL b: 2 × 500\n"
    assert report.summary() == "1 passed, 1 failed"
    assert report.exit_status() == 1
    assert Report(out=out).exit_status() == 1  # nothing checked is no pass


def test_percentile_is_the_nearest_rank():
    assert percentile([], 50) == 0.0
    assert percentile([3, 1, 2, 4], 50) == 2
    assert percentile(list(range(1, 101)), 95) == 95
    assert percentile([7], 99) == 7


def test_the_smtp_sink_keeps_mail_and_refuses_on_demand():
    sink = SmtpSink(0).start()
    try:
        message = EmailMessage()
        message["Subject"] = "Hồ sơ HS-2026-1 đã được tiếp nhận"
        message["From"] = "no-reply@phatngon.local"
        message["To"] = "vanthu@example.org"
        message.set_content("Nội dung")
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as smtp:
            smtp.send_message(message)
        assert sink.state.count() == 1
        received = sink.state.messages[0]
        assert received.subject == "Hồ sơ HS-2026-1 đã được tiếp nhận"
        assert received.recipients == ["vanthu@example.org"]
        sink.state.refusing = True
        with pytest.raises(smtplib.SMTPConnectError):
            smtplib.SMTP("127.0.0.1", sink.port, timeout=5)
        assert sink.state.refused == 1
    finally:
        sink.stop()
