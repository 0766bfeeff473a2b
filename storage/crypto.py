"""Encryption at rest: Fernet/MultiFernet. The primary key encrypts; every key of the database decrypts.
Lookup hashes use a separate index key (storage/keys.py keeps it, encrypted, in the database), so a
data-key rotation never changes one. Which keys a database uses is decided by storage/keys.py."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any, Callable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

KEY_FILE = "secret.key"
Reload = Callable[[], tuple[list[str], "str | None"]]  # -> (the keys configured now, the database's primary id)


def key_id(key: str) -> str:
    """A key's fingerprint: safe to print and store, says nothing about the key."""
    return hashlib.sha256(b"alliance-key-id:" + key.encode()).hexdigest()[:16]


def legacy_index_key(key: str) -> bytes:
    """How databases made before the keyring derived their index key (from the first key)."""
    return hashlib.sha256(b"alliance-index:" + key.encode()).digest()


class Cipher:
    def __init__(self, keys: list[str], index_key: bytes | None = None, reload: Reload | None = None):
        if not keys:
            raise ValueError("at least one key is needed")
        self._use(list(keys))
        self._index_key = index_key if index_key is not None else legacy_index_key(keys[0])
        self.reload = reload  # storage.keys sets it: how to read the keys again after a rotation

    def _use(self, keys: list[str]) -> None:
        fernets = [Fernet(k.encode() if isinstance(k, str) else k) for k in keys]
        # One assignment: a thread reading while another reloads sees the old set or the new one.
        self._keys = (keys, fernets, MultiFernet(fernets))

    @property
    def keys(self) -> list[str]:
        return self._keys[0]

    @property
    def primary_id(self) -> str:
        return key_id(self.keys[0])

    def encrypt(self, value: str | bytes) -> bytes:
        raw = value.encode() if isinstance(value, str) else value
        return self._keys[2].encrypt(raw)

    def decrypt_bytes(self, token: bytes) -> bytes:
        try:
            return self._keys[2].decrypt(bytes(token))
        except InvalidToken:
            if not self._reloaded():
                raise
            return self._keys[2].decrypt(bytes(token))

    def _reloaded(self) -> bool:
        """A value this process can't open may have been re-encrypted by `alliance keys rotate` since it
        started: take the keys (and the primary) as they are now. True when anything changed."""
        if self.reload is None:
            return False
        keys, primary = self.reload()
        ordered = sorted(dict.fromkeys(self.keys + keys), key=lambda k: key_id(k) != primary)
        if ordered == self.keys:
            return False
        self._use(ordered)
        return True

    def decrypt(self, token: bytes | None) -> str | None:
        return None if token is None else self.decrypt_bytes(token).decode()

    def encrypt_json(self, value: Any) -> bytes:
        return self.encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def decrypt_json(self, token: bytes | None) -> Any:
        return None if token is None else json.loads(self.decrypt_bytes(token))

    def index(self, value: str) -> str:
        """A stable keyed hash for equality lookups of a secret value (never reversible)."""
        return hmac.new(self._index_key, value.encode(), hashlib.sha256).hexdigest()

    def key_of(self, token: bytes) -> str | None:
        """The fingerprint of the key that made a token (checked by its signature, not decrypted);
        None when none of these keys did."""
        keys, fernets, _ = self._keys
        for key, fernet in zip(keys, fernets):
            try:
                fernet.extract_timestamp(bytes(token))
                return key_id(key)
            except InvalidToken:
                continue
        return None

    def reencrypt(self, token: bytes) -> bytes:
        """The same value encrypted with the primary key."""
        return self._keys[2].rotate(bytes(token))


# ---- the key file ------------------------------------------------------------------------------------------
def split_keys(text: str) -> list[str]:
    return [k.strip() for k in text.replace("\n", ",").split(",") if k.strip()]


def configured_keys(secret: str | None, data_dir: Path) -> list[str]:
    """Keys from ALLIANCE_SECRET_KEY (comma-separated), else the key file; [] when there is neither.
    Never creates anything: only storage/keys.py does, and only for an empty database."""
    if secret:
        return split_keys(secret)
    path = data_dir / KEY_FILE
    return split_keys(path.read_text()) if path.exists() else []


def write_key_file(data_dir: Path, keys: list[str], *, new: bool = False) -> None:
    """Write the key file atomically, mode 0600 (a reader never sees it half-written). With `new`, fail
    with FileExistsError when it exists (two processes creating one: the second reads the first's)."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = data_dir / KEY_FILE
    temp = data_dir / f".{KEY_FILE}.{os.getpid()}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(",".join(keys) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        if new:
            os.link(temp, path)  # atomic, and refuses to replace
        else:
            os.replace(temp, path)
    finally:
        if temp.exists():
            temp.unlink()


def new_key() -> str:
    return Fernet.generate_key().decode()
