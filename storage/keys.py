"""Which keys a database is encrypted with, and refusing to run with any other.

The `keyring` table records the fingerprint of every data key the database's rows may be encrypted with
(one "primary" that encrypts, and "old" ones during a rotation) and holds the index key (for lookup
hashes) encrypted under the primary. A process starts only when its configured keys include every
recorded one: a missing key file is never replaced by a new key for a database that holds data, and a
wrong key never writes a row. Rotation (`alliance keys rotate`) adds a new primary and re-encrypts every
value; `alliance keys retire OLD` drops a key once no value needs it. Lookup hashes never change.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import delete, func, insert, inspect, select, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from core.errors import AllianceError
from storage.crypto import KEY_FILE, Cipher, configured_keys, key_id, legacy_index_key, new_key, write_key_file
from storage.db import describe
from storage.models import Identity, KeyringEntry, Therapist, utcnow

log = logging.getLogger(__name__)

INDEX_ID = "index-v1"
BATCH = 500
keyring = KeyringEntry.__table__


class KeyProblem(AllianceError):
    """The configured keys don't fit the database. The message names the fix; never a key."""


@dataclass
class Keys:
    """What a process is configured with, and where that came from (for messages)."""

    values: list[str]
    source: str  # "ALLIANCE_SECRET_KEY" or the key file's path
    from_env: bool
    data_dir: Path

    @classmethod
    def configured(cls, secret: str | None, data_dir: Path) -> "Keys":
        source = "ALLIANCE_SECRET_KEY" if secret else str(data_dir / KEY_FILE)
        return cls(configured_keys(secret, data_dir), source, bool(secret), data_dir)

    @property
    def by_id(self) -> dict[str, str]:
        return {key_id(k): k for k in self.values}


@dataclass
class Recorded:
    data: dict[str, str] = field(default_factory=dict)  # key id -> primary | old
    index: bytes | None = None  # the index key, encrypted under the primary

    @property
    def primary(self) -> str | None:
        return next((k for k, state in self.data.items() if state == "primary"), None)


# ---- reading ---------------------------------------------------------------------------------------------
def recorded(connection: Connection) -> Recorded | None:
    """The database's keyring; None before the schema exists."""
    if "keyring" not in inspect(connection).get_table_names():
        return None
    found = Recorded()
    for row in connection.execute(select(keyring.c.kind, keyring.c.key_id, keyring.c.state, keyring.c.wrapped)):
        if row.kind == "data":
            found.data[row.key_id] = row.state
        elif row.kind == "index" and row.key_id == INDEX_ID:
            found.index = bytes(row.wrapped)
    return found


def holds_data(connection: Connection) -> bool:
    if "therapist" not in inspect(connection).get_table_names():
        return False
    return connection.execute(select(func.count()).select_from(Therapist.__table__)).scalar() > 0


def problem(found: Recorded, keys: Keys, where: str) -> str | None:
    """Why these keys can't open a database with this keyring (None when they can)."""
    if not keys.values:
        return missing_key(keys, where)
    if not all(is_valid_key(k) for k in keys.values):
        return f"{keys.source} does not hold a valid key (a Fernet key is 44 characters of base64). Nothing was read or written."
    have = keys.by_id
    missing = [k for k in found.data if k not in have]
    if not missing:
        return None
    if len(missing) == len(found.data):
        return (f"The key in {keys.source} (id {', '.join(have)}) is not the key of the database at {where} "
                f"(id {', '.join(found.data)}). Put that database's key back in {keys.source} from your backup, "
                "or point ALLIANCE_DATA_DIR / ALLIANCE_DATABASE_URL at the database this key belongs to. "
                "Nothing was read or written.")
    return (f"The database at {where} still needs key {', '.join(missing)} (a key rotation is not finished), "
            f"and {keys.source} does not hold it. Add it back (after the newer key) from your backup, then run "
            "`alliance keys rotate` to finish. Nothing was read or written.")


