"""Fit the weights of commune recognition on the tuning half of the corpus (run by hand).

Every commune candidate the gazetteer weighs in a tuning-half text of tests/imports/corpus/
is one example: its features (solidaire/territory/evidence.py FEATURES) and whether its
commune is annotated for that text (optional communes are left out). A logistic regression
(scikit-learn, from the ``fit`` extra: ``pip install -e .[fit]``; the application itself
never imports it) gives the weights. Both models, the fitted one and the hand-set one, are
then measured at document level on the check half, and ``data/commune_weights.json`` keeps
both with their figures and uses the better one (F1, then precision).

Usage: python scripts/fit_commune_weights.py [--C 1.0]
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.linear_model import LogisticRegression  # noqa: E402

from solidaire.imports.evaluation import (  # noqa: E402
    Tally,
    corpus_half,
    document_communes,
    score_document,
)
from solidaire.imports.pipeline import run  # noqa: E402
from solidaire.territory import evidence  # noqa: E402
from solidaire.territory.gazetteer import build_gazetteer  # noqa: E402
from solidaire.territory.reference import DATA_DIR  # noqa: E402

CORPUS = ROOT / "tests/imports/corpus"
OUT = DATA_DIR / "commune_weights.json"


def texts(half):
    for path in sorted(CORPUS.glob("*.txt")):
        if corpus_half(path.name) == half:
            expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
            yield path, path.read_text(encoding="utf-8"), expected


def examples(gaz):
    rows, labels = [], []
    for _path, text, expected in texts("tuning"):
        wanted = set(expected["communes"])
        optional = set(expected.get("optional_communes") or [])
        for match in gaz.find(text).scored:
            if match.code in optional:
                continue
            rows.append([match.features.get(name, 0.0) for name in evidence.FEATURES])
            labels.append(int(match.code in wanted))
    return rows, labels


def measure(gaz, model, half):
    evidence.model.cache_clear()
    saved = evidence.model
    evidence.model = lambda: model  # noqa: E731 - the model under test, for this measure only
    try:
        tally = Tally()
        for _path, text, expected in texts(half):
            score_document(document_communes(run(text, gazetteer=gaz).as_json()), expected, tally)
    finally:
        evidence.model = saved
    return {
        "precision": tally.precision,
        "recall": tally.recall,
        "f1": tally.f1,
        "text": str(tally),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--C", type=float, default=1.0, help="inverse regularisation strength")
    args = parser.parse_args(argv)
    gaz = build_gazetteer()
    rows, labels = examples(gaz)
    classifier = LogisticRegression(C=args.C, max_iter=2000)
    classifier.fit(rows, labels)
    weights = {"bias": round(float(classifier.intercept_[0]), 4)}
    weights.update(
        {
            name: round(float(w), 4)
            for name, w in zip(evidence.FEATURES, classifier.coef_[0], strict=True)
        }
    )
    fitted = {"method": "fitted", "weights": weights, "threshold": 0.5, "possible": 0.2}
    models = {"hand": evidence.HAND_MODEL, "fitted": fitted}
    figures = {}
    for name, model in models.items():
        figures[name] = {half: measure(gaz, model, half) for half in ("tuning", "check")}
        print(f"{name:<7} tuning {figures[name]['tuning']['text']}")
        print(f"{name:<7} check  {figures[name]['check']['text']}")
    use = max(models, key=lambda n: (figures[n]["check"]["f1"], figures[n]["check"]["precision"]))
    print(f"{len(labels)} candidates ({sum(labels)} communes of their text); using: {use}")
    OUT.write_text(
        json.dumps(
            {
                "about": "Weights of commune recognition (solidaire/territory/evidence.py); "
                "written by scripts/fit_commune_weights.py",
                "use": use,
                "examples": {"candidates": len(labels), "positive": sum(labels)},
                "figures": figures,
                "models": models,
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
