#!/usr/bin/env python3
"""Check a phatngon audit bundle without the application (Python 3.11+, standard library only).

Usage:  python3 verify_bundle.py [BUNDLE]   (BUNDLE = the unzipped folder or the .zip;
        default: the folder this script is in). Exit code 0 = intact, 1 = not intact, 2 = usage.

Checks: (1) every file's SHA-256 against manifest.json, and no unlisted file; (2) every
event's hash recomputed with the canonical encoding "phatngon-ledger-v1" (below);
(3) prev_hash links between consecutive events; (4) every anchor whose event is in the
bundle signed that event's hash. The anchors' CMS signatures need a CMS tool:
  openssl cms -verify -binary -inform DER -in anchors/X.p7s -content anchors/X.json -noverify
(-noverify skips the certificate chain; check the signer certificate against the agency's).

Canonical encoding "phatngon-ledger-v1": the event's 14 fields in the order of FIELDS below,
joined by TAB, UTF-8, no trailing newline; NULL (actor_id, before, after) written as \\N;
in text, backslash and six control characters escaped (\\\\ \\b \\f \\n \\r \\t \\v) and
nothing else; hash = lowercase hex SHA-256 of those bytes. Event 1's prev_hash is 64 zeros.
"before"/"after" hold the data's canonical JSON text (json.loads reads it); "at" is UTC,
"YYYY-MM-DDTHH:MM:SS.ffffff+00:00".
"""

import hashlib
import json
import sys
import zipfile
from pathlib import Path

ENCODING = "phatngon-ledger-v1"
GENESIS_HASH = "0" * 64
FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_username",
    "actor_role",
    "organisation",
    "action",
    "target_type",
    "target_id",
    "before",
    "after",
    "ip",
    "user_agent",
    "prev_hash",
)
ESCAPE = str.maketrans(
    {"\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}
)


def canonical(fields: dict) -> bytes:
    """Encode an event's fields canonically."""
    out = []
    for name in FIELDS:
        value = fields[name]
        if value is None and name in ("actor_id", "before", "after"):
            out.append("\\N")
        elif name in ("seq", "actor_id"):
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"{name} must be an integer")
            out.append(str(value))
        elif isinstance(value, str):
            out.append(value.translate(ESCAPE))
        else:
            raise ValueError(f"{name} must be text")
    return "\t".join(out).encode("utf-8")


def event_hash(fields: dict) -> str:
    return hashlib.sha256(canonical(fields)).hexdigest()


class Bundle:
    """Read files from a folder or a ZIP archive."""

    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path) if path.is_file() else None
        self.root = path

    def names(self) -> list[str]:
        if self.zip:
            return [n for n in self.zip.namelist() if not n.endswith("/")]
        return sorted(
            p.relative_to(self.root).as_posix()
            for p in self.root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        )

    def read(self, name: str) -> bytes:
        if self.zip:
            return self.zip.read(name)
        return (self.root / name).read_bytes()


class Bad(Exception):
    def __init__(self, message: str, seq: int | None = None):
        super().__init__(message)
        self.seq = seq


def check(bundle: Bundle) -> str:
    """Return a summary when the bundle is intact; raise Bad at the first problem."""
    names = set(bundle.names())
    if "manifest.json" not in names:
        raise Bad("thiếu manifest.json (manifest missing)")
    manifest = json.loads(bundle.read("manifest.json"))
    if manifest.get("encoding") != ENCODING:
        raise Bad(f"mã hoá không hỗ trợ: {manifest.get('encoding')!r} (unknown encoding)")
    listed = manifest.get("files", {})
    for name, digest in sorted(listed.items()):
        if name not in names:
            raise Bad(f"thiếu tệp {name} (file missing)")
        if hashlib.sha256(bundle.read(name)).hexdigest() != digest:
            raise Bad(f"tệp {name} đã bị sửa: SHA-256 không khớp (file modified)")
    extra = names - set(listed) - {"manifest.json"}
    if extra:
        raise Bad(f"tệp không có trong manifest: {sorted(extra)[0]} (unlisted file)")

    events: dict[int, str] = {}
    previous = None
    gaps = 0
    for line_no, line in enumerate(bundle.read("events.jsonl").decode("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        data = json.loads(line)
        seq = data.get("seq")
        if not isinstance(seq, int) or set(data) != set(FIELDS) | {"hash"}:
            raise Bad(f"dòng {line_no} của events.jsonl sai cấu trúc (malformed event)", seq)
        try:
            computed = event_hash(data)
        except ValueError as exc:
            raise Bad(f"sự kiện #{seq}: {exc} (malformed event)", seq) from None
        if computed != data["hash"]:
            raise Bad(f"sự kiện #{seq}: băm không khớp nội dung (hash mismatch)", seq)
        if previous is not None:
            if seq <= previous[0]:
                raise Bad(f"sự kiện #{seq}: thứ tự sai (sequence out of order)", seq)
            if seq == previous[0] + 1:
                if data["prev_hash"] != previous[1]:
                    raise Bad(
                        f"sự kiện #{seq}: prev_hash không bằng băm của #{previous[0]} (chain break)",
                        seq,
                    )
            else:
                gaps += 1
        elif seq == 1 and data["prev_hash"] != GENESIS_HASH:
            raise Bad("sự kiện #1: prev_hash phải là 64 số 0 (bad genesis)", seq)
        events[seq] = data["hash"]
        previous = (seq, data["hash"])

    if len(events) != manifest.get("event_count"):
        raise Bad("số sự kiện khác với manifest (event count differs)")

    anchors_checked = 0
    if "anchors.jsonl" in names:
        for line in bundle.read("anchors.jsonl").decode("utf-8").splitlines():
            if not line.strip():
                continue
            anchor = json.loads(line)
            payload = json.loads(bundle.read(anchor["payload_file"]))
            if payload.get("seq") != anchor["seq"] or payload.get("hash") != anchor["hash"]:
                raise Bad(
                    f"mốc neo #{anchor['seq']}: nội dung ký không khớp (anchor mismatch)",
                    anchor["seq"],
                )
            if anchor["signature_file"] not in names:
                raise Bad(
                    f"mốc neo #{anchor['seq']}: thiếu chữ ký (signature missing)", anchor["seq"]
                )
            if anchor["seq"] in events:
                anchors_checked += 1
                if events[anchor["seq"]] != anchor["hash"]:
                    raise Bad(
                        f"sự kiện #{anchor['seq']}: băm khác với mốc neo đã ký (anchor mismatch)",
                        anchor["seq"],
                    )
    span = f"#{min(events)}..#{max(events)}" if events else "(không có sự kiện)"
    return (
        f"{len(events)} sự kiện {span}, {gaps} khoảng trống (sự kiện ngoài phạm vi), "
        f"{anchors_checked} mốc neo khớp, {len(listed)} tệp khớp SHA-256"
    )


def main(argv: list[str]) -> int:
    if len(argv) > 2:
        print(__doc__)
        return 2
    path = Path(argv[1]) if len(argv) == 2 else Path(__file__).resolve().parent
    if not path.exists():
        print(f"Không tìm thấy {path}")
        return 2
    try:
        summary = check(Bundle(path))
    except Bad as exc:
        where = f" [seq {exc.seq}]" if exc.seq is not None else ""
        print(f"KHÔNG HỢP LỆ (NOT OK){where}: {exc}")
        return 1
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:
        print(f"KHÔNG HỢP LỆ (NOT OK): gói bị hỏng (damaged bundle): {exc!r}")
        return 1
    print(f"OK: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
