"""Fit the weights of commune recognition on the tuning half of the corpus (run by hand).

Every commune candidate the gazetteer weighs in a tuning-half text of tests/imports/corpus/
is one example: its features (solidaire/territory/evidence.py FEATURES) and whether its
commune is annotated for that text (optional communes are left out). A logistic regression
(scikit-learn, from the ``fit`` extra: ``pip install -e .[fit]``; the application itself
never imports it) gives the weights. Both models, the fitted one and the hand-set one, are
then measured at document level on the check half, and ``data/commune_weights.json`` keeps
both with their figures and uses the better one (F1, then precision).

The regularisation strength is chosen by cross-validation on the tuning half alone (folds of
whole texts, document-level F1 on the held-out texts): a model that only learns the tuning
texts by heart scores 1.0 on them and no better than chance on the held-out fold. The
cross-validated F1 of both models is kept beside their figures.

Usage: python scripts/fit_commune_weights.py [--C 1.0] [--folds 5]
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


def examples(gaz, items=None):
    rows, labels = [], []
    for _path, text, expected in items if items is not None else texts("tuning"):
        wanted = set(expected["communes"])
        optional = set(expected.get("optional_communes") or [])
        for match in gaz.find(text).scored:
            if match.code in optional:
                continue
            rows.append([match.features.get(name, 0.0) for name in evidence.FEATURES])
            labels.append(int(match.code in wanted))
    return rows, labels


def measure(gaz, model, half, items=None):
    evidence.model.cache_clear()
    saved = evidence.model
    evidence.model = lambda: model  # noqa: E731 - the model under test, for this measure only
    try:
        tally = Tally()
        for _path, text, expected in items if items is not None else texts(half):
            score_document(document_communes(run(text, gazetteer=gaz).as_json()), expected, tally)
    finally:
        evidence.model = saved
    return {
        "precision": tally.precision,
        "recall": tally.recall,
        "f1": tally.f1,
        "tp": tally.tp,
        "fp": tally.fp,
        "fn": tally.fn,
        "text": str(tally),
    }


def fit(rows, labels, C):
    classifier = LogisticRegression(C=C, max_iter=2000)
    classifier.fit(rows, labels)
    weights = {"bias": round(float(classifier.intercept_[0]), 4)}
    weights.update(
        {
            name: round(float(w), 4)
            for name, w in zip(evidence.FEATURES, classifier.coef_[0], strict=True)
        }
    )
    return {"method": "fitted", "C": C, "weights": weights, "threshold": 0.5, "possible": 0.2}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--C", type=float, default=0.0, help="inverse regularisation strength (0: by CV)"
    )
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    gaz = build_gazetteer()
    tuning = list(texts("tuning"))
    folds = [tuning[i :: args.folds] for i in range(args.folds)]
    fold_examples = [examples(gaz, fold) for fold in folds]

    def cross_validated(C):
        tally = Tally()
        for i, held_out in enumerate(folds):
            rows = [r for j, (rs, _) in enumerate(fold_examples) if j != i for r in rs]
            labels = [y for j, (_, ys) in enumerate(fold_examples) if j != i for y in ys]
            model = fit(rows, labels, C)
            result = measure(gaz, model, "tuning", held_out)
            tally.tp += result["tp"]
            tally.fp += result["fp"]
            tally.fn += result["fn"]
        return tally

    grid = [args.C] if args.C else [0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
    cv = {C: cross_validated(C) for C in grid}
    for C, tally in cv.items():
        print(f"C={C:<5} cross-validated on the tuning half: {tally}")
    best_c = max(grid, key=lambda C: (cv[C].f1, cv[C].precision, -C))
    rows, labels = examples(gaz, tuning)
    fitted = fit(rows, labels, best_c)
    models = {"hand": evidence.HAND_MODEL, "fitted": fitted}
    figures = {}
    for name, model in models.items():
        figures[name] = {half: measure(gaz, model, half) for half in ("tuning", "check")}
        # Hand weights learn nothing from the folds: their cross-validated figure is the
        # tuning half's own.
        folded = cv[best_c] if name == "fitted" else None
        figures[name]["tuning_cross_validated"] = (
            str(folded) if folded else figures[name]["tuning"]["text"]
        )
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
