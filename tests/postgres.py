"""A real PostgreSQL for the tests: Debian's server, started once per session, never mocked.

`postgres_url` is the session's database (`oneplan_test`); `postgres_db` gives one test a fresh,
empty database of its own and drops it afterwards. The server is Debian's `postgresql` package
(`make test` installs it), run from /usr/lib/postgresql/<highest version>/bin with a fresh data
folder under pytest's tmp folder, on a free port, listening on 127.0.0.1 only, trust
authentication, and stopped at the end of the session. initdb refuses to run as root, so as
root (CI) the server binaries run as the `postgres` system user the package creates.
Registered from tests/conftest.py with `pytest_plugins`.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import stat
import subprocess
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

DEBIAN_POSTGRES = Path("/usr/lib/postgresql")
SYSTEM_USER = "postgres"  # the server's owner when the tests run as root
SUPERUSER = "oneplan"  # the cluster's superuser (initdb --username), the same for everyone
DATABASE = "oneplan_test"
HOST = "127.0.0.1"
START_TIMEOUT = 60  # seconds pg_ctl waits for the server to accept connections
START_ATTEMPTS = 3  # the free port can be taken between choosing it and the server binding it
COMMAND_TIMEOUT = 120.0
MISSING = (
    "PostgreSQL's server binaries (initdb, pg_ctl) are not installed under "
    f"{DEBIAN_POSTGRES}/<version>/bin. Run `make test`, which installs Debian's "
    "`postgresql` package when it is missing."
)


def server_bin_dir(root: Path = DEBIAN_POSTGRES) -> Path | None:
    """The bin folder of the highest installed server version, or None.

    A version folder may hold only client programs (postgresql-client-N), so the highest
    version counts only if it has initdb and pg_ctl.
    """
    found: list[tuple[tuple[int, ...], Path]] = []
    for bin_dir in root.glob("*/bin"):
        parts = bin_dir.parent.name.split(".")
        if not all(part.isdigit() for part in parts):
            continue
        if (bin_dir / "initdb").is_file() and (bin_dir / "pg_ctl").is_file():
            found.append((tuple(int(part) for part in parts), bin_dir))
    return max(found)[1] if found else None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _conf_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass
class PostgresServer:
    """One throw-away cluster: `folder` holds `data/`, `sock/` and `server.log`."""

    bin_dir: Path
    folder: Path
    port: int = 0
    as_system_user: bool = False

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def url(self, database: str = DATABASE) -> str:
        """The SQLAlchemy URL of one database on this server."""
        return f"postgresql+psycopg://{SUPERUSER}@{HOST}:{self.port}/{database}"

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        # Relative paths from the folder: as root the command runs as `postgres`, which then
        # needs no access to the folders above it (pytest keeps those private to root).
        argv: Sequence[str] = [str(self.bin_dir / program), *args]
        if self.as_system_user:
            argv = ["runuser", "-u", SYSTEM_USER, "--", *argv]
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        return subprocess.run(
            argv,
            cwd=self.folder,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=COMMAND_TIMEOUT,
        )

    def _log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    def init(self, basetemp: Path) -> None:
        (self.folder / "sock").mkdir(mode=0o700)
        if self.as_system_user:
            _hand_to_system_user(self.folder, basetemp)
        done = self._run(
            "initdb",
            "--pgdata=data",
            f"--username={SUPERUSER}",
            "--auth-local=trust",
            "--auth-host=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-instructions",
        )
        if done.returncode != 0:
            pytest.fail(f"initdb failed:\n{done.stdout}{done.stderr}", pytrace=False)
        settings = (
            "\n# tests/postgres.py\n"
            f"listen_addresses = {_conf_string(HOST)}\n"
            f"unix_socket_directories = {_conf_string(str(self.folder / 'sock'))}\n"
        )
        with (self.folder / "data" / "postgresql.conf").open("a") as conf:
            conf.write(settings)

    def start(self) -> None:
        for _ in range(START_ATTEMPTS):
            self.port = free_port()
            done = self._run(
                "pg_ctl",
                "start",
                "--pgdata=data",
                "--log=server.log",
                "--wait",
                f"--timeout={START_TIMEOUT}",
                f"--options=-p {self.port}",
            )
            if done.returncode == 0:
                return
            if "Address already in use" not in self._log_tail():
                break
        pytest.fail(
            f"PostgreSQL did not start (port {self.port}):\n{done.stdout}{done.stderr}"
            f"server log {self.log}:\n{self._log_tail()}",
            pytrace=False,
        )

    def running(self) -> bool:
        return (self.folder / "data" / "postmaster.pid").exists()

    def stop(self) -> None:
        if not self.running():
            return
        done = self._run("pg_ctl", "stop", "--pgdata=data", "--mode=fast", "--wait")
        if done.returncode != 0 and self.running():
            self._run("pg_ctl", "stop", "--pgdata=data", "--mode=immediate", "--wait")
            pytest.fail(f"pg_ctl stop failed:\n{done.stdout}{done.stderr}", pytrace=False)

    def _admin(self) -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(
            host=HOST, port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        )

    def create_database(self, name: str) -> None:
        with self._admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop_database(self, name: str) -> None:
        # FORCE ends the connections a failed test left open, so its failure is the only one.
        with self._admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _hand_to_system_user(folder: Path, basetemp: Path) -> None:
    """Give `folder` to `postgres`, and let it through the private folders pytest made above.

    pytest makes its base temp folder (and `pytest-of-root` above it) mode 0700. The server
    needs search permission (x, not read) on them to enter its data folder at start-up.
    """
    try:
        owner = pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        pytest.fail(
            f"running as root, but there is no `{SYSTEM_USER}` user. {MISSING}", pytrace=False
        )
    if shutil.which("runuser") is None:
        pytest.fail(
            "as root, initdb runs as postgres through `runuser` (util-linux)", pytrace=False
        )
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, owner.pw_uid, owner.pw_gid)
    pytest_dirs = [basetemp]
    if basetemp.parent.name.startswith("pytest-of-"):
        pytest_dirs.append(basetemp.parent)
    for pytest_dir in pytest_dirs:
        mode = stat.S_IMODE(pytest_dir.stat().st_mode)
        if not mode & stat.S_IXOTH:
            pytest_dir.chmod(mode | stat.S_IXOTH)
    probe = subprocess.run(
        ["runuser", "-u", SYSTEM_USER, "--", "test", "-w", str(folder)],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.fail(
            f"the `{SYSTEM_USER}` user cannot reach {folder}; give pytest a --basetemp "
            "in a folder it can enter",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's server: fresh data folder, free port, stopped at the end."""
    bin_dir = server_bin_dir()
    if bin_dir is None:
        pytest.fail(MISSING, pytrace=False)
    # Not under pytest's base temp: another pytest session starting meanwhile prunes old
    # base temps, and would delete the data folder of a server still running.
    folder = Path(tempfile.mkdtemp(prefix="oneplan-postgres-"))
    server = PostgresServer(bin_dir=bin_dir, folder=folder, as_system_user=os.geteuid() == 0)
    try:
        server.init(folder.parent)
        server.start()
        server.create_database(DATABASE)
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """`postgresql+psycopg://oneplan@127.0.0.1:PORT/oneplan_test`, shared by the session."""
    return postgres_server.url(DATABASE)


@pytest.fixture
def postgres_db(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a fresh, empty database for one test, dropped after it."""
    name = f"{DATABASE}_{uuid.uuid4().hex[:12]}"
    postgres_server.create_database(name)
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.drop_database(name)
