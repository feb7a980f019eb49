"""Test-wide settings: the Hypothesis profiles.

``ledes`` (the default) keeps property tests fast and free of timing flakiness;
``thorough`` runs many more examples (``HYPOTHESIS_PROFILE=thorough pytest``).
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ledes",
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("thorough", parent=settings.get_profile("ledes"), max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ledes"))
