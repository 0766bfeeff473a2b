"""Backups that restore: one archive file, encrypted with the database's key, with a plain manifest.

An archive is a tar holding `manifest.json` (format, date, schema revision, the key's fingerprint, row
counts, the dump's SHA-256: nothing clinical) and `database.enc`: a consistent snapshot of the database
(SQLite `VACUUM INTO`, which also leaves deleted rows behind; PostgreSQL `pg_dump --format=custom`) cut
into pieces, each a Fernet token under the primary key, one per line. Restoring needs that key: back up
secret.key separately (see README), never inside the archive.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import SQLModel

from core.errors import AllianceError
from storage.crypto import Cipher
from storage.db import PRIVATE_DIR, PRIVATE_FILE, describe, sqlite_path
from storage.keys import Keys, holds_data

FORMAT, VERSION = "alliance-backup", 1
CHUNK = 4 * 1024 * 1024


class BackupProblem(AllianceError):
    """A backup or restore that cannot be done; the message says why and what to do."""


def backup(engine: Engine, cipher: Cipher, out_dir: Path, work_dir: Path) -> tuple[Path, dict]:
    """Write an archive into `out_dir`; returns its path and manifest. Safe while others write."""
    out_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    stamp = datetime.now(timezone.utc)
    kind = engine.dialect.name
    with _private_temp(work_dir) as temp:
        dump = temp / "database"
        if kind == "sqlite":
            _sqlite_snapshot(engine, dump)
            counts = _counts_sqlite(dump)
        else:
            counts = _pg_snapshot(engine, dump)
        digest, size = _encrypt_file(cipher, dump, temp / "database.enc")
        manifest = {
            "format": FORMAT, "version": VERSION, "created_at": stamp.isoformat(timespec="seconds"),
            "database": kind, "schema_revision": _revision(engine), "key_id": cipher.primary_id,
            "counts": counts, "sha256": digest, "size": size,
        }
        archive = out_dir / f"alliance-backup-{stamp:%Y%m%dT%H%M%SZ}.tar"
        partial = archive.with_suffix(".tar.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as handle, tarfile.open(fileobj=handle, mode="w") as tar:
            body = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime, info.mode = len(body), int(stamp.timestamp()), PRIVATE_FILE
            tar.addfile(info, io.BytesIO(body))
            tar.add(temp / "database.enc", arcname="database.enc")
        os.replace(partial, archive)
    return archive, manifest


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive) as tar:
            manifest = json.load(tar.extractfile("manifest.json"))
    except (OSError, KeyError, tarfile.TarError, ValueError):
        raise BackupProblem(f"{archive} is not an alliance backup I can read.") from None
    if manifest.get("format") != FORMAT:
        raise BackupProblem(f"{archive} is not an alliance backup.")
    return manifest


def restore(archive: Path, engine: Engine, keys: Keys, work_dir: Path) -> dict:
    """Restore an archive into an empty database (the data dir's SQLite file, or an empty PostgreSQL
    database). The configured keys must include the archive's key. Returns the manifest."""
    manifest = read_manifest(archive)
    if manifest["database"] != engine.dialect.name:
        raise BackupProblem(f"That backup is of a {manifest['database']} database; the target is {engine.dialect.name}.")
    if manifest["key_id"] not in keys.by_id:
        raise BackupProblem(
            f"That backup is encrypted with key {manifest['key_id']}, which {keys.source} does not hold. Put the key "
            f"from your key backup in {keys.data_dir / 'secret.key'} (or ALLIANCE_SECRET_KEY) and run restore again.")
    with engine.connect() as connection:
        tables = connection.dialect.get_table_names(connection)
        if holds_data(connection) or (engine.dialect.name != "sqlite" and tables):
            raise BackupProblem(f"The database at {describe(str(engine.url))} already holds data: restore only goes into "
                                "an empty data dir (or an empty PostgreSQL database). Nothing was changed.")
    cipher = Cipher([keys.by_id[manifest["key_id"]]])
    with _private_temp(work_dir) as temp, tarfile.open(archive) as tar:
        member = tar.extractfile("database.enc")
        if member is None:
            raise BackupProblem(f"{archive} has no database in it.")
        dump = temp / "database"
        digest = _decrypt_stream(cipher, member, dump)
        if digest != manifest["sha256"]:
            raise BackupProblem(f"{archive} is damaged (its checksum does not match). Nothing was changed.")
        if engine.dialect.name == "sqlite":
            _sqlite_restore(engine, dump)
        else:
            _pg_restore(engine, dump)
    return manifest


