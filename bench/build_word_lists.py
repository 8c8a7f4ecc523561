"""Rebuild the word lists shipped beside the communes (run by hand, not at run time).

Input: a French word list, one word a line (Debian's ``wfrench`` package,
``/usr/share/dict/french``, GPL, derived from the "Dicollecte" lexicon).
Outputs, in ``solidaire/territory/data/``:
- ``commune_common_words.txt``: folded commune names that are also ordinary French words
  ("avril", "salon", "ligne"), or whose name without its article is one ("temple" for Le
  Temple, "union" for L'Union), so the gazetteer only takes them when capitalised (and, for
  the short or grammatical ones, with a place cue);
- ``french_words_near_communes.txt.gz``: folded French words of 4+ letters within the
  gazetteer's fuzzy reach of a commune name, so a capitalised ordinary word ("Innovation")
  is never "corrected" into a commune.

Usage: python bench/build_word_lists.py [/usr/share/dict/french]
"""

import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from solidaire.lib.text import fold  # noqa: E402
from solidaire.territory.gazetteer import build_gazetteer  # noqa: E402
from solidaire.territory.reference import DATA_DIR  # noqa: E402

ARTICLES = {"le", "la", "les", "l"}


def main(path="/usr/share/dict/french"):
    words = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and line[0].islower():  # proper nouns of the list are not "ordinary words"
            words.add(fold(line))
    # Names and fuzzy candidates do not depend on the word lists being rebuilt.
    gaz = build_gazetteer()
    common = {key for key in gaz.names_by_key if key in words}
    # "Le Temple", "La Chapelle", "Les Halles", "L'Union": the name without its article is an
    # ordinary word, and "le temple" in a sentence is the building, not the commune.
    for key in gaz.names_by_key:
        head, _, bare = key.partition(" ")
        if head in ARTICLES and bare in words:
            common.add(bare)
    common = sorted(common)
    (DATA_DIR / "commune_common_words.txt").write_text(
        "# Folded commune names that are ordinary French words (see bench/build_word_lists.py)\n"
        + "\n".join(common)
        + "\n",
        encoding="utf-8",
    )
    near = sorted(
        w
        for w in words
        if len(w) >= 4 and " " not in w and w not in gaz.names_by_key and gaz.fuzzy_candidates(w)
    )
    with gzip.open(DATA_DIR / "french_words_near_communes.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(near) + "\n")
    print(f"{len(common)} common-word names, {len(near)} near words")


if __name__ == "__main__":
    main(*sys.argv[1:])
