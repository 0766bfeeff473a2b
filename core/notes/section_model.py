"""Which SOAP section a sentence of a long recorded visit belongs in: a small trained classifier.

Trained by bench/train_sections.py on ACI-Bench train dialogues (even index only): each transcript
sentence that matches a sentence of the reference note (most of its content words) is labelled with
that reference sentence's section (chief complaint, history and review of systems -> Subjective; exam,
vitals and results -> Objective; assessment/impression -> Assessment; plan and instructions -> Plan).
Multinomial logistic regression on the salience features plus the cue families of core/notes/sections.py;
the weights ship as models/sections.json and scoring is a sum of weights per section. Used for SOAP notes
of long transcripts only: a dictated memo keeps its own headings and cue words.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Sequence

from core.notes.salience import features as salience_features
from core.notes.sections import families

SECTIONS = ("Subjective", "Objective", "Assessment", "Plan")


def features(sentence: str, index: int, total: int, speaker: str | None) -> list[str]:
    out = salience_features(sentence, index, total, speaker)
    out += [f"pos10:{index * 10 // max(total, 1)}"]
    out += [f"fam:{name}" for name in families(sentence)]
    return out


@lru_cache(maxsize=1)
def _model() -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    data = json.loads(resources.files("core.notes").joinpath("models/sections.json").read_text(encoding="utf-8"))
    return {k: float(v) for k, v in data["bias"].items()}, {
        section: {k: float(v) for k, v in weights.items()} for section, weights in data["weights"].items()
    }


def section_scores(sentence: str, index: int, total: int, speaker: str | None) -> dict[str, float]:
    bias, weights = _model()
    feats = features(sentence, index, total, speaker)
    return {s: bias[s] + sum(weights[s].get(f, 0.0) for f in feats) for s in SECTIONS}


def place(sentences: Sequence[str], indices: Sequence[int], speakers: Sequence[str | None] | None = None) -> dict[str, list[int]]:
    """The SOAP section of each chosen sentence (indices into `sentences`), in transcript order."""
    who = speakers or [None] * len(sentences)
    placed: dict[str, list[int]] = {s: [] for s in SECTIONS}
    for i in sorted(indices):
        scores = section_scores(sentences[i], i, len(sentences), who[i])
        placed[max(SECTIONS, key=lambda s: scores[s])].append(i)
    return placed
