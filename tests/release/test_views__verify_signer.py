"""The verification page warns, visibly, when the register's signer is not the holder of any
certificate that signed the file (issue 13)."""

from release import verification, views
from tests.release.helpers import issue


def _signature(name):
    return {"signer": name, "signed_at": None, "intact": True, "trusted": True, "valid": True}


def test_signer_mismatch_compares_names_not_case_or_spacing():
    assert not verification.signer_mismatch("Trần Văn Lãnh", [_signature("TRẦN  VĂN LÃNH")])
    assert verification.signer_mismatch("Trần Văn Lãnh", [_signature("Nguyễn Văn Khác")])
    assert not verification.signer_mismatch("", [_signature("Nguyễn Văn Khác")])


def test_the_page_shows_a_warning_box_when_the_names_differ(
    organisation, head, client, monkeypatch
):
    document = issue(organisation, head)
    document.refresh_from_db()
    url = f"/xac-thuc/{document.verify_token}/"
    monkeypatch.setattr(
        views, "_stored_signatures", lambda d: ([_signature("Nguyễn Văn Khác")], "")
    )
    html = client.get(url).content.decode()
    assert 'class="verdict verdict-warn signer-mismatch" role="alert"' in html
    assert "Tên người ký không khớp với chứng thư số" in html
    monkeypatch.setattr(
        views, "_stored_signatures", lambda d: ([_signature(document.signer_name)], "")
    )
    assert "signer-mismatch" not in client.get(url).content.decode()
