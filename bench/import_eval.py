"""Import evaluation: the pipeline beside an exact-name regex baseline, in the same run.

For each text with an ``.expected.json`` beside it (the golden cases of tests/imports/golden/)
or in solidaire/initiatives/demo/ (the sample bulletin's), print the initiative count
found/expected, commune precision/recall/F1 counted on the right initiative, and the
URL/e-mail/phone/quantity scores; then the gazetteer build time and the pipeline's throughput on the sample repeated
to more than 1 MB.

The baseline is what one writes first: a regex of every commune name, exact case, word
bounded, applied to the same initiative boxes as the pipeline (so only place recognition
differs); a name shared by several communes takes the one in the given département, else
the most populous.

Then, for the corpus of real texts (tests/imports/corpus/, see its README), the tuning half
and the check half separately: document-level commune precision, recall and F1 and
per-initiative commune F1 (texts annotated per initiative), for the pipeline and, in the same
run, two exact-name regexes: one that keeps only unambiguous names, one that resolves a
homonym by the département, then the population. The corpus texts are read without a
département, as a moderator's import of an unknown text would be.

Usage: python bench/import_eval.py [--department 62] [--corpus-only] [--verbose] [FILE.txt ...]
"""

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from solidaire.imports.evaluation import (  # noqa: E402
    Tally,
    compare,
    corpus_half,
    document_communes,
    score_document,
)
from solidaire.imports.pipeline import run  # noqa: E402
from solidaire.territory import gazetteer as gazetteer_module  # noqa: E402

SAMPLE = ROOT / "solidaire/imports/samples/pas-de-calais-solidaire-n06-2020-04-24.txt"
GOLDEN = ROOT / "tests/imports/golden"
DEMO_DIR = ROOT / "solidaire/initiatives/demo"
CORPUS = ROOT / "tests/imports/corpus"


