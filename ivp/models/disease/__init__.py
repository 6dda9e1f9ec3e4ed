"""The ALS disease model: from a client profile at diagnosis to need windows.

Public API (see docs/disease-model.md):

- :func:`sample_need_windows` ``(n, rng, profile=None, catalog_ids=None, alive_until=None) -> NeedWindows``
- :class:`DiseaseDraws`, :class:`PatientGroup`, :func:`cohort_from_groups`: the draws of many
  replications computed in one pass (what the process model's runner calls)
- :func:`simulate_cohort` ``(n, rng, profile=None, catalog_ids=None, rules=None, alive_until=None) -> Cohort``
- :func:`sample_population` ``(n, rng, profile=None) -> DataFrame``
- :func:`sample_death` ``(patients, rng, model=None, alive_until=None)``, :func:`survival_quantiles`, :func:`prognosis` (ENCALS survival)
- :func:`sample_courses` ``(patients, death, survival_quantile, rng) -> Courses``
- :func:`applicable_provisions` ``(patients, provision_ids) -> (n, p) bool``
- :func:`leads_short_of_sla` ``(catalog) -> list[Problem]``: rules whose trigger lead does
  not cover the catalogue's SLA total (check an overridden catalogue with it)
- :func:`cohort_frame` ``(cohort) -> DataFrame`` (the ``ivp cohort`` export)
"""

from ivp.models.disease.cohort import (
    Cohort,
    DiseaseDraws,
    PatientGroup,
    cohort_frame,
    cohort_from_groups,
    sample_need_windows,
    simulate_cohort,
)
from ivp.models.disease.course import Courses, sample_courses
from ivp.models.disease.needs import (
    NeedRules,
    applicable_provisions,
    leads_short_of_sla,
    load_need_rules,
    need_rules,
    sla_days,
)
from ivp.models.disease.population import sample_population
from ivp.models.disease.prognosis import prognosis
from ivp.models.disease.survival import encals, sample_death, survival_quantiles

__all__ = [
    "Cohort",
    "DiseaseDraws",
    "PatientGroup",
    "cohort_from_groups",
    "Courses",
    "NeedRules",
    "applicable_provisions",
    "cohort_frame",
    "encals",
    "leads_short_of_sla",
    "load_need_rules",
    "need_rules",
    "prognosis",
    "sample_courses",
    "sample_death",
    "sample_need_windows",
    "sample_population",
    "simulate_cohort",
    "sla_days",
    "survival_quantiles",
]
