"""Start, stop and kill the parts of the topology; every one is private to the run.

Each process runs in a process group of its own (so that a node and its pool children die
together, and stopping the run leaves nothing behind); PostgreSQL is its own cluster made
with this machine's binaries, so `pg_ctl restart` never touches the shared server.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .config import GUNICORN_CONF, PG_BIN, ROOT, Topology, nginx_main, nginx_site, redis_command

PYTHON = sys.executable


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_port(port: int, timeout: float, proc: subprocess.Popen | None = None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


class Services:
    """The processes of one run, by name; `teardown()` stops all of them (idempotent)."""

    def __init__(self, topology: Topology, env: dict[str, str]):
        self.t = topology
        self.env = env
        self.procs: dict[str, subprocess.Popen] = {}
        self.pg_started = False
        self._down = False
        self.groups: list[int] = []  # every process group the run started

    # ------------------------------------------------------------------ generic
    def spawn(self, name: str, command: list[str], *, env: dict | None = None) -> subprocess.Popen:
        self.t.logs.mkdir(parents=True, exist_ok=True)
        log = open(self.t.logs / f"{name}.log", "ab")  # noqa: SIM115 — kept for the child
        proc = subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env=env or self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: killpg reaches its children
        )
        log.close()
        self.procs[name] = proc
        self.groups.append(proc.pid)
        return proc

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        """Send `sig` to the process group of `name` and wait; SIGKILL when it lingers."""
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        # Pool children that outlived their parent are still in the group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    def manage(self, *args: str, env: dict | None = None, timeout: float = 600):
        """Run `manage.py args` with the run's environment; return the CompletedProcess."""
        started = time.monotonic()
        result = subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        self.log(f"manage.py {' '.join(args)}: exit {result.returncode} in "
                 f"{time.monotonic() - started:.1f} s")  # fmt: skip
        return result

    def log(self, line: str) -> None:
        """A progress line into logs/steps.log (stdout is for the checks only)."""
        self.t.logs.mkdir(parents=True, exist_ok=True)
        with open(self.t.logs / "steps.log", "a") as f:
            f.write(f"{time.strftime('%H:%M:%S')} {line}\n")

    # ------------------------------------------------------------------ PostgreSQL
    def _as_postgres(self, *command: str, timeout: float = 120):
        return subprocess.run(  # noqa: S603
            ["runuser", "-u", "postgres", "--", *command],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def postgres_start(self) -> str:
        """initdb a cluster in the run folder and start it on its own port; "" or the error."""
        t = self.t
        for folder in (t.pg_data, t.pg_socket_dir):
            folder.mkdir(parents=True, exist_ok=True)
            shutil.chown(folder, "postgres", "postgres")
        t.logs.mkdir(parents=True, exist_ok=True)
        r = self._as_postgres(
            str(PG_BIN / "initdb"), "-D", str(t.pg_data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        if r.returncode:
            return f"initdb: {r.stderr.strip()[-300:]}"
        log = t.run_dir / "pg.log"
        log.touch()
        shutil.chown(log, "postgres", "postgres")
        # fsync off: the cluster is thrown away at the end; a fast restart is a clean shutdown.
        options = (
            f"-p {t.pg_port} -k {t.pg_socket_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c max_connections=200"
        )
        r = self._as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(t.pg_data), "-l", str(log), "-o", options,
            "-w", "-t", "60", "start",
        )  # fmt: skip
        if r.returncode:
            return f"pg_ctl start: {(r.stdout + r.stderr).strip()[-300:]}"
        self.pg_started = True
        r = self._as_postgres(
            str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(t.pg_port), t.database
        )
        return "" if r.returncode == 0 else f"createdb: {r.stderr.strip()[-300:]}"

    def postgres(self, *args: str, timeout: float = 120):
        return self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.t.pg_data), *args,
                                 timeout=timeout)  # fmt: skip

    def createdb(self, name: str):
        return self._as_postgres(
            str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.t.pg_port), name
        )

    def postgres_stop(self) -> None:
        if self.pg_started:
            self.postgres("-m", "immediate", "-w", "-t", "30", "stop")
            self.pg_started = False

    # ------------------------------------------------------------------ Redis, nginx
    def redis_start(self) -> bool:
        proc = self.spawn("redis", redis_command(self.t))
        return wait_port(self.t.redis_port, 15, proc)

    def nginx_start(self) -> str:
        d = self.t.run_dir / "nginx"
        d.mkdir(parents=True, exist_ok=True)
        conf = d / "nginx.conf"
        conf.write_text(nginx_main(self.t, nginx_site(self.t)))
        test = subprocess.run(  # noqa: S603
            ["nginx", "-t", "-q", "-c", str(conf), "-p", str(d)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if test.returncode:
            return f"nginx -t: {test.stderr.strip()[-300:]}"
        proc = self.spawn("nginx", ["nginx", "-c", str(conf), "-p", str(d)])
        return "" if wait_port(self.t.https_port, 15, proc) else "nginx did not listen"

    # ------------------------------------------------------------------ the application
    def metrics_env(self, service: str, **extra: str) -> dict[str, str]:
        """The run's environment plus this service's own, emptied PROMETHEUS_MULTIPROC_DIR
        (prometheus_client's multiprocess mode: its processes' figures add up)."""
        folder = self.t.metrics_dir(service)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return {**self.env, "PROMETHEUS_MULTIPROC_DIR": str(folder), **extra}

    def gunicorn_start(self) -> bool:
        proc = self.spawn(
            "gunicorn",
            [PYTHON, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "config.wsgi"],
            env=self.metrics_env("web"),
        )
        return wait_port(self.t.web_port, 60, proc)

    def worker_start(self, queue: str, concurrency: int = 2) -> subprocess.Popen:
        """A worker node `<queue>@<host>` consuming only `queue`, its task figures on its own
        metrics port."""
        return self.spawn(
            f"worker-{queue}",
            [PYTHON, "-m", "celery", "-A", "config", "worker", "-n", f"{queue}@%h", "-Q", queue,
             f"--concurrency={concurrency}", "--pool=prefork", "--loglevel=INFO"],
            env=self.metrics_env(
                f"worker-{queue}", CELERY_METRICS_PORT=str(self.t.metrics_port(queue))
            ),
        )  # fmt: skip

    def beat_start(self) -> subprocess.Popen:
        return self.spawn(
            "beat",
            [PYTHON, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO",
             "--schedule", str(self.t.var_dir / "celerybeat-schedule")],
        )  # fmt: skip

    def pool_children(self, name: str) -> list[int]:
        proc = self.procs.get(name)
        if proc is None:
            return []
        out = subprocess.run(  # noqa: S603
            ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True, check=False
        ).stdout  # fmt: skip
        return [int(pid) for pid in out.split()]

    def kill_node(self, name: str) -> None:
        """kill -9 the whole node: its main process and its pool children (a machine lost)."""
        proc = self.procs.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    # ------------------------------------------------------------------ the end
    def teardown(self) -> None:
        if self._down:
            return
        self._down = True
        # Web first, then the workers and beat, then what they stand on.
        for name in [
            "nginx",
            "gunicorn",
            "beat",
            *sorted(n for n in self.procs if n.startswith("worker")),
            "redis",
        ]:  # noqa: E501
            self.stop(name, timeout=15)
        for name in list(self.procs):
            self.stop(name, timeout=10)
        self.postgres_stop()

    def leftovers(self) -> list[str]:
        """Processes of the run still alive (there should be none after teardown)."""
        out = subprocess.run(  # noqa: S603
            ["pgrep", "-af", str(self.t.run_dir)], capture_output=True, text=True, check=False
        ).stdout  # fmt: skip
        left = [line for line in out.splitlines() if line.strip()]
        for group in self.groups:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                continue
            except PermissionError:
                pass
            left.append(f"process group {group}")
        return left


def self_signed_certificate(cert: Path, key: Path) -> None:
    """A self-signed certificate for 127.0.0.1 and localhost (python cryptography)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "phatngon prod-check")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private, hashes.SHA256())
    )
    cert.parent.mkdir(parents=True, exist_ok=True)
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key.chmod(0o600)
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
