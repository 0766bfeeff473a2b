"""An experiment, not shipped: a trained text classifier as a second risk detector that can only add flags.

    python bench/train_risk.py

One logistic regression per risk kind on lower-cased words and word pairs. Training data: the labelled
phrasing sets tests/core/notes_cases/risk_{dev,heldout,unseen}.tsv and bench/data/risk_dev_v2.jsonl
(never risk_check_v2 or risk_unseen_v2), each sentence also as speech-to-text gives it; ACI-Bench train
dialogue sentences are ordinary talk (negatives). For each kind: positives are that kind's sentences (any
status), negatives the look-alikes, the other kinds' sentences (except kinds that share phrasing) and the
ACI-Bench sentences. The threshold is the lowest score at which 5-fold cross-validated precision is at
least 0.9, plus MARGIN (cross-validation is optimistic here: a sentence and its speech-to-text variant
fall in different folds, and the negatives are medical talk, not therapy).

The classifier speaks only for a sentence where no pattern matched; its status comes from the same
negation and history rules (core.notes.safety._status). The script prints, rules alone vs rules plus
classifier: per-kind recall and false-flag rate on bench/data/risk_check_v2.jsonl (written after the
frame patterns, tuned on by neither), and the flags the classifier adds to the invented therapy memos of
the tests and to ACI-Bench valid visits. Result (docs/benchmarks.md, "The offline note writer and risk
detection"): recall up on the check set, but false flags on therapy memos ("Couples session with ... her
husband", "cutting class", "three or four glasses of wine") that the tests forbid, so it is not part of
core/notes.
"""
from __future__ import annotations

import csv
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("ALLIANCE_SHARED_DATA", ROOT.parent / "shared" / "data")) / "aci-bench"

from bench.bench_risk import asr, load_cases  # noqa: E402
from core.language.text import clean_sentences  # noqa: E402
from core.notes import safety  # noqa: E402

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

KINDS = ("passive_ideation", "active_ideation", "preparatory_behaviour", "suicide_attempt", "self_harm",
         "harm_to_others", "abuse", "access_to_means", "substance_risk")
_RELATED = [
    {"passive_ideation", "active_ideation", "preparatory_behaviour", "suicide_attempt", "access_to_means", "self_harm"},
    {"abuse", "harm_to_others"}, {"substance_risk", "suicide_attempt", "access_to_means"},
]
MARGIN = 1.0
TRAINING_SETS = ("risk_dev.tsv", "risk_heldout.tsv", "risk_unseen.tsv", "risk_dev_v2.jsonl")


def tokens(sentence: str) -> list[tuple[str, int, int]]:
    """(feature, start, end) for the words and adjacent word pairs of a sentence, lower-cased."""
    found = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(sentence.lower().replace("’", "'"))]
    return found + [(f"{a} {b}", sa, eb) for (a, sa, _), (b, _, eb) in zip(found, found[1:])]


def related(a: str, b: str) -> bool:
    return any(a in group and b in group for group in _RELATED)


def ordinary_talk(limit: int = 6000) -> list[str]:
    with open(DATA / "train.csv", newline="", encoding="utf-8") as handle:
        sentences = [s for row in csv.DictReader(handle) for s in clean_sentences(row["dialogue"])]
    return [s for s in sentences if len(s.split()) >= 4][:limit]


def dataset() -> tuple[list[str], list[str | None], list[str]]:
    """sentences, their kind (None for ordinary talk), and "positive" / "absent" / "talk"."""
    texts, kinds, roles = [], [], []
    for name in TRAINING_SETS:
        for kind, status, sentence in load_cases(name):
            for variant in {sentence, asr(sentence)}:
                texts.append(variant)
                kinds.append(kind)
                roles.append("absent" if status == "absent" else "positive")
    for sentence in ordinary_talk():
        texts.append(sentence)
        kinds.append(None)
        roles.append("talk")
    return texts, kinds, roles


def labels_for(kind: str, kinds: list[str | None], roles: list[str]) -> tuple[list[int], list[int]]:
    """(row indices used, 0/1 labels) for one kind."""
    rows, y = [], []
    for i, (k, role) in enumerate(zip(kinds, roles)):
        if role == "positive" and k == kind:
            rows.append(i), y.append(1)
        elif role in ("absent", "talk") or (role == "positive" and k is not None and not related(k, kind)):
            rows.append(i), y.append(0)
    return rows, y