# ---- SQLite ------------------------------------------------------------------------------------------------
def _sqlite_snapshot(engine: Engine, dump: Path) -> None:
    os.close(os.open(dump, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))  # VACUUM INTO accepts an empty file
    with engine.connect() as connection:
        connection.exec_driver_sql("VACUUM INTO ?", (str(dump),))


def _counts_sqlite(path: Path) -> dict[str, int]:
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in sorted(names & set(SQLModel.metadata.tables))}


def _sqlite_restore(engine: Engine, dump: Path) -> None:
    import sqlite3

    with contextlib.closing(sqlite3.connect(dump)) as connection:
        if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupProblem("The database in that backup is damaged. Nothing was changed.")
    target = sqlite_path(str(engine.url))
    engine.dispose()
    for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    os.chmod(dump, PRIVATE_FILE)
    os.replace(dump, target)


# ---- PostgreSQL --------------------------------------------------------------------------------------------
def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """A connection string without the password (which goes in the environment, not on a command line)."""
    url = make_url(str(engine.url)).set(drivername="postgresql")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return url.set(password=None).render_as_string(hide_password=False), env


def _run(tool: str, args: list[str], env: dict[str, str]) -> None:
    if shutil.which(tool) is None:
        raise BackupProblem(f"{tool} is not installed; install the PostgreSQL client tools (the same major version "
                            "as the server) and run this again.")
    done = subprocess.run([tool, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:  # its stderr names tables and the server, never row contents
        raise BackupProblem(f"{tool} failed: {done.stderr.strip()[:300]}")


def _pg_snapshot(engine: Engine, dump: Path) -> dict[str, int]:
    """pg_dump of one exported snapshot, counted in that same snapshot (so the manifest is exact)."""
    dsn, env = _libpq(engine)
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection, connection.begin():
        snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
        present = set(connection.dialect.get_table_names(connection))
        counts = {t.name: connection.execute(select(func.count()).select_from(t)).scalar()
                  for t in SQLModel.metadata.sorted_tables if t.name in present}
        _run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                         f"--file={dump}", f"--dbname={dsn}"], env)
    return counts


def _pg_restore(engine: Engine, dump: Path) -> None:
    dsn, env = _libpq(engine)
    _run("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={dsn}", str(dump)], env)


# ---- shared ------------------------------------------------------------------------------------------------
def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception:
            return None


@contextlib.contextmanager
def _private_temp(work_dir: Path) -> Iterator[Path]:
    work_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    temp = Path(tempfile.mkdtemp(prefix=".backup-", dir=work_dir))  # 0700, on the data dir's disk
    try:
        yield temp
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _encrypt_file(cipher: Cipher, source: Path, target: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with open(source, "rb") as reader, os.fdopen(fd, "wb") as writer:
        while piece := reader.read(CHUNK):
            digest.update(piece)
            size += len(piece)
            writer.write(cipher.encrypt(piece) + b"\n")
    return digest.hexdigest(), size


def _decrypt_stream(cipher: Cipher, reader, target: Path) -> str:
    from cryptography.fernet import InvalidToken

    digest = hashlib.sha256()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as writer:
        for line in reader:
            try:
                piece = cipher.decrypt_bytes(line.strip())
            except InvalidToken:
                raise BackupProblem("That backup does not open with its key (the archive is damaged). Nothing was changed.") from None
            digest.update(piece)
            writer.write(piece)
    return digest.hexdigest()