def missing_key(keys: Keys, where: str) -> str:
    told = "ALLIANCE_SECRET_KEY is empty" if keys.from_env else f"{keys.source} does not exist and ALLIANCE_SECRET_KEY is not set"
    return (f"The database at {where} is encrypted, but its key is missing: {told}. Restore {KEY_FILE} from "
            f"your backup into {keys.data_dir} (or set ALLIANCE_SECRET_KEY to it). alliance never makes a new key "
            "for a database that holds data: notes written under it could not be read with the old ones.")


# ---- opening (every process, under storage.db.schema_lock) -------------------------------------------------
def open_cipher(engine: Engine, secret: str | None, data_dir: Path) -> Cipher:
    cipher = _open(engine, secret, data_dir)
    cipher.reload = _reloader(engine, secret, data_dir)
    return cipher


def _reloader(engine: Engine, secret: str | None, data_dir: Path):
    def reload() -> tuple[list[str], str | None]:
        keys = [k for k in Keys.configured(secret, data_dir).values if is_valid_key(k)]
        with engine.connect() as connection:
            return keys, (recorded(connection) or Recorded()).primary

    return reload


def _open(engine: Engine, secret: str | None, data_dir: Path) -> Cipher:
    """The cipher for this database, or KeyProblem. On an empty database this creates the key file (when
    no key is configured) and records its fingerprint; on a database from before the keyring it adopts
    the configured keys once they are shown to decrypt its data."""
    keys, where = Keys.configured(secret, data_dir), describe(str(engine.url))
    if not all(is_valid_key(k) for k in keys.values):
        raise KeyProblem(problem(Recorded(), keys, where))
    with engine.begin() as connection:
        found = recorded(connection) or Recorded()
        if found.data:
            return _checked(found, keys, where)
        if holds_data(connection):
            return _adopt(connection, keys, where)
        return _first_use(connection, keys, secret)


def _checked(found: Recorded, keys: Keys, where: str) -> Cipher:
    reason = problem(found, keys, where)
    if reason:
        raise KeyProblem(reason)
    have = keys.by_id
    ordered = [have[found.primary]] + [have[k] for k in found.data if k != found.primary]
    extra = [k for k in have if k not in found.data]
    if extra:  # kept for reading only: the rotation that adds it may run while this process does
        log.warning("key %s in %s is not used by this database; `alliance keys rotate` starts using it",
                    ", ".join(extra), keys.source)
    return Cipher(ordered + [have[k] for k in extra], index_key=_index_key(found, ordered))


def _index_key(found: Recorded, keys: list[str]) -> bytes:
    return MultiFernet([Fernet(k) for k in keys]).decrypt(found.index)


def _first_use(connection: Connection, keys: Keys, secret: str | None) -> Cipher:
    if not keys.values and not secret:
        try:
            write_key_file(keys.data_dir, [new_key()], new=True)
        except FileExistsError:
            pass  # another process made it a moment ago: use theirs
        keys = Keys.configured(None, keys.data_dir)
    primary, index_key = keys.values[0], os.urandom(32)
    _record(connection, {key_id(primary): "primary"}, Fernet(primary).encrypt(index_key))
    return Cipher([primary], index_key=index_key)


