"""Encryption at rest: Fernet/MultiFernet. The first key encrypts; every key decrypts (rotation)."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, MultiFernet


class Cipher:
    def __init__(self, keys: list[str]):
        if not keys:
            raise ValueError("at least one key is needed")
        self._fernet = MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])
        # A separate key for keyed lookups (blind index), derived so one secret is enough.
        self._index_key = hashlib.sha256(b"alliance-index:" + keys[0].encode()).digest()

    def encrypt(self, value: str | bytes) -> bytes:
        raw = value.encode() if isinstance(value, str) else value
        return self._fernet.encrypt(raw)

    def decrypt_bytes(self, token: bytes) -> bytes:
        return self._fernet.decrypt(bytes(token))

    def decrypt(self, token: bytes | None) -> str | None:
        return None if token is None else self.decrypt_bytes(token).decode()

    def encrypt_json(self, value: Any) -> bytes:
        return self.encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def decrypt_json(self, token: bytes | None) -> Any:
        return None if token is None else json.loads(self.decrypt_bytes(token))

    def index(self, value: str) -> str:
        """A stable keyed hash for equality lookups of a secret value (never reversible)."""
        return hmac.new(self._index_key, value.encode(), hashlib.sha256).hexdigest()


def load_keys(secret: str | None, data_dir: Path) -> list[str]:
    """Keys from ALLIANCE_SECRET_KEY (comma-separated, newest first), else a key file made 0600."""
    if secret:
        return [k.strip() for k in secret.split(",") if k.strip()]
    key_file = data_dir / "secret.key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(Fernet.generate_key())
    return [k.strip() for k in key_file.read_text().split(",") if k.strip()]
