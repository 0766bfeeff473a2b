"""Operator commands for keys and backups: `alliance keys list|rotate|retire OLD`, `alliance backup [--out DIR]`,
`alliance restore ARCHIVE`. Like `alliance doctor` they work on the database and key file directly; they
never print a key, only its fingerprint (id)."""
from __future__ import annotations

from pathlib import Path

from bots.cli_common import progress
from core.config import Settings


def add_parsers(sub) -> None:
    p = sub.add_parser("keys", help="list, rotate or retire the encryption keys")
    keys = p.add_subparsers(dest="keys_command", required=True)
    keys.add_parser("list", help="the keys this database uses (fingerprints only)").set_defaults(run=cmd_keys_list)
    keys.add_parser("rotate", help="encrypt everything with a new key (resumable; run it again to finish)"
                    ).set_defaults(run=cmd_keys_rotate)
    r = keys.add_parser("retire", help="drop an old key once nothing uses it")
    r.add_argument("old", metavar="OLD", help="the old key's id (from `alliance keys list`)")
    r.set_defaults(run=cmd_keys_retire)
    b = sub.add_parser("backup", help="an encrypted archive of the database (safe while the bots run)")
    b.add_argument("--out", metavar="DIR", help="where to write it (default: DATA_DIR/backups)")
    b.set_defaults(run=cmd_backup)
    r = sub.add_parser("restore", help="restore an archive into an empty data dir or database")
    r.add_argument("archive", metavar="ARCHIVE", help="the backup archive to restore from")
    r.set_defaults(run=cmd_restore)


def _open(settings: Settings):
    """(engine, cipher) with the same checks as any start (KeyProblem when the key doesn't fit)."""
    from storage.db import make_engine, migrate, schema_lock, secure_files
    from storage.keys import open_cipher

    secure_files(settings.data_dir, settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    with schema_lock(engine):
        migrate(engine)
        return engine, open_cipher(engine, settings.secret_key, settings.data_dir)


def _keys(settings: Settings):
    from storage.keys import Keys

    return Keys.configured(settings.secret_key, settings.data_dir)


async def cmd_keys_list(args) -> int:
    from storage.keys import key_list

    engine, _ = _open(Settings())
    for key, state in key_list(engine).items():
        print(f"{key}  {'primary: new data is written with it' if state == 'primary' else 'old: still readable'}")
    engine.dispose()
    return 0


async def cmd_keys_rotate(args) -> int:
    from storage.crypto import key_id
    from storage.db import schema_lock
    from storage.keys import reencrypt, start_rotation

    settings = Settings()
    engine, _ = _open(settings)
    with schema_lock(engine):
        cipher, new = start_rotation(engine, _keys(settings))
    keys = _keys(settings)
    where = "ALLIANCE_SECRET_KEY" if keys.from_env else keys.source
    if new:
        progress(f"New key {new} is now the primary key ({where}). Re-encrypting every stored value with it…")
    else:
        progress(f"Resuming: re-encrypting what does not use key {cipher.primary_id} yet…")
    shown: dict[str, int] = {}

    def report(table: str, done: int, total: int) -> None:
        if done - shown.get(table, 0) >= 5000 or done >= total:
            shown[table] = done
            progress(f"  {table}: {done}/{total} rows")

    remaining = reencrypt(engine, cipher, report)
    engine.dispose()
    if remaining:
        progress(f"{remaining} value(s) were written with an old key while this ran (a process started before the "
                 "rotation). Restart every alliance process, then run `alliance keys rotate` again.")
        return 1
    print(f"Done: every stored value uses key {cipher.primary_id}.")
    if not keys.from_env:
        print(f"Back up {keys.source} now: it holds the new key (first) and the old one. Copy it to every machine "
              "that runs alliance on this database.")
    if len(cipher.keys) > 1:
        ids = " ".join(key_id(k) for k in cipher.keys[1:])
        print(f"Restart every alliance process, then retire the old key: alliance keys retire {ids}")
    return 0


async def cmd_keys_retire(args) -> int:
    from storage.db import schema_lock
    from storage.keys import retire

    settings = Settings()
    engine, _ = _open(settings)
    keys = _keys(settings)
    with schema_lock(engine):
        gone = retire(engine, keys, args.old)
    engine.dispose()
    print(f"Retired key {gone}: nothing stored uses it any more.")
    if keys.from_env:
        print("Remove it from ALLIANCE_SECRET_KEY on every machine.")
    else:
        print(f"It is no longer in {keys.source}. Keep the old copy of that file only as long as you keep backups "
              "made before the rotation (they need it), and only somewhere as safe as the key itself.")
    return 0


async def cmd_backup(args) -> int:
    from storage.backup import backup

    settings = Settings()
    engine, cipher = _open(settings)
    out = Path(args.out) if args.out else settings.data_dir / "backups"
    archive, manifest = backup(engine, cipher, out, settings.data_dir)
    engine.dispose()
    notes = manifest["counts"].get("note", 0)
    print(f"Wrote {archive} ({notes} note(s); encrypted with key {manifest['key_id']}).")
    print("It opens only with that key: keep a copy of your key (secret.key) somewhere else than this archive.")
    return 0


async def cmd_restore(args) -> int:
    from storage.backup import restore
    from storage.db import make_engine, secure_files

    settings = Settings()
    archive = Path(args.archive)
    if not archive.is_file():
        progress(f"No file at {archive}.")
        return 2
    secure_files(settings.data_dir, settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    try:
        manifest = restore(archive, engine, _keys(settings), settings.data_dir)
    finally:
        engine.dispose()
    engine, _ = _open(settings)  # migrates an older backup and checks the key against the restored data
    engine.dispose()
    counts = manifest["counts"]
    print(f"Restored the backup of {manifest['created_at']}: {counts.get('therapist', 0)} therapist(s), "
          f"{counts.get('client', 0)} client(s), {counts.get('note', 0)} note(s).")
    return 0
