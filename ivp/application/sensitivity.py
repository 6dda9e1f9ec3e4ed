"""Which assumption moves the outcome most: a one-at-a-time sensitivity analysis over the
labelled assumptions of a scenario (the data for a tornado chart).

Every block of a scenario file that carries an ``assumption`` (a figure no source gives) is
a *lever*. Each lever is set lower and higher - its durations (werkdagen) times 0.5 and 1.5,
its shares times 0.5 and 1.5 (at most 1), a breach's factor above the SLA likewise - and the
scenario is run again on the same patients (common random numbers: one call of
:func:`ivp.models.process.run` for the base and every variant). The result per lever is the
change of the mean gap and of the cost per patient against the base. Blocks whose figures
must add up (the shares of the repeat-request policies, a mixture's weights) keep them; a
variant the scenario model refuses is left out and listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd

from ivp.domain.messages import Lang, has_text, text
from ivp.models.process import DEFAULT_SEED, KpiReducer, NewPatients, Scenario, run

FACTORS = (0.5, 1.5)
"""The lower and the higher setting of every lever, as factors on its figures."""
DURATION_KEYS = {"werkdagen", "low", "mode", "high", "median", "p90", "max", "within", "wait_over"}
SHARE_KEYS = {"share", "informed", "breach_share", "case_by_case_reassess", "amount_share", "rent_monthly_share",
              "refurbishment_cost_share"}
BREACH_KEYS = {"breach_median", "breach_p90"}
FRACTION_DIST = "sla_spread"
"""In an SLA spread, ``low`` and ``mode`` are fractions of the SLA (at most 1)."""
SKIPPED = ("population", "incidence", "depot", "staff", "calendar")
"""Top-level blocks that do not act on new patients' requests (or are off by default)."""
METRICS = ("gap_days_mean", "cost_eur_per_patient")


@dataclass(frozen=True)
class Lever:
    path: tuple[str, ...]
    """Where the block is in the scenario (keys from the top)."""

    @property
    def name(self) -> str:
        return ".".join(self.path)


def lever_label(name: str, lang: Lang) -> str:
    """A lever's dotted path in words (``routes.wmo.delivery`` -> "Wmo › levering")."""
    words = [text(f"lever.{part}", lang) for part in name.split(".") if part != "routes" and has_text(f"lever.{part}")]
    return " › ".join(words) or name


def levers(scenario: Scenario) -> list[Lever]:
    """The blocks of ``scenario`` labelled as assumptions that hold a figure to vary."""
    found: list[Lever] = []

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if not isinstance(node, dict):
            return
        if "assumption" in node and _figures(node):
            found.append(Lever(path))
        for key, value in node.items():
            walk(value, (*path, str(key)))

    data = scenario.model_dump(mode="json", exclude_none=True)
    for key, value in data.items():
        if key not in SKIPPED:
            walk(value, (key,))
    return found


def _figures(node: dict) -> bool:
    """Does the block (or a duration inside it without its own documentation) hold a figure?"""
    for key, value in node.items():
        if key in DURATION_KEYS | SHARE_KEYS | BREACH_KEYS and isinstance(value, (int, float)):
            return True
        if isinstance(value, dict) and "assumption" not in value and "source" not in value and _figures(value):
            return True
        if isinstance(value, list) and any(isinstance(v, dict) and _figures(v) for v in value):
            return True
    return False


def _scaled(node: Any, factor: float, fractions: bool = False) -> Any:
    """The block with every duration, share and breach factor scaled (see the module doc);
    nested documented blocks are levers of their own and stay as they are."""
    if isinstance(node, list):
        return [_scaled(v, factor, fractions) for v in node]
    if not isinstance(node, dict):
        return node
    fractions = fractions or node.get("dist") == FRACTION_DIST
    out = {}
    for key, value in node.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, dict, list)):
            out[key] = value
        elif isinstance(value, dict):
            documented = "assumption" in value or "source" in value
            out[key] = value if documented else _scaled(value, factor, fractions)
        elif isinstance(value, list):
            out[key] = _scaled(value, factor, fractions)
        elif key in SHARE_KEYS or (fractions and key in ("low", "mode")):
            out[key] = min(value * factor, 1.0 if key != "breach_share" else 0.99)
        elif key in BREACH_KEYS:
            out[key] = 1 + (value - 1) * factor
        elif key in DURATION_KEYS and value != float("inf"):
            out[key] = value * factor
        else:
            out[key] = value
    return out


def variant(scenario: Scenario, lever: Lever, factor: float) -> Scenario | None:
    """``scenario`` with one lever set by ``factor``; None when the model refuses the result."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    node = data
    for key in lever.path[:-1]:
        node = node[key]
    node[lever.path[-1]] = _scaled(node[lever.path[-1]], factor)
    try:
        return Scenario.model_validate(data)
    except ValueError:
        return None


def sensitivity(scenario: Scenario, patients: int = 100, replications: int = 50, seed: int = DEFAULT_SEED,
                catalog=None, progress: Callable[[float], None] | None = None) -> pd.DataFrame:
    """One row per lever and metric: ``lever``, ``metric``, ``base``, ``low`` and ``high``
    (the metric with the lever at each factor of :data:`FACTORS`), ``low_change`` and
    ``high_change`` (against the base), sorted by the largest change first within each metric."""
    chosen, variants = [], [scenario]
    for lever in levers(scenario):
        low, high = (variant(scenario, lever, f) for f in FACTORS)
        if low is not None and high is not None:
            chosen.append(lever)
            variants += [low, high]
    results = run(variants, NewPatients(patients), replications, seed=seed,
                  reducer=KpiReducer(per_provision=False), catalog=catalog, progress=progress)
    means = [_overall_means(r) for r in results]
    rows = []
    for i, lever in enumerate(chosen):
        low, high = means[1 + 2 * i], means[2 + 2 * i]
        for metric in METRICS:
            base = means[0][metric]
            rows.append({"lever": lever.name, "metric": metric, "base": base, "low": low[metric],
                         "high": high[metric], "low_change": low[metric] - base, "high_change": high[metric] - base})
    frame = pd.DataFrame(rows, columns=["lever", "metric", "base", "low", "high", "low_change", "high_change"])
    span = frame[["low_change", "high_change"]].abs().max(axis=1)
    return frame.assign(_span=span).sort_values(["metric", "_span"], ascending=[True, False]).drop(
        columns="_span").reset_index(drop=True)


def _overall_means(result) -> dict[str, float]:
    s = result.summary
    overall = s[(s["group"] == "overall")].set_index("metric")["mean"]
    return {metric: float(overall.get(metric, float("nan"))) for metric in METRICS}
