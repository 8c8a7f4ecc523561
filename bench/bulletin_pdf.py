"""Bulletin PDF benchmark: the demo n°6 and a 50-initiative number, beside a baseline.

Run standalone: ``python bench/bulletin_pdf.py [--iterations N]``. It sets up Django on a
temporary SQLite database, migrates, loads the territory and the demo n°6, then times:

- a baseline measured in the same run: a one-paragraph PDF (WeasyPrint's fixed cost);
- the PDF of the demo n°6 (11 initiatives, 3 sections);
- the PDF of a 50-initiative number composed from generated initiatives.

Aims: n°6 < 2 s, 50 initiatives < 5 s. Nothing is cached between renders.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import setup_django  # noqa: E402


def timed(render, snapshot, iterations: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(iterations):
        start = time.perf_counter()
        size = len(render(snapshot))
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def fifty_initiatives_snapshot():
    from solidaire.bulletins.models import BulletinSeries
    from solidaire.bulletins.services import bulletin_create_draft
    from solidaire.bulletins.snapshot import build_snapshot
    from solidaire.initiatives.models import Contact, Initiative, Place, Quantity, Status
    from solidaire.territory.models import Commune

    series = BulletinSeries.objects.get(slug="pas-de-calais-solidaire")
    themes = list(series.campaign.themes.filter(parent=None))
    communes = list(Commune.objects.filter(department_id="62").order_by("-population")[:50])
    initiatives = []
    for i, commune in enumerate(communes):
        initiative = Initiative.objects.create(
            title=f"Initiative solidaire n°{i + 1} à {commune.name}",
            description=(
                f"Des bénévoles de {commune.name} confectionnent des masques, livrent des "
                "courses aux personnes âgées et appellent régulièrement les habitants isolés. "
                "Ils s'organisent avec la mairie et le CCAS pour recenser les besoins."
            ),
            campaign=series.campaign,
            actor_name=f"Association solidaire de {commune.name}",
            actor_kind="association",
            owner_department_id="62",
            status=Status.PUBLISHED,
            published_at=series.bulletins.first().published_at,
        )
        initiative.themes.set([themes[i % len(themes)]])
        Place.objects.create(initiative=initiative, kind="commune", commune=commune)
        Quantity.objects.create(initiative=initiative, count=100 * (i + 1) + 300, item="masques")
        Contact.objects.create(
            initiative=initiative,
            kind="url",
            value=f"https://www.facebook.com/solidarite.{commune.insee_code}.{commune.name.lower()}",
        )
        initiatives.append(initiative)
    draft = bulletin_create_draft(series=series, initiatives=initiatives)
    snapshot = build_snapshot(draft)
    snapshot["revision"] = 1
    return snapshot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        from solidaire.bulletins.demo import load_demo_bulletin
        from solidaire.bulletins.pdf import render_pdf

        bulletin, _ = load_demo_bulletin()
        baseline = {
            **bulletin.snapshot,
            "introduction": "Un seul paragraphe.",
            "sections": [],
            "closing": "",
            "calls_to_action": "",
        }
        big = fifty_initiatives_snapshot()
        render_pdf(baseline)  # warm-up: fonts and WeasyPrint imports
        rows = [
            ("baseline (one paragraph)", baseline, None),
            ("demo n°6 (11 initiatives)", bulletin.snapshot, 2.0),
            (f"{big['item_count']} initiatives", big, 5.0),
        ]
        print(f"{'PDF':<30} {'median':>9} {'size':>9}  aim")
        for label, snapshot, aim in rows:
            seconds, size = timed(render_pdf, snapshot, args.iterations)
            verdict = (
                "" if aim is None else ("ok" if seconds < aim else "SLOW") + f" (< {aim:.0f} s)"
            )
            print(f"{label:<30} {seconds:>8.2f}s {size / 1024:>7.0f} kB  {verdict}")


if __name__ == "__main__":
    main()