def _adopt(connection: Connection, keys: Keys, where: str) -> Cipher:
    """A database made before the keyring: its lookup hashes were made with an index key derived from the
    first key of the day. Keep the derivation that matches its console accounts (so every hash stays
    valid), store it as the index key, and re-derive the console hashes that used another."""
    if not keys.values:
        raise KeyProblem(missing_key(keys, where))
    sample = connection.execute(select(Therapist.name_enc).limit(1)).scalar()
    if Cipher(keys.values).key_of(sample) is None:
        have = ", ".join(keys.by_id)
        raise KeyProblem(f"The key in {keys.source} (id {have}) cannot read the database at {where}. Put that "
                         f"database's key back in {keys.source} from your backup. Nothing was read or written.")
    accounts = connection.execute(
        select(Identity.id, Identity.user_key, Therapist.name_enc)
        .join(Therapist, Therapist.id == Identity.therapist_id).where(Identity.platform == "console")
    ).all()
    cipher = Cipher(keys.values)
    # A console account is keyed by the therapist's name in one of two spellings (before and after names
    # were normalised: core/therapist_names.py); either shows which index key made the hashes.
    names = {row.id: _name_forms(cipher.decrypt(row.name_enc) or "") for row in accounts}
    candidates = [Cipher(keys.values, index_key=legacy_index_key(k)) for k in keys.values]

    def matches(c: Cipher, row) -> bool:
        return any(c.index(form) == row.user_key for form in names[row.id])

    best = max(candidates, key=lambda c: sum(matches(c, r) for r in accounts))
    for row in accounts:
        if not matches(best, row):
            connection.execute(update(Identity).where(Identity.id == row.id).values(user_key=best.index(names[row.id][0])))
    index_key = legacy_index_key(keys.values[candidates.index(best)])
    states = {key_id(k): ("primary" if i == 0 else "old") for i, k in enumerate(keys.values)}
    _record(connection, states, Fernet(keys.values[0]).encrypt(index_key))
    log.warning("recorded this database's key fingerprint(s) %s; from now on only these keys open it", ", ".join(states))
    return Cipher(keys.values, index_key=index_key)


def _name_forms(name: str) -> tuple[str, ...]:
    from core.therapist_names import console_key, legacy_key

    return (console_key(name), legacy_key(name))


def _record(connection: Connection, states: dict[str, str], wrapped_index: bytes) -> None:
    rows = [{"kind": "data", "key_id": k, "state": s} for k, s in states.items()]
    rows.append({"kind": "index", "key_id": INDEX_ID, "state": "current", "wrapped": wrapped_index})
    for row in rows:
        connection.execute(insert(keyring).values(created_at=utcnow(), **{"wrapped": None, **row}))


# ---- rotating and retiring (operator commands) ------------------------------------------------------------
Progress = Callable[[str, int, int], None]


def encrypted_columns() -> list[tuple[str, list[str]]]:
    """Every table with encrypted columns (`*_enc`), whoever added it."""
    out = []
    for table in SQLModel.metadata.sorted_tables:
        columns = [c.name for c in table.columns if c.name.endswith("_enc")]
        if columns and "id" in table.columns:
            out.append((table.name, columns))
    return out


def start_rotation(engine: Engine, keys: Keys) -> tuple[Cipher, str | None]:
    """Make a new key primary (the key file's or ALLIANCE_SECRET_KEY's first key when it is new, else a new
    key written first into the key file) and re-wrap the index key under it. Returns (cipher, the new key's
    id, or None when a rotation is being resumed). Call under storage.db.schema_lock."""
    where = describe(str(engine.url))
    with engine.begin() as connection:
        found = recorded(connection)
        if not found or not found.data:
            raise KeyProblem(f"The database at {where} has no recorded key yet: start alliance once first.")
        reason = problem(found, keys, where)
        if reason:
            raise KeyProblem(reason)
        fresh = [k for k in keys.values if key_id(k) not in found.data]
        pending = [k for k, state in found.data.items() if state == "old"]
        if not fresh and pending:
            return _checked(found, keys, where), None  # resume: re-encrypt what still uses the old key
        if not fresh:
            if keys.from_env:
                raise KeyProblem(
                    "Your keys come from ALLIANCE_SECRET_KEY, so I can't add one for you. Make a new key with\n"
                    "  python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'\n"
                    "put it first (ALLIANCE_SECRET_KEY=NEW,CURRENT) and run `alliance keys rotate` again.")
            fresh = [new_key()]
            write_key_file(keys.data_dir, fresh + keys.values)  # the new key is safe on disk before it is used
            keys = Keys.configured(None, keys.data_dir)
        new = fresh[0]
        index_key = _index_key(found, keys.values)
        connection.execute(update(keyring).where(keyring.c.kind == "data").values(state="old"))
        connection.execute(insert(keyring).values(kind="data", key_id=key_id(new), state="primary", created_at=utcnow()))
        connection.execute(update(keyring).where(keyring.c.kind == "index", keyring.c.key_id == INDEX_ID)
                           .values(wrapped=Fernet(new).encrypt(index_key)))
        found = recorded(connection)
    return _checked(found, keys, where), key_id(new)


