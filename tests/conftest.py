"""Shared test settings: hypothesis profiles for CI and for long local runs."""

import os

from hypothesis import HealthCheck, settings

# CI is derandomized: the same examples every run, so a red run is reproducible and a new
# find never turns an unrelated change red. The dev and long profiles keep exploring.
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("long", max_examples=5_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# The corpus script under data/ is run by hand on an old release, never collected.
collect_ignore = ["data"]
