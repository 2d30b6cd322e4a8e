"""A development PKI: root CA, issuing CA, TSA, and PKCS#12 credentials for agencies and signers.

For demos and tests only. Production keys come from a licensed CA (PKCS#12 file or token);
this module never runs outside `make_dev_pki` and the test fixtures.
"""

from __future__ import annotations

import hashlib
import math
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = [
    "DevPki",
    "IssuedCredential",
    "ensure_authorities",
    "issue_credential",
    "seal_png",
    "signature_png",
]

KEY_SIZE = 2048  # RSA: EC keys make pyHanko declare PDF 2.0, and DummyTimeStamper needs RSA.
SIGNATURE_BLUE = (20, 50, 160)
SEAL_RED = (210, 20, 40)
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)


def _now() -> datetime:
    return datetime.now(tz=UTC)


def _write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only (0600), creating it with those rights."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(path, 0o600)


def _name(cn: str, organisation: str = "", unit: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]))
    if unit:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit[:64]))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn[:64]))
    return x509.Name(attrs)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def _builder(subject, issuer, public_key, days: int) -> x509.CertificateBuilder:
    now = _now()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _ca_extensions(builder, path_length: int | None):
    return builder.add_extension(
        x509.BasicConstraints(ca=True, path_length=path_length), critical=True
    ).add_extension(
        x509.KeyUsage(
            digital_signature=False,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=True,
            crl_sign=True,
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )


def _leaf_usage(builder):
    return builder.add_extension(
        x509.BasicConstraints(ca=False, path_length=None), critical=True
    ).add_extension(
        x509.KeyUsage(
            digital_signature=True,
            content_commitment=True,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=False,
            crl_sign=False,
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )


def _aki(builder, issuer_cert: x509.Certificate):
    ski = issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
    )


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _load_pair(cert_path: Path, key_path: Path):
    if not (cert_path.exists() and key_path.exists()):
        return None
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except ValueError:
        return None
    if cert.not_valid_after_utc < _now() + timedelta(days=30):
        return None  # about to expire: make a new one
    return cert, key


@dataclass
class DevPki:
    """The development authorities on disk (root, issuing CA, TSA) and their keys."""

    directory: Path
    root_cert: x509.Certificate
    root_key: rsa.RSAPrivateKey
    ca_cert: x509.Certificate
    ca_key: rsa.RSAPrivateKey
    tsa_cert: x509.Certificate
    tsa_key: rsa.RSAPrivateKey
    created: bool  # True if the authorities were (re)made in this call

    @property
    def root_path(self) -> Path:
        return self.directory / "root-ca.pem"

    @property
    def ca_path(self) -> Path:
        return self.directory / "issuing-ca.pem"

    @property
    def tsa_cert_path(self) -> Path:
        return self.directory / "tsa.pem"

    @property
    def tsa_key_path(self) -> Path:
        return self.directory / "tsa.key.pem"


def ensure_authorities(directory: Path, *, force: bool = False) -> DevPki:
    """Load the dev root CA, issuing CA and TSA from directory, or make them (force: remake)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    paths = {
        "root": (directory / "root-ca.pem", directory / "root-ca.key.pem"),
        "ca": (directory / "issuing-ca.pem", directory / "issuing-ca.key.pem"),
        "tsa": (directory / "tsa.pem", directory / "tsa.key.pem"),
    }
    loaded = {} if force else {k: _load_pair(*v) for k, v in paths.items()}
    if not force and all(loaded.values()):
        root, ca, tsa = loaded["root"], loaded["ca"], loaded["tsa"]
        return DevPki(directory, *root, *ca, *tsa, created=False)

    root_key = _new_key()
    root_name = _name("phatngon DEV Root CA", "phatngon (thử nghiệm, không có giá trị pháp lý)")
    root_cert = _ca_extensions(
        _builder(root_name, root_name, root_key.public_key(), 3650), path_length=1
    ).sign(root_key, hashes.SHA256())

    ca_key = _new_key()
    ca_name = _name("phatngon DEV Issuing CA", "phatngon (thử nghiệm, không có giá trị pháp lý)")
    ca_cert = _aki(
        _ca_extensions(_builder(ca_name, root_name, ca_key.public_key(), 3650), path_length=0),
        root_cert,
    ).sign(root_key, hashes.SHA256())

    tsa_key = _new_key()
    tsa_cert = (
        _aki(
            _builder(
                _name("phatngon DEV TSA", "phatngon (thử nghiệm)"),
                ca_name,
                tsa_key.public_key(),
                3650,
            ),
            ca_cert,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    for (cert_path, key_path), (cert, key) in zip(
        paths.values(),
        ((root_cert, root_key), (ca_cert, ca_key), (tsa_cert, tsa_key)),
        strict=True,
    ):
        cert_path.write_bytes(_pem(cert))
        _write_private(key_path, _key_pem(key))
    return DevPki(directory, root_cert, root_key, ca_cert, ca_key, tsa_cert, tsa_key, created=True)


@dataclass(frozen=True)
class IssuedCredential:
    """Files of one issued credential: PKCS#12, its passphrase file, the certificate, the image."""

    pkcs12_path: Path
    secret_path: Path
    cert_path: Path
    image_path: Path
    subject: str
    not_after: datetime
    created: bool


def issue_credential(
    pki: DevPki,
    *,
    stem: Path,
    common_name: str,
    organisation: str,
    title: str = "",
    kind: str,
    image_text: str = "",
    force: bool = False,
) -> IssuedCredential:
    """Issue (or reuse) a signing certificate as `<stem>.p12` + `.secret` + `.pem` + `.png`.

    kind is "person" (blue handwritten-style signature image) or "seal" (red round seal).
    """
    stem = Path(stem)
    p12_path = stem.with_suffix(".p12")
    secret_path = stem.with_suffix(".secret")
    cert_path = stem.with_suffix(".pem")
    image_path = stem.with_suffix(".png")
    subject = _name(common_name, organisation, title)

    cert = None
    reuse = not force and not pki.created and p12_path.exists() and secret_path.exists()
    if reuse and cert_path.exists():
        try:
            cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        except ValueError:
            cert = None
        if cert is not None and (
            cert.subject != subject
            or cert.issuer != pki.ca_cert.subject
            or cert.not_valid_after_utc < _now() + timedelta(days=30)
        ):
            cert = None
    created = cert is None
    if created:
        key = _new_key()
        cert = _leaf_usage(
            _aki(_builder(subject, pki.ca_cert.subject, key.public_key(), 825), pki.ca_cert)
        ).sign(pki.ca_key, hashes.SHA256())
        passphrase = secrets.token_urlsafe(24)
        data = pkcs12.serialize_key_and_certificates(
            name=common_name.encode("utf-8")[:64],
            key=key,
            cert=cert,
            cas=[pki.ca_cert],
            encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
        )
        _write_private(secret_path, passphrase.encode())
        _write_private(p12_path, data)
        cert_path.write_bytes(_pem(cert))
    if created or force or not image_path.exists():
        if kind == "seal":
            seal_png(image_path, text=organisation, centre=image_text)
        else:
            signature_png(image_path, seed=common_name)
    return IssuedCredential(
        pkcs12_path=p12_path,
        secret_path=secret_path,
        cert_path=cert_path,
        image_path=image_path,
        subject=subject.rfc4514_string(),
        not_after=cert.not_valid_after_utc,
        created=created,
    )


# --------------------------------------------------------------------------- images


def _font(size: int):
    from PIL import ImageFont

    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return None


def signature_png(path: Path, *, seed: str, size: tuple[int, int] = (600, 240)) -> None:
    """Draw a transparent blue handwriting-like flourish, different for every seed."""
    from PIL import Image, ImageDraw

    rng = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest()[:8], "big")
    width, height = size
    scale = 2  # draw large, then shrink: smooth edges without antialiasing support in lines
    img = Image.new("RGBA", (width * scale, height * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    points = []
    loops = 3 + rng % 3
    amp = 0.28 + (rng >> 8) % 10 / 100
    for i in range(400):
        t = i / 399
        x = 0.08 + 0.8 * t + 0.05 * math.sin(t * loops * 2 * math.pi + (rng % 7))
        y = 0.5 + amp * math.sin(t * loops * 2 * math.pi * 1.5 + (rng >> 4) % 5) * (1 - 0.5 * t)
        points.append((x * width * scale, y * height * scale))
    draw.line(points, fill=(*SIGNATURE_BLUE, 255), width=5 * scale, joint="curve")
    # The underline flourish most signatures end with.
    tail = [
        (
            (0.15 + 0.8 * t) * width * scale,
            (0.82 - 0.12 * math.sin(t * math.pi)) * height * scale,
        )
        for t in (i / 60 for i in range(61))
    ]
    draw.line(tail, fill=(*SIGNATURE_BLUE, 255), width=4 * scale, joint="curve")
    img = img.resize(size, Image.Resampling.LANCZOS)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "PNG")


def _arc_text(img, text: str, *, radius: float, font, colour) -> None:
    """Write text clockwise along the top of a circle centred in img."""
    from PIL import Image, ImageDraw

    cx, cy = img.width / 2, img.height / 2
    widths = [font.getlength(ch) for ch in text]
    total = sum(widths) * 1.08
    span = min(total / radius, math.radians(300))
    factor = span / (total / radius) if total else 1
    angle = -math.pi / 2 - span / 2  # start left of the top
    for ch, w in zip(text, widths, strict=True):
        step = w * 1.08 / radius * factor
        mid = angle + step / 2
        box = int(font.size * 2)
        glyph = Image.new("RGBA", (box, box), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((box / 2, box / 2), ch, font=font, fill=colour, anchor="mm")
        glyph = glyph.rotate(-math.degrees(mid + math.pi / 2), resample=Image.Resampling.BICUBIC)
        x = cx + radius * math.cos(mid) - box / 2
        y = cy + radius * math.sin(mid) - box / 2
        img.alpha_composite(glyph, (int(x), int(y)))
        angle += step


def seal_png(path: Path, *, text: str, centre: str = "", size: int = 480) -> None:
    """Draw a transparent red round seal with text along the rim and a star in the middle."""
    from PIL import Image, ImageDraw

    colour = (*SEAL_RED, 235)
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    margin = size * 0.03
    draw.ellipse(
        (margin, margin, size - margin, size - margin), outline=colour, width=int(size * 0.03)
    )
    inner = size * 0.22
    draw.ellipse(
        (inner, inner, size - inner, size - inner), outline=colour, width=int(size * 0.012)
    )
    cx = cy = size / 2
    r_out, r_in = size * 0.13, size * 0.055
    star = [
        (
            cx + (r_out if i % 2 == 0 else r_in) * math.cos(-math.pi / 2 + i * math.pi / 5),
            cy
            - size * 0.04
            + (r_out if i % 2 == 0 else r_in) * math.sin(-math.pi / 2 + i * math.pi / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=colour)
    font = _font(int(size * 0.06))
    if font is not None and text:
        _arc_text(img, text.upper(), radius=size * 0.36, font=font, colour=colour)
    if font is not None and centre:
        small = _font(int(size * 0.07))
        draw.text((cx, cy + size * 0.13), centre, font=small, fill=colour, anchor="mm")
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "PNG")


# --------------------------------------------------------------------------- credentials


def _credential_for(*, organisation, user, issued: IssuedCredential, directory: Path):
    """Create or update the active PKCS#12 credential of (organisation, user) to the issued files."""
    from release.models import SigningCredential

    credential = SigningCredential.objects.filter(
        organisation=organisation, user=user, is_active=True
    ).first()
    if credential is not None and (
        credential.backend != SigningCredential.Backend.PKCS12
        or (
            credential.pkcs12_path
            and not Path(credential.pkcs12_path).resolve().is_relative_to(directory.resolve())
        )
    ):
        return credential, False  # a real credential configured by an administrator: keep it
    values = {
        "backend": SigningCredential.Backend.PKCS12,
        "pkcs12_path": str(issued.pkcs12_path),
        "secret_file": str(issued.secret_path),
        "secret_env": "",
        "image_path": str(issued.image_path),
        "certificate_subject": issued.subject,
        "certificate_not_after": issued.not_after,
    }
    if credential is None:
        credential = SigningCredential.objects.create(
            organisation=organisation, user=user, is_active=True, **values
        )
        return credential, True
    changed = [name for name, value in values.items() if getattr(credential, name) != value]
    for name in changed:
        setattr(credential, name, values[name])
    if changed:
        credential.save(update_fields=changed)
    return credential, bool(changed)


def sync_dev_credentials(
    *, directory: Path, force: bool = False, organisations=None, users=None
) -> list:
    """Issue dev certificates for every organisation and current head/deputy; update credentials.

    Returns the SigningCredential rows touched or confirmed. Idempotent: files and rows are
    reused unless missing, expiring, renamed, or force is given.
    """
    from django.db import transaction

    from roles.models import Membership, Organisation, Role

    directory = Path(directory)
    pki = ensure_authorities(directory, force=force)
    organisations = (
        Organisation.objects.all().order_by("pk") if organisations is None else organisations
    )
    memberships = (
        Membership.objects.current()
        .filter(role__in=[Role.HEAD, Role.DEPUTY_HEAD], organisation__in=organisations)
        .select_related("user", "organisation")
        .order_by("user_id", "pk")
    )
    if users is not None:
        memberships = memberships.filter(user__in=users)
    result = []
    with transaction.atomic():
        for organisation in organisations:
            issued = issue_credential(
                pki,
                stem=directory / "agency" / organisation.code,
                common_name=organisation.name,
                organisation=organisation.name,
                kind="seal",
                image_text=organisation.abbreviation or "",
                force=force,
            )
            result.append(
                _credential_for(
                    organisation=organisation, user=None, issued=issued, directory=directory
                )[0]
            )
        issued_for: dict[int, IssuedCredential] = {}
        for membership in memberships:
            user = membership.user
            if user.pk not in issued_for:
                issued_for[user.pk] = issue_credential(
                    pki,
                    stem=directory / "people" / f"user-{user.pk}",
                    common_name=user.get_full_name() or user.get_username(),
                    organisation=membership.organisation.name,
                    title=membership.title or "",
                    kind="person",
                    force=force,
                )
            result.append(
                _credential_for(
                    organisation=membership.organisation,
                    user=user,
                    issued=issued_for[user.pk],
                    directory=directory,
                )[0]
            )
    return result
