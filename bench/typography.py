"""Cost of the page-level typography pass, beside a baseline measured in the same run.

Run standalone: ``python bench/typography.py [--cards N] [--iterations N]`` (or
``make bench``). The page is a list of N initiative cards in the shape of the public list
(text, attributes, a script, a form field); the baseline is what the middleware does
anyway for every page: decoding the body and encoding it again.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from solidaire.lib.typography import french_html  # noqa: E402

CARD = (
    '<div class="fr-card fr-enlarge-link"><div class="fr-card__body"><div class="fr-card__content">'
    '<h3 class="fr-card__title"><a href="/initiatives/{n}/">Visières pour les soignants : '
    "1 300 en trois semaines</a></h3>"
    '<p class="fr-card__desc">Des bénévoles fabriquent des visières ; contact : la mairie !</p>'
    '<p class="fr-card__detail fr-icon-map-pin-2-line">Arras, Lens — à 2&nbsp;km</p>'
    '<p class="fr-card__detail">Maison du numérique · publiée le 1 mai 2020</p>'
    "</div></div></div>\n"
)


def page(cards: int) -> bytes:
    body = "".join(CARD.format(n=n) for n in range(cards))
    return (
        '<!DOCTYPE html><html lang="fr"><head><title>Initiatives : recherche</title>'
        "<script>var a = b ? c : d;</script></head><body>"
        '<form><input name="q" value="masques : visières ?"></form>'
        f"{body}</body></html>"
    ).encode()


def timed(function, iterations: int) -> list[float]:
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=100)
    parser.add_argument("--iterations", type=int, default=200)
    args = parser.parse_args()
    content = page(args.cards)
    baseline = timed(lambda: content.decode("utf-8").encode("utf-8"), args.iterations)
    typography = timed(
        lambda: french_html(content.decode("utf-8")).encode("utf-8"), args.iterations
    )
    print(f"page of {args.cards} cards: {len(content) / 1024:.0f} KB")
    for label, times in (("baseline (decode + encode)", baseline), ("french_html", typography)):
        print(
            f"{label:28} p50 {statistics.median(times):6.2f} ms"
            f"   p95 {statistics.quantiles(times, n=20)[-1]:6.2f} ms"
        )


if __name__ == "__main__":
    main()