def reencrypt(engine: Engine, cipher: Cipher, progress: Progress | None = None) -> int:
    """Re-encrypt every value not yet under the primary key, a batch of rows per transaction (interrupt it
    and run it again: values already done are skipped). A value changed meanwhile is left for the next run.
    Returns how many values still use another key."""
    primary = cipher.primary_id
    for table, columns in _encrypted_tables():
        with engine.connect() as connection:
            total = connection.execute(select(func.count()).select_from(table)).scalar()
        done, last = 0, 0
        while True:
            with engine.begin() as connection:
                ids = _ids_after(connection, table, last)
                for row_id, column, old in _values(connection, table, columns, ids):
                    if cipher.key_of(old) != primary:
                        connection.execute(update(table).where(table.c.id == row_id, table.c[column] == old)
                                           .values({column: cipher.reencrypt(old)}))
            if not ids:
                break
            last, done = ids[-1], done + len(ids)
            if progress:
                progress(table.name, done, total)
    return sum(count_using(engine, cipher, k) for k in cipher.keys[1:])


def count_using(engine: Engine, cipher: Cipher, old_key: str) -> int:
    """How many stored values still need `old_key` (one of the cipher's keys)."""
    wanted, count = key_id(old_key), 0
    for table, columns in _encrypted_tables():
        last = 0
        while True:
            with engine.connect() as connection:
                ids = _ids_after(connection, table, last)
                count += sum(cipher.key_of(v) == wanted for _, _, v in _values(connection, table, columns, ids))
            if not ids:
                break
            last = ids[-1]
    return count


def _encrypted_tables():
    return [(SQLModel.metadata.tables[name], columns) for name, columns in encrypted_columns()]


def _ids_after(connection: Connection, table, last: int) -> list[int]:
    return list(connection.execute(select(table.c.id).where(table.c.id > last).order_by(table.c.id).limit(BATCH)).scalars())


def _values(connection: Connection, table, columns: list[str], ids: list[int]):
    """(row id, column, ciphertext) of the rows, one row read at a time: a memo's audio may be 50 MB, and a
    batch of them must not be in memory at once."""
    for row_id in ids:
        row = connection.execute(select(*[table.c[c] for c in columns]).where(table.c.id == row_id)).first()
        for column, value in zip(columns, row or ()):
            if value is not None:
                yield row_id, column, bytes(value)


def retire(engine: Engine, keys: Keys, old: str) -> str:
    """Forget key `old` (its id, or the start of it) once no value needs it; returns its full id. Removes
    it from the key file too. Call under storage.db.schema_lock."""
    where = describe(str(engine.url))
    with engine.connect() as connection:
        found = recorded(connection) or Recorded()
    matches = [k for k in found.data if old and k.startswith(old.strip().lower())]
    if len(matches) != 1:
        listed = ", ".join(f"{k} ({state})" for k, state in found.data.items()) or "none"
        raise KeyProblem(f"No single key of this database starts with {old!r}. Its keys: {listed}.")
    target = matches[0]
    if found.data[target] == "primary":
        raise KeyProblem(f"Key {target} is the one new data is written with: run `alliance keys rotate` first.")
    cipher = _checked(found, keys, where)
    remaining = count_using(engine, cipher, keys.by_id[target])
    if remaining:
        raise KeyProblem(f"{remaining} stored value(s) still use key {target}. Restart every alliance process (so "
                         "none still writes with it), run `alliance keys rotate` to finish re-encrypting, then retire it.")
    with engine.begin() as connection:
        connection.execute(delete(keyring).where(keyring.c.kind == "data", keyring.c.key_id == target))
    if not keys.from_env:
        write_key_file(keys.data_dir, [k for k in keys.values if key_id(k) != target])
    return target


def key_list(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return (recorded(connection) or Recorded()).data


def is_valid_key(key: str) -> bool:
    try:
        Fernet(key.encode())
        return True
    except (ValueError, InvalidToken):
        return False
