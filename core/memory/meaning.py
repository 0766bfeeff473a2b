"""Retrieval by meaning, evaluated and kept optional: sentences close in meaning to a question's topic
when no note uses its words ("caffeine" -> "He drinks coffee all day").

The model is WordLlama's static token embeddings (l2_supercat, 32k tokens x 256 dimensions, MIT), read
from the files inside the `wordllama` wheel: no download at run time, no PyTorch. A sentence's vector is
the mean of its token vectors, normalised. bench/bench_questions.py measures it against the word index;
it is off by default because it does not answer more without answering wrongly (docs/benchmarks.md, "Questions").
Note text is embedded per question and never cached.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Sequence

THRESHOLD = 0.37  # cosine; chosen on the development questions, checked on the held-out ones


class Meaning:
    """Cosine similarity between a short query and sentences, from a static embedding table."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        import numpy as np
        from safetensors import safe_open
        from tokenizers import Tokenizer

        base = resources.files("wordllama")
        self._np = np
        self._tokenizer = Tokenizer.from_file(str(base / "tokenizers" / "l2_supercat_tokenizer_config.json"))
        with safe_open(str(base / "weights" / "l2_supercat_256.safetensors"), framework="np") as f:
            self._table = f.get_tensor("embedding.weight").astype(np.float32)
        self.threshold = threshold

    def _vectors(self, texts: Sequence[str]):
        np = self._np
        out = np.zeros((len(texts), self._table.shape[1]), dtype=np.float32)
        for row, enc in enumerate(self._tokenizer.encode_batch(list(texts), add_special_tokens=False)):
            if enc.ids:
                v = self._table[enc.ids].mean(axis=0)
                out[row] = v / (np.linalg.norm(v) or 1.0)
        return out

    def scores(self, query: str, pieces: Sequence[str]) -> list[float]:
        if not pieces:
            return []
        vectors = self._vectors([query, *pieces])
        return [float(s) for s in vectors[1:] @ vectors[0]]

    def closest(self, query: str, pieces: Sequence[str], limit: int = 3) -> list[tuple[float, int]]:
        """(similarity, index) of the pieces at or over the threshold, best first."""
        ranked = sorted(((s, i) for i, s in enumerate(self.scores(query, pieces)) if s >= self.threshold), reverse=True)
        return ranked[:limit]


@lru_cache(maxsize=4)
def load(threshold: float = THRESHOLD) -> Meaning | None:
    """The model, or None when the wordllama package (the `meaning` extra) is not installed."""
    try:
        return Meaning(threshold)
    except (ImportError, FileNotFoundError, ModuleNotFoundError):
        return None
