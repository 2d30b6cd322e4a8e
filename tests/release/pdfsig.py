"""Run poppler's `pdfsig` and parse what it says: it exits 0 even on "Digest Mismatch"."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class PdfsigSignature:
    number: int
    fields: dict[str, str] = field(default_factory=dict)
    total_document_signed: bool = False

    @property
    def field_name(self) -> str:
        return self.fields.get("Signature Field Name", "")

    @property
    def common_name(self) -> str:
        return self.fields.get("Signer Certificate Common Name", "")

    @property
    def signature_type(self) -> str:
        return self.fields.get("Signature Type", "")

    @property
    def validation(self) -> str:
        return self.fields.get("Signature Validation", "")

    @property
    def certificate(self) -> str:
        return self.fields.get("Certificate Validation", "")

    @property
    def valid(self) -> bool:
        return self.validation == "Signature is Valid."

    @property
    def trusted(self) -> bool:
        return self.certificate == "Certificate is Trusted."


@dataclass
class PdfsigResult:
    returncode: int
    output: str
    signatures: list[PdfsigSignature]

    @property
    def all_valid(self) -> bool:
        return bool(self.signatures) and all(s.valid for s in self.signatures)


_SIG_HEADER = re.compile(r"^Signature #(\d+):\s*$")
_FIELD = re.compile(r"^\s+-\s+([^:]+):\s*(.*)$")


def parse(output: str) -> list[PdfsigSignature]:
    """Parse pdfsig's human-readable report into one record per signature."""
    signatures: list[PdfsigSignature] = []
    for line in output.splitlines():
        header = _SIG_HEADER.match(line)
        if header:
            signatures.append(PdfsigSignature(number=int(header.group(1))))
            continue
        if not signatures:
            continue
        item = _FIELD.match(line)
        if item:
            signatures[-1].fields[item.group(1).strip()] = item.group(2).strip()
        elif line.strip() == "- Total document signed":
            signatures[-1].total_document_signed = True
    return signatures


def nss_db_trusting(root_pem: Path | None, directory: Path) -> Path:
    """Make an NSS database in directory that trusts root_pem, or nothing if None (certutil)."""
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["certutil", "-N", "-d", f"sql:{directory}", "--empty-password"],
        check=True,
        capture_output=True,
    )
    if root_pem is None:
        return directory
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{directory}", "-n", "phatngon-dev-root", "-t", "C,C,C"],
        input=root_pem.read_bytes(),
        check=True,
        capture_output=True,
    )
    return directory


def pdfsig(pdf: bytes, *, nss_dir: Path | None = None) -> PdfsigResult:
    """Run pdfsig on the PDF bytes (optionally with an NSS database) and parse the result."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "document.pdf"
        path.write_bytes(pdf)
        cmd = ["pdfsig"]
        if nss_dir is not None:
            cmd += ["-nssdir", f"sql:{nss_dir}"]
        proc = subprocess.run(
            [*cmd, str(path)], capture_output=True, text=True, timeout=60, check=False
        )
    output = proc.stdout + proc.stderr
    return PdfsigResult(returncode=proc.returncode, output=output, signatures=parse(output))


def available() -> bool:
    return shutil.which("pdfsig") is not None and shutil.which("certutil") is not None
