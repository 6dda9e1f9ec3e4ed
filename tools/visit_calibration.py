"""Coverage and sharpness of the forecasts at diagnosis and after follow-up visits
(:func:`ivp.models.disease.forecast_check.check_forecasts`), as the Markdown tables of
docs/visits.md.

    .venv/bin/python -m tools.visit_calibration          # about 3 minutes
"""

from __future__ import annotations

from ivp.application.examples import load_example_profile
from ivp.application.formatting import format_number
from ivp.domain.profile import make_profile
from ivp.models.disease.conditioning import visit_params
from ivp.models.disease.forecast_check import check_forecasts

CLIENTS, POOL, MONTHS = 400, 20_000, (6.0, 12.0)
TARGETS = {"death": "death", "need": "every need date", "need_ahead": "need dates still ahead"}


def profiles():
    return (
        ("a 60-year-old with leg onset, ALSFRS-R 40 after 12 months (nothing else known)",
         make_profile(onset_site="legs", age_at_onset=60, alsfrs_r_at_diagnosis=40, diagnostic_delay_months=12)),
        ("the example profile jong_beenbegin", load_example_profile("jong_beenbegin")),
        ("a patient of whom nothing is known (the population)", None),
    )


def render() -> str:
    p = visit_params()
    lines = [f"{CLIENTS} true clients per profile, a pool of {POOL:,} courses, visits at months "
             f"{', '.join(format_number(m, 'en', 0) for m in MONTHS)} after diagnosis with all 12 items "
             f"observed (item error SD {p.item_sd}); P10–P90 intervals; widths in months.", ""]
    for label, profile in profiles():
        rows = check_forecasts(profile, MONTHS, clients=CLIENTS, pool=POOL)
        lines += [f"**{label}**", "",
                  "| visits | forecast of | cases | coverage at diagnosis | width at diagnosis | coverage updated "
                  "| width updated | effective courses (median) | widened |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for r in rows.itertuples():
            lines.append(f"| {r.visits} | {TARGETS[r.target]} | {r.cases:,} | {r.coverage_at_diagnosis:.0%} | "
                         f"{r.width_at_diagnosis:.1f} | {r.coverage_updated:.0%} | {r.width_updated:.1f} | "
                         f"{r.effective_courses:,.0f} | {r.widened_share:.0%} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render())
