"""Print the pinned dependencies of pyproject.toml: `deps.py main` or `deps.py test`."""

import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["project"]
group = sys.argv[1] if len(sys.argv) > 1 else "main"
deps = project["dependencies"] if group == "main" else project["optional-dependencies"][group]
print(" ".join(deps))
