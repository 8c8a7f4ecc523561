"""Copy the outlines of a data/outlines/ folder into solidaire/territory/data/outlines/.

`python scripts/ship_outlines.py ../shared/data/outlines`

The 3 parents that still carry the 2018 outline of a former commune nouvelle (see
territory/data/README.md, "Outlines in this project") lose their feature: their outline
covers restored communes, so the map shows them as points instead.
"""

import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from solidaire.territory.reference import OUTLINES_DIR, TOO_LARGE_OUTLINES  # noqa: E402


def main(source: Path) -> None:
    OUTLINES_DIR.mkdir(exist_ok=True)
    for path in sorted(source.glob("*.geojson.gz")):
        raw = path.read_bytes()
        data = json.loads(gzip.decompress(raw))
        kept = [
            f
            for f in data["features"]
            if f["properties"].get("insee_code") not in TOO_LARGE_OUTLINES
        ]
        if len(kept) != len(data["features"]):
            data["features"] = kept
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            raw = gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
        (OUTLINES_DIR / path.name).write_bytes(raw)
        print(path.name, len(kept))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
