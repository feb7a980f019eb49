"""Test-wide settings: the Hypothesis profiles, chosen so that CI can never pass or fail by luck.

- ``ci`` (whenever the ``CI`` environment variable is set, as ``.ci/run`` runs): derandomized and
  without an example database, so every run of the same code draws the same examples.
- ``ledes`` (the default on a developer's machine): random seeds, 100 examples, no deadline.
- ``fuzz`` (``HYPOTHESIS_PROFILE=fuzz``): random seeds and 2,000 examples per test, for the
  longer fuzz run described in the README; every failure it finds becomes a pinned ``@example``.

``HYPOTHESIS_PROFILE`` names a profile explicitly and wins over ``CI``.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ledes",
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("ci", parent=settings.get_profile("ledes"), derandomize=True, database=None, print_blob=True)
settings.register_profile("fuzz", parent=settings.get_profile("ledes"), max_examples=2000, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "ledes"))
