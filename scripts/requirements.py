"""Print the dependencies of pyproject.toml, one a line, with the optional extras named as arguments.

The portal runs from its folder, so make and the Dockerfile install only its dependencies (pinned by
requirements.lock as constraints), not the project itself: no editable install, no build step.
Usage: python scripts/requirements.py [extra ...]
"""

import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
requirements = list(project["dependencies"])
for extra in sys.argv[1:]:
    requirements += project["optional-dependencies"][extra]
print("\n".join(requirements))
