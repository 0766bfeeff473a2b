"""Which sentences of a long transcript belong in the note: a small linear model.

Trained by bench/train_salience.py on ACI-Bench train dialogues (a ridge regression of the share of a
sentence's content words that are in the reference note); the weights ship as models/salience.json and
scoring is a sum of weights, so nothing is downloaded or imported at run time. A dictated memo is all
content and never goes through this: it is for recorded sessions and long dialogues.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Sequence

from core.language.text import words


def features(sentence: str, index: int, total: int, speaker: str | None) -> list[str]:
    tokens = {w.lower() for w in words(sentence) if len(w) > 1}
    n = len(words(sentence))
    length = 0 if n < 4 else 1 if n < 8 else 2 if n < 15 else 3 if n < 25 else 4
    out = [f"w:{t}" for t in sorted(tokens)]
    out += [f"spk:{speaker or 'none'}", f"pos:{index * 5 // max(total, 1)}", f"len:{length}"]
    if sentence.rstrip().endswith("?"):
        out.append("question")
    if any(c.isdigit() for c in sentence):
        out.append("number")
    return out


@lru_cache(maxsize=1)
def _model() -> tuple[float, dict[str, float], float]:
    data = json.loads(resources.files("core.notes").joinpath("models/salience.json").read_text(encoding="utf-8"))
    return float(data["bias"]), {k: float(v) for k, v in data["weights"].items()}, float(data["keep_words"])


def keep_fraction() -> float:
    """The share of a transcript's words a note keeps (fitted on the training dialogues)."""
    return _model()[2]


def scores(sentences: Sequence[str], speakers: Sequence[str | None] | None = None) -> list[float]:
    bias, weights, _ = _model()
    total = len(sentences)
    who = speakers or [None] * total
    return [bias + sum(weights.get(f, 0.0) for f in features(s, i, total, who[i])) for i, s in enumerate(sentences)]


def select(sentences: Sequence[str], speakers: Sequence[str | None] | None = None) -> set[int]:
    """Indices of the best-scoring sentences, up to keep_fraction() of the transcript's words."""
    ranked = sorted(range(len(sentences)), key=lambda i: -s[i]) if (s := scores(sentences, speakers)) else []
    budget = keep_fraction() * sum(len(words(x)) for x in sentences)
    chosen: set[int] = set()
    used = 0
    for i in ranked:
        if used >= budget:
            break
        chosen.add(i)
        used += len(words(sentences[i]))
    return chosen
