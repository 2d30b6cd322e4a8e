"""The PKCS#11 backend: sign through a SoftHSM2 token initialised in a temporary folder."""

import os
import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from release.models import SigningCredential
from release.signing import SignatureBox, SigningError, sign_anchor, sign_pdf, verify_anchor
from release.validation import validate_pdf

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN = "phatngon-test"
PIN = "123456"
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
HAVE_TOOLS = bool(
    os.path.exists(MODULE) and shutil.which("softhsm2-util") and shutil.which("pkcs11-tool")
)

pytestmark = pytest.mark.skipif(
    not HAVE_TOOLS and not REQUIRE_SERVICES,
    reason="SoftHSM2/opensc not installed (make system-test-deps)",
)


def _run(*cmd, env):
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"{cmd[0]} failed: {proc.stdout}{proc.stderr}"


@pytest.fixture(scope="module")
def softhsm_token(dev_pki, tmp_path_factory):
    """Initialise a SoftHSM2 token holding the agency key, its certificate and the issuing CA."""
    base = tmp_path_factory.mktemp("softhsm")
    (base / "tokens").mkdir()
    conf = base / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {base / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    # SoftHSM reads its configuration when the module is first initialised in this process.
    os.environ["SOFTHSM2_CONF"] = str(conf)
    env = dict(os.environ)

    key, cert, cas = pkcs12.load_key_and_certificates(
        dev_pki.agency.pkcs12_path.read_bytes(), dev_pki.agency.secret_path.read_bytes()
    )
    key_pem = base / "key.pem"
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_der = base / "cert.der"
    cert_der.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    ca_der = base / "ca.der"
    ca_der.write_bytes(cas[0].public_bytes(serialization.Encoding.DER))

    _run("softhsm2-util", "--init-token", "--free", "--label", TOKEN,
         "--so-pin", "12345678", "--pin", PIN, env=env)  # fmt: skip
    _run("softhsm2-util", "--import", str(key_pem), "--token", TOKEN,
         "--label", "seal", "--id", "01", "--pin", PIN, env=env)  # fmt: skip
    key_pem.unlink()  # the key now lives only in the token
    for path, label, obj_id in ((cert_der, "seal", "01"), (ca_der, "issuing-ca", "02")):
        _run("pkcs11-tool", "--module", MODULE, "--token-label", TOKEN, "--login",
             "--pin", PIN, "--write-object", str(path), "--type", "cert",
             "--label", label, "--id", obj_id, env=env)  # fmt: skip
    return base


@pytest.fixture
def token_credential(softhsm_token, dev_pki, organisation, monkeypatch, settings):
    # Trust the dev root for this test too, as `signing_credentials` does: under pytest-xdist
    # these tests failed once to find the dev root in the trust list (run order differs).
    settings.RELEASE_TRUST_ROOTS = [str(dev_pki.pki.root_path)]
    settings.RELEASE_PKI_DIR = dev_pki.directory
    settings.TSA_URL = ""
    monkeypatch.setenv("PHATNGON_TEST_TOKEN_PIN", PIN)
    return SigningCredential.objects.create(
        organisation=organisation,
        backend=SigningCredential.Backend.PKCS11,
        pkcs11_module=MODULE,
        pkcs11_token_label=TOKEN,
        pkcs11_key_label="seal",
        secret_env="PHATNGON_TEST_TOKEN_PIN",
        image_path=str(softhsm_token.parent / "missing.png"),
    )


def test_sign_pdf_through_the_token_validates(unsigned_pdf, token_credential, dev_pki):
    signed = sign_pdf(
        unsigned_pdf,
        credential=token_credential,
        field_name="ConDau",
        box=SignatureBox(page=0, x1=300, y1=100, x2=400, y2=200),
        reason="Đóng dấu điện tử",
    )

    report = validate_pdf(signed)
    assert report.all_valid
    assert report.signatures[0].signer == "Phòng Giáo dục và Đào tạo thành phố Thuận An"


def test_sign_anchor_through_the_token(token_credential):
    der = sign_anchor(b"anchor", credential=token_credential)
    assert verify_anchor(b"anchor", der)
    assert not verify_anchor(b"anchor!", der)


def test_unknown_key_label_is_a_signing_error(unsigned_pdf, token_credential):
    token_credential.pkcs11_key_label = "no-such-key"
    with pytest.raises(SigningError, match="PKCS#11"):
        sign_pdf(unsigned_pdf, credential=token_credential, field_name="S", box=None)


def test_incomplete_token_settings_are_a_signing_error(unsigned_pdf, token_credential):
    token_credential.pkcs11_token_label = ""
    with pytest.raises(SigningError, match="thiếu"):
        sign_pdf(unsigned_pdf, credential=token_credential, field_name="S", box=None)
