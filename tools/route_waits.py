"""Melding-to-delivery times per shipped route, for docs/model.md.

    python -m tools.route_waits [--patients 2000] [--seed 20260101]

Runs the same new patients (the disease model's, common random numbers) through every
shipped scenario and prints, for devices (no lead time or lead time) and home adaptations
(single or multiple), the median and P10-P90 of the time from melding to delivery in months
and werkdagen, and the share over six months (seed 001's "6-9 months occurs"), as a
Markdown table. Only delivered requests count.
"""

from __future__ import annotations

import argparse

import numpy as np

from ivp.domain.catalog import load_catalog
from ivp.domain.units import DAYS_PER_MONTH
from ivp.models.process import DEFAULT_SEED, KpiReducer, NewPatients, load_scenario, run
from ivp.models.process.scenario import SHIPPED_ORDER

KINDS = {"devices": ("no_lead_time", "lead_time"), "adaptations": ("single_adaptation", "multiple_adaptation")}


def render(patients: int = 2000, seed: int = DEFAULT_SEED) -> str:
    catalog = load_catalog()
    kind_of = {p.id: p.delivery for p in catalog}
    scenarios = [load_scenario(name) for name in SHIPPED_ORDER]
    results = run(scenarios, NewPatients(patients), 1, seed=seed, reducer=KpiReducer(keep_frame=True))
    lines = [f"{patients:,} new patients, one replication, seed {seed}; melding to delivery of delivered requests:", "",
             "| route | provisions | requests | months: median (P10–P90) | werkdagen: median (P10–P90) | over 6 months |",
             "|---|---|---|---|---|---|"]
    for scenario, result in zip(scenarios, results):
        f = result.frame
        f = f[f["delivery_day"].notna()]
        kind = f["provision_id"].astype(str).map(kind_of)
        for label, kinds in KINDS.items():
            part = f[kind.isin(kinds)]
            months = (part["delivery_day"] - part["melding_day"]).to_numpy() / DAYS_PER_MONTH
            wd = part["wait_werkdagen"].to_numpy()
            m10, m50, m90 = np.percentile(months, [10, 50, 90])
            w10, w50, w90 = np.percentile(wd, [10, 50, 90])
            lines.append(f"| {scenario.name} | {label} | {len(part):,} | {m50:.1f} ({m10:.1f}–{m90:.1f}) | "
                         f"{w50:.0f} ({w10:.0f}–{w90:.0f}) | {100 * np.mean(months > 6):.1f} % |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    print(render(args.patients, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
