"""The settings pytest runs with: the project's, in the development profile.

The production profile refuses the embedded defaults (secret key, hosts) and redirects
to HTTPS; tests that check it start a process of their own (tests/test_production.py).
"""

import os

os.environ["DJANGO_ENV"] = "dev"

from solidaire.settings import *  # noqa: E402, F403