def train() -> tuple[dict[str, tuple[float, float, dict[str, float]]], dict[str, object]]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    texts, kinds, roles = dataset()
    vec = DictVectorizer()
    matrix = vec.fit_transform([{f: 1 for f, _, _ in tokens(t)} for t in texts])
    names = vec.get_feature_names_out()
    models: dict[str, tuple[float, float, dict[str, float]]] = {}
    report: dict[str, object] = {}
    for kind in KINDS:
        rows, y = labels_for(kind, kinds, roles)
        X = matrix[rows]
        cv_scores = [0.0] * len(rows)
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(rows, y):
            model = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit(X[tr], [y[i] for i in tr])
            for i, score in zip(te, model.decision_function(X[te])):
                cv_scores[i] = float(score)
        threshold, found, true = None, 0, 0
        for score, label in sorted(zip(cv_scores, y), reverse=True):  # lowest score with precision >= 0.9
            found, true = found + 1, true + label
            if true / found >= 0.9:
                threshold = score
        threshold = (threshold if threshold is not None else max(cv_scores) + 1) + MARGIN
        caught = sum(1 for s, label in zip(cv_scores, y) if label and s >= threshold)
        report[kind] = {"positives": sum(y), "cv_recall_at_threshold": round(caught / sum(y), 3)}
        model = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit(X, y)
        models[kind] = (float(model.intercept_[0]), threshold, dict(zip(names, map(float, model.coef_[0]))))
    return models, report


def with_classifier(models, sentences: list[str]) -> list:  # type: ignore[no-untyped-def]
    """The patterns' flags, plus the classifier's for sentences where no pattern matched."""
    flags = safety.detect_risks(sentences)
    flagged = {f.evidence for f in flags}
    for sentence in sentences:
        if sentence in flagged:
            continue
        feats = tokens(sentence)
        for kind, (bias, threshold, weights) in models.items():
            if bias + sum(weights.get(f, 0.0) for f in {f for f, _, _ in feats}) >= threshold:
                _, start, end = max(feats, key=lambda t: weights.get(t[0], 0.0))
                flags.append(safety.Flag(kind, sentence, safety._status(sentence, start, end), ("possible",)))
    return flags


def main() -> None:
    from bench.bench_notes import split
    import bench.bench_risk as bench_risk
    import tests.core.generalisation_memos as memos

    models, report = train()
    check = bench_risk.load_cases("risk_check_v2.jsonl")
    rules = bench_risk.evaluate(check)
    original = bench_risk.detect_risks
    bench_risk.detect_risks = lambda s: with_classifier(models, safety.clean_sentences(s))
    both = bench_risk.evaluate(check)
    bench_risk.detect_risks = original
    report["check_v2"] = {k: {"recall": [rules[k]["recall"], both[k]["recall"]],
                              "false_flags": [rules[k]["false_flag_rate"], both[k]["false_flag_rate"]]} for k in rules}
    memo_text = [v for v in vars(memos).values() if isinstance(v, str)]
    memo_text += [x for v in vars(memos).values() if isinstance(v, (list, tuple, dict))
                  for x in (v.values() if isinstance(v, dict) else v) if isinstance(x, str)]
    memo_text += [x for v in vars(memos).values() if isinstance(v, (list, tuple))
                  for item in v if isinstance(item, (list, tuple)) for x in item if isinstance(x, str)]
    memo_sentences = [s for t in memo_text if len(t) > 40 for s in clean_sentences(t)]
    added = [f for f in with_classifier(models, memo_sentences) if "possible" in f.qualifiers]
    report["therapy_memos"] = {"sentences": len(memo_sentences), "added": len(added),
                               "added_present": sum(f.status == "present" for f in added)}
    visit_sentences = [s for d, _ in split("valid") for s in clean_sentences(d)]
    added = [f for f in with_classifier(models, visit_sentences) if "possible" in f.qualifiers]
    report["aci_valid"] = {"sentences": len(visit_sentences), "added_present": sum(f.status == "present" for f in added)}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
