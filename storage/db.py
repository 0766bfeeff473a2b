"""Engine setup, schema migrations (Alembic, applied on start, under a lock) and the SQLite files' safety:
modes 0700/0600, deleted content overwritten (secure_delete) and the WAL emptied on demand."""
from __future__ import annotations

import contextlib
import logging
import os
import stat
import time
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import create_engine

from core.errors import AllianceError

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
SCHEMA_LOCK_ID = 0x616C6C69  # "alli": the PostgreSQL advisory lock every starting process takes in turn
PRIVATE_FILE, PRIVATE_DIR = 0o600, 0o700


class StorageFull(AllianceError):
    def __init__(self) -> None:
        super().__init__("The server's disk is full, so I couldn't save that (everything saved before is intact). "
                         "Whoever runs alliance needs to free some space; then please try again.")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        engine = create_engine(url, pool_pre_ping=True)
    event.listen(engine, "handle_error", _disk_full)
    return engine


def _disk_full(context) -> Exception | None:
    """A full disk, said plainly (StorageFull, an AllianceError every channel shows as it is), not as a
    driver error that reads like a bug."""
    original = context.original_exception
    text = str(original).lower()
    if "database or disk is full" in text or "no space left on device" in text or getattr(original, "sqlstate", None) == "53100":
        return StorageFull()
    return None


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows are overwritten with zeros, not left in free space for anyone with the file to read.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL (None for PostgreSQL or an in-memory database)."""
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        return None
    return Path(url.removeprefix("sqlite:///"))


def describe(url: str) -> str:
    """A database URL safe to print: no user, password or query."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme.split('+')[0]}://{parts.hostname or ''}{port}{parts.path}"


# ---- file modes -------------------------------------------------------------------------------------------
def secure_files(data_dir: Path, url: str) -> list[str]:
    """Make the data dir 0700 and the key file and SQLite files 0600 (creating an empty database file with
    that mode first, so SQLite's -wal and -shm, which copy the database's mode, are private too). A database
    elsewhere gets its files fixed, never its directory (that may be shared, /tmp say). Returns what was
    looser than that, each said in a warning."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    fixed = _tighten(data_dir, PRIVATE_DIR)
    files = [data_dir / "secret.key"]
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
        files += [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    for candidate in files:
        if candidate.exists():
            fixed += _tighten(candidate, PRIVATE_FILE)
    for line in fixed:
        log.warning("%s; fixed", line)
    return fixed


def loose_modes(data_dir: Path, url: str) -> list[str]:
    """What secure_files would fix, without fixing it (for `alliance doctor`)."""
    paths = [(data_dir, PRIVATE_DIR)]
    path = sqlite_path(url)
    if path is not None:
        paths += [(p, PRIVATE_FILE) for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))]
    return [_mode_line(p, want) for p, want in paths if p.exists() and _mode(p) & ~want & 0o777]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _mode_line(path: Path, want: int) -> str:
    return f"{path} has mode {_mode(path):o} (readable by others); it should be {want:o}"


def _tighten(path: Path, want: int) -> list[str]:
    if not _mode(path) & ~want & 0o777:
        return []
    line = _mode_line(path, want)
    try:
        os.chmod(path, want)
    except OSError:  # not ours to change (a mounted volume): say so, don't stop
        return [line + " and could not be changed"]
    return [line]


# ---- migrations -------------------------------------------------------------------------------------------
@contextlib.contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """One starting process at a time migrates and sets up keys, however many start at once on a fresh
    database: a PostgreSQL advisory lock, or (SQLite, one machine) an exclusive lock on a file beside it."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.exec_driver_sql(f"SELECT pg_advisory_lock({SCHEMA_LOCK_ID})")
            try:
                yield
            finally:
                connection.exec_driver_sql(f"SELECT pg_advisory_unlock({SCHEMA_LOCK_ID})")
                connection.commit()
        return
    path = sqlite_path(str(engine.url))
    if path is None:
        yield
        return
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; a no-op when it is already there. Callers that start a
    process hold schema_lock around this (bots/bootstrap.py)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        before = MigrationContext.configure(connection).get_current_revision()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        changed = MigrationContext.configure(connection).get_current_revision() != before
    if changed:  # a new or upgraded schema: statistics for its indexes (later, the daily maintenance)
        refresh_statistics(engine)


def refresh_statistics(engine: Engine) -> None:
    """Planner statistics: without them SQLite reads one client's notes through the therapist index and
    scans all of the therapist's notes (0.02-0.23x the time with them, measured in issue 15)."""
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")


# ---- erasing for good -------------------------------------------------------------------------------------
def purge_deleted(engine: Engine, tables: tuple[str, ...] = ()) -> bool:
    """After a commit that deleted someone's data: copy the WAL into the database file (where
    secure_delete has zeroed the deleted rows) and truncate it, so no older page image holding their
    ciphertext is left in the -wal file. On PostgreSQL, VACUUM the tables so the rows' space is reused.
    True when everything was purged (a long read elsewhere can hold a SQLite checkpoint back)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in tables:
                connection.exec_driver_sql(f'VACUUM "{table}"')
        return True
    if engine.dialect.name != "sqlite":
        return True
    for _ in range(20):
        with engine.connect() as connection:
            busy, _, _ = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        if not busy:
            return True
        time.sleep(0.05)
    return False
