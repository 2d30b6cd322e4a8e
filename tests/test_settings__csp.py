"""Every HTML page carries a strict Content-Security-Policy (django-csp)."""

import pytest


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/dang-nhap/", "/quen-mat-khau/", "/tin-bao-chi/", "/xac-thuc/", "/api/docs/"]
)
def test_html_pages_carry_a_strict_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    policy = _directives(response["Content-Security-Policy"])
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


def test_staff_pages_carry_the_policy(client, head):
    client.force_login(head)
    response = client.get("/workspace/cases/pages/")
    assert response.status_code == 200
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_swagger_ui_start_up_script_is_a_file_not_inline(client):
    page = client.get("/api/docs/").content.decode()
    assert "<script>" not in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_inline_style_in_swagger_ui_carries_the_request_nonce(client):
    response = client.get("/api/docs/")
    nonce = response.content.decode().split('<style nonce="', 1)[1].split('"', 1)[0]
    assert f"'nonce-{nonce}'" in _directives(response["Content-Security-Policy"])["style-src"]
