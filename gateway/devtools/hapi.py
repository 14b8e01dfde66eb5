"""The local HAPI FHIR server in `hapi/`: build once, start, wait, stop, status."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gateway.store import SYSTEM, FhirStore
from vocabulary.errors import LocalHapiError

# A checkout-only tool: `hapi/` (the Maven project) is not package data.
HAPI_DIR = Path(__file__).resolve().parents[2] / "hapi"
JAVA_OPTS = ("-Xms256m", "-Xmx1g", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError")
# Servers this process started, kept so that stopping them also reaps them.
_children: dict[Path, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True)
class LocalHapi:
    port: int
    data_dir: Path
    source: Path = HAPI_DIR
    java_opts: tuple[str, ...] = field(default=JAVA_OPTS)

    @property
    def jar(self) -> Path:
        return self.source / "target" / "oneplan-hapi.jar"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/fhir"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "hapi.log"

    @property
    def pid_path(self) -> Path:
        return self.data_dir / "hapi.pid"

    def needs_build(self) -> bool:
        if not self.jar.exists():
            return True
        sources = [self.source / "pom.xml", *(self.source / "src").rglob("*")]
        built = self.jar.stat().st_mtime
        return any(p.is_file() and p.stat().st_mtime > built for p in sources)

    def build(self) -> None:
        """Package the launcher with Maven; artefacts are cached in ~/.m2."""
        command = ["mvn", "-B", "-q", "-f", str(self.source / "pom.xml"), "package", "-DskipTests"]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            output = (result.stdout + result.stderr)[-4000:]
            raise LocalHapiError(f"building hapi/ failed:\n{output}")

    def start(self) -> int:
        """Start in the background (building first if needed); returns the process id."""
        if self.needs_build():
            self.build()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            process = subprocess.Popen(self._command(), stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        self.pid_path.write_text(str(process.pid))
        _children[self.data_dir] = process
        return process.pid

    def wait_ready(self, timeout: float = 300.0) -> float:
        """Seconds until `/fhir/metadata` answered 200; raises with the log tail on failure."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.answers():
                return time.monotonic() - started
            if self.pid() is None:
                raise LocalHapiError(f"HAPI exited during start-up:\n{self.log_tail()}")
            time.sleep(1.0)
        raise LocalHapiError(f"HAPI did not answer within {timeout:.0f}s:\n{self.log_tail()}")

    def answers(self) -> bool:
        with FhirStore.at(self.url, timeout=2.0) as store:
            return store.answers(SYSTEM)

    def pid(self) -> int | None:
        """The running process's id, or None (a stale pid file is removed)."""
        try:
            pid = int(self.pid_path.read_text())
            os.kill(pid, 0)
        except (FileNotFoundError, ValueError, ProcessLookupError):
            self.pid_path.unlink(missing_ok=True)
            return None
        return None if _is_zombie(pid) else pid

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop the server (SIGTERM, then SIGKILL after `timeout`); False if none was running."""
        pid = self.pid()
        if pid is not None:
            os.killpg(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self.pid() is not None and time.monotonic() < deadline:
                time.sleep(0.3)
            if self.pid() is not None:
                os.killpg(pid, signal.SIGKILL)
        self.pid_path.unlink(missing_ok=True)
        child = _children.pop(self.data_dir, None)
        if child is not None:
            child.wait(timeout)
        return pid is not None

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return "(no HAPI log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def _command(self) -> list[str]:
        return ["java", *self.java_opts, "-jar", str(self.jar), f"--server.port={self.port}",
                f"--localhapi.data-dir={self.data_dir.resolve()}"]


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1].startswith("Z")
    except (FileNotFoundError, IndexError):
        return False


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def throwaway_hapi(timeout: float = 300.0) -> Iterator[LocalHapi]:
    """A local HAPI on a free port with fresh data, stopped and deleted afterwards."""
    with tempfile.TemporaryDirectory() as data:
        hapi = LocalHapi(port=free_port(), data_dir=Path(data))
        try:
            hapi.start()
            hapi.wait_ready(timeout)
            yield hapi
        finally:
            hapi.stop()
