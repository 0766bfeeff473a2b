"""Train core/notes/models/salience.json (which transcript sentences make it into a note).

    python bench/train_salience.py

Data: ACI-Bench train.csv encounters with an even index only; the odd ones and train virtscribe are the
held-out check of bench/bench_notes.py, valid is reported but not used. A sentence is labelled note
material in proportion to the share of its content words that occur in the reference note: ridge
regression (scikit-learn, bench extra, alpha 50) of that share on binary features
(core.notes.salience.features). A regression on the share ranked sentences better than a logistic
regression on "at least 70 %" (three repeated 2-fold cross-validations on the training encounters, full
writer, ROUGE-Lsum 36.1 vs 34.0, better in all six folds). The kept share of words is the one that
maximises ROUGE-Lsum on the training encounters. Deterministic.
"""
from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("ALLIANCE_SHARED_DATA", ROOT.parent / "shared" / "data")) / "aci-bench"

from core.language.text import clean_sentences, words  # noqa: E402
from core.notes.salience import features  # noqa: E402
from core.notes.sections import content_words  # noqa: E402
from core.notes.speakers import tagged_sentences  # noqa: E402


def training_encounters() -> list[tuple[str, str]]:
    with open(DATA / "train.csv", newline="", encoding="utf-8") as handle:
        return [(r["dialogue"], r["note"]) for i, r in enumerate(csv.DictReader(handle)) if i % 2 == 0]


def sentences_of(dialogue: str) -> tuple[list[str], list[str | None]]:
    tagged = tagged_sentences(dialogue)
    if tagged is None:
        sents = clean_sentences(dialogue)
        return sents, [None] * len(sents)
    return [s for s, _ in tagged], [w for _, w in tagged]


def label(sentence: str, reference_words: set[str]) -> float:
    """The share of the sentence's content words that are in the reference note (0 for fewer than two)."""
    content = set(content_words(sentence))
    return len(content & reference_words) / len(content) if len(content) >= 2 else 0.0


def main() -> None:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import Ridge
    from rouge_score import rouge_scorer

    encounters = training_encounters()
    X, y = [], []
    for dialogue, note in encounters:
        ref = {w.lower() for w in words(note)}
        sents, who = sentences_of(dialogue)
        for i, s in enumerate(sents):
            X.append({f: 1 for f in features(s, i, len(sents), who[i])})
            y.append(label(s, ref))
    vec = DictVectorizer()
    matrix = vec.fit_transform(X)
    model = Ridge(alpha=50.0).fit(matrix, y)
    names = vec.get_feature_names_out()
    weights = {n: round(float(c), 5) for n, c in zip(names, model.coef_) if abs(c) >= 0.001}
    bias = float(model.intercept_)

    # the share of words to keep: the best ROUGE-Lsum on the training encounters
    scorer = rouge_scorer.RougeScorer(["rougeLsum"])

    def score_at(fraction: float) -> float:
        total = 0.0
        for dialogue, note in encounters:
            sents, who = sentences_of(dialogue)
            s = [bias + sum(weights.get(f, 0.0) for f in features(x, i, len(sents), who[i])) for i, x in enumerate(sents)]
            budget, used, keep = fraction * sum(len(words(x)) for x in sents), 0, set()
            for i in sorted(range(len(sents)), key=lambda i: -s[i]):
                if used >= budget:
                    break
                keep.add(i)
                used += len(words(sents[i]))
            total += scorer.score(note, " ".join(sents[i] for i in sorted(keep)))["rougeLsum"].fmeasure
        return total / len(encounters)

    fractions = {f: score_at(f) for f in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)}
    best = max(fractions, key=fractions.get)
    out = ROOT / "core" / "notes" / "models" / "salience.json"
    out.write_text(json.dumps({"bias": round(bias, 4), "keep_words": best, "weights": dict(sorted(weights.items()))},
                              indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(json.dumps({"sentences": len(y), "mean_share": round(sum(y) / len(y), 3), "features": len(weights),
                      "rougeLsum_by_fraction": {k: round(100 * v, 2) for k, v in fractions.items()}, "kept": best}))


if __name__ == "__main__":
    main()