def build_baseline(gaz):
    by_name: dict[str, list[str]] = {}
    for record in gaz.communes.values():
        by_name.setdefault(record.name, []).append(record.insee)
    names = sorted(by_name, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")
    return pattern, by_name


def baseline_communes(text, pattern, by_name, gaz, department, unambiguous_only=False):
    codes = []
    for m in pattern.finditer(text):
        candidates = by_name[m.group(1)]
        if unambiguous_only and len(candidates) > 1:
            continue
        local = [c for c in candidates if gaz.communes[c].department == department]
        pool = local or candidates
        code = max(pool, key=lambda c: gaz.communes[c].population)
        if code not in codes:
            codes.append(code)
    return codes


def evaluate(path: Path, gaz, baseline, department):
    expected_path = path.with_suffix("").with_suffix(".expected.json")
    if not expected_path.exists():
        expected_path = Path(str(path)[: -len(path.suffix)] + ".expected.json")
    if not expected_path.exists():  # the sample's: the demo's description of the n°6
        expected_path = DEMO_DIR / expected_path.name
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    dept = expected.get("department", department)
    original = path.read_text(encoding="utf-8")
    result = run(original, department=dept, gazetteer=gaz)
    ours = result.as_json()
    base = json.loads(json.dumps(ours))
    for data, initiative in zip(base["initiatives"], result.initiatives, strict=True):
        data["communes"] = baseline_communes(
            original[initiative.start : initiative.end], *baseline, gaz, dept
        )
    return compare(ours, expected), compare(base, expected)


def line(label, score):
    t = score.tallies
    return (
        f"  {label:<9} initiatives {score.found:>2}/{score.expected:<2} "
        f"communes {t['communes']}  urls {t['urls'].tp}/{t['urls'].tp + t['urls'].fn} "
        f"emails {t['emails'].tp}/{t['emails'].tp + t['emails'].fn} "
        f"phones {t['phones'].tp}/{t['phones'].tp + t['phones'].fn} "
        f"quantities {t['quantities'].tp}/{t['quantities'].tp + t['quantities'].fn} "
        f"sections {'ok' if score.sections_ok else 'KO'}"
    )


READERS = ("pipeline", "regex, unambiguous names", "regex, homonym by dépt/pop.")


def _f1_line(label, doc, per):
    return (
        f"  {label:<29} document P={doc.precision:.3f} R={doc.recall:.3f} F1={doc.f1:.3f} "
        f"(tp={doc.tp} fp={doc.fp} fn={doc.fn})   per initiative F1={per.f1:.3f} "
        f"(tp={per.tp} fp={per.fp} fn={per.fn})"
    )


def corpus_report(gaz, baseline, verbose=False):
    """Document-level and per-initiative commune scores on each half of the corpus."""
    tallies = {
        (half, reader, level): Tally()
        for half in ("tuning", "check")
        for reader in READERS
        for level in ("document", "initiative")
    }
    counts = {"tuning": [0, 0], "check": [0, 0]}
    for path in sorted(CORPUS.glob("*.txt")):
        half = corpus_half(path.name)
        expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
        original = path.read_text(encoding="utf-8")
        result = run(original, gazetteer=gaz)
        ours = result.as_json()
        found = {
            READERS[0]: document_communes(ours),
            READERS[1]: set(baseline_communes(original, *baseline, gaz, None, True)),
            READERS[2]: set(baseline_communes(original, *baseline, gaz, None)),
        }
        counts[half][0] += 1
        for reader, codes in found.items():
            score_document(codes, expected, tallies[half, reader, "document"])
        if verbose:
            optional = set(expected.get("optional_communes") or [])
            wanted = set(expected["communes"]) - optional
            mine = found[READERS[0]] - optional
            if mine != wanted:
                print(f"    {half} {path.stem}: +{sorted(mine - wanted)} -{sorted(wanted - mine)}")
        if not expected.get("per_initiative"):
            continue
        counts[half][1] += 1
        for reader_index, reader in enumerate(READERS):
            data = json.loads(json.dumps(ours))
            if reader_index:
                for item, initiative in zip(data["initiatives"], result.initiatives, strict=True):
                    item["communes"] = baseline_communes(
                        original[initiative.start : initiative.end],
                        *baseline,
                        gaz,
                        None,
                        reader_index == 1,
                    )
            # Optional communes count neither way on the initiative level either.
            optional = {c for i in expected["initiatives"] for c in i.get("optional_communes", [])}
            for item in data["initiatives"]:
                item["communes"] = [c for c in item["communes"] if c not in optional]
            tally = compare(data, expected).tallies["communes"]
            total = tallies[half, reader, "initiative"]
            total.tp, total.fp, total.fn = (
                total.tp + tally.tp,
                total.fp + tally.fp,
                total.fn + tally.fn,
            )
    for half in ("tuning", "check"):
        texts, per = counts[half]
        print(f"corpus, {half} half ({texts} texts, {per} annotated per initiative):")
        for reader in READERS:
            print(
                _f1_line(
                    reader,
                    tallies[half, reader, "document"],
                    tallies[half, reader, "initiative"],
                )
            )
    return tallies


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--department", default="62")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--corpus-only", action="store_true")
    args = parser.parse_args(argv)

    started, cpu = time.perf_counter(), time.process_time()
    gaz = gazetteer_module.build_gazetteer()
    build = time.perf_counter() - started
    build_cpu = time.process_time() - cpu
    t0 = time.perf_counter()
    baseline = build_baseline(gaz)
    baseline_build = time.perf_counter() - t0

    corpus_report(gaz, baseline, args.verbose)
    if args.corpus_only:
        return
    files = args.files or [SAMPLE, *sorted(GOLDEN.glob("*.txt"))]
    totals = {"pipeline": Tally(), "baseline": Tally()}
    for path in files:
        ours, base = evaluate(path, gaz, baseline, args.department)
        print(path.name)
        print(line("pipeline", ours))
        print(line("baseline", base))
        if args.verbose:
            for detail in ours.details:
                print("    ", detail)
        for key, score in (("pipeline", ours), ("baseline", base)):
            tally = score.tallies["communes"]
            totals[key].tp += tally.tp
            totals[key].fp += tally.fp
            totals[key].fn += tally.fn
    print("all files, communes on the right initiative:")
    print(f"  pipeline {totals['pipeline']}")
    print(f"  baseline {totals['baseline']}")

    text = SAMPLE.read_text(encoding="utf-8")
    big = text * (1_100_000 // len(text) + 1)
    size = len(big.encode()) / 1000
    t0, c0 = time.perf_counter(), time.process_time()
    run(big, department=args.department, gazetteer=gaz)
    ours_rate = size / (time.perf_counter() - t0)
    ours_cpu = size / (time.process_time() - c0)
    t0, c0 = time.perf_counter(), time.process_time()
    baseline_communes(big, *baseline, gaz, args.department)
    base_rate = size / (time.perf_counter() - t0)
    base_cpu = size / (time.process_time() - c0)
    # Wall time suffers on a shared machine; CPU time is what the process itself spent.
    print(
        f"gazetteer build: {build:.2f} s ({build_cpu:.2f} s of CPU time; "
        f"baseline regex compile: {baseline_build:.2f} s)"
    )
    print(
        f"throughput on {size / 1000:.1f} MB: pipeline {ours_rate:.0f} KB/s "
        f"({ours_cpu:.0f} KB/s of CPU time), baseline regex {base_rate:.0f} KB/s "
        f"({base_cpu:.0f} KB/s of CPU time)"
    )


if __name__ == "__main__":
    main()
