"""Train core/notes/models/sections.json (the SOAP section of a sentence of a long recorded visit).

    python bench/train_sections.py [--eval]

Data: ACI-Bench train.csv encounters with an even index only (as bench/train_salience.py); the odd ones
and train virtscribe are bench/bench_notes.py's held-out split, valid is reported but not used. A
transcript sentence is labelled with the section of the reference-note sentence that holds most of its
content words (at least half of them; other sentences are left out). Reference headings map onto SOAP:
chief complaint, history, review of systems, medications, allergies -> Subjective; exam, vitals, results
-> Objective; assessment, impression, "assessment and plan" -> Assessment; plan, instructions -> Plan.
Multinomial logistic regression (scikit-learn, bench extra). `--eval`: 5-fold accuracy of the model and
of the cue rules on the same labelled sentences. Deterministic.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.train_salience import sentences_of, training_encounters  # noqa: E402
from core.notes.section_model import SECTIONS, features  # noqa: E402
from core.notes.sections import content_words, families, section_for  # noqa: E402

_HEADING = re.compile(r"^[A-Z][A-Z &/,()-]{1,40}:?$")


def _section_of(heading: str, current: str) -> str:
    h = heading.lower()
    if "assessment" in h or "impression" in h:
        return "Assessment"
    if "plan" in h or "instruction" in h:
        return "Plan"
    if re.search(r"exam|vital|result|procedure|msk", h):
        return "Objective"
    if re.search(r"complaint|history|review of systems|medication|allerg|\bcc\b|\bhpi\b", h):
        return "Subjective"
    return current


def reference_sentences(note: str) -> list[tuple[str, set[str]]]:
    section, out = "Subjective", []
    for line in note.splitlines():
        line = line.strip()
        if not line:
            continue
        if _HEADING.match(line) and len(line.split()) < 6:
            section = _section_of(line, section)
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            if cw := set(content_words(sentence)):
                out.append((section, cw))
    return out


def label(sentence: str, references: list[tuple[str, set[str]]]) -> str | None:
    cw = set(content_words(sentence))
    if len(cw) < 2:
        return None
    best, section = max(((len(cw & rw) / len(cw), s) for s, rw in references), default=(0.0, None))
    return section if best >= 0.5 else None


def dataset() -> tuple[list[dict[str, int]], list[str], list[str]]:
    X, y, sents = [], [], []
    for dialogue, note in training_encounters():
        refs = reference_sentences(note)
        sentences, who = sentences_of(dialogue)
        for i, s in enumerate(sentences):
            if (section := label(s, refs)) is not None:
                X.append({f: 1 for f in features(s, i, len(sentences), who[i])})
                y.append(section)
                sents.append(s)
    return X, y, sents


def main() -> None:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X, y, sents = dataset()
    vec = DictVectorizer()
    matrix = vec.fit_transform(X)

    def fit(m, labels):  # type: ignore[no-untyped-def]
        return LogisticRegression(C=0.5, max_iter=3000, class_weight="balanced").fit(m, labels)

    report: dict[str, object] = {"sentences": len(y), "by_section": {s: y.count(s) for s in SECTIONS}}
    if "--eval" in sys.argv:
        from sklearn.model_selection import KFold
        right_model = right_rules = 0
        for train, test in KFold(5, shuffle=True, random_state=0).split(y):
            model = fit(matrix[train], [y[i] for i in train])
            predicted = model.predict(matrix[test])
            right_model += sum(p == y[i] for p, i in zip(predicted, test))
            right_rules += sum(section_for("SOAP", families(sents[i])) == y[i] for i in test)
        report["cv_accuracy"] = {"model": round(right_model / len(y), 3), "cue rules": round(right_rules / len(y), 3)}
    model = fit(matrix, y)
    names = vec.get_feature_names_out()
    weights = {
        str(section): {n: round(float(c), 4) for n, c in zip(names, model.coef_[k]) if abs(c) >= 0.05}
        for k, section in enumerate(model.classes_)
    }
    bias = {str(s): round(float(b), 4) for s, b in zip(model.classes_, model.intercept_)}
    out = ROOT / "core" / "notes" / "models" / "sections.json"
    out.write_text(json.dumps({"bias": bias, "weights": weights}, indent=0) + "\n", encoding="utf-8")
    report["features"] = {s: len(w) for s, w in weights.items()}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
