"""The need-window table of docs/disease-model.md §5, from a simulated cohort.

    python -m tools.need_table [--patients 10000] [--seed 20260101] [--by FACT]
    python -m tools.need_table --rules

The first prints, per catalogue provision, the share of patients who need it, the median need start
(months since diagnosis), the share of those already needing it at diagnosis, the median
window (need end − start) and the median trigger lead (start − trigger), as a Markdown
table. ``--by FACT`` (a home/household fact, e.g. ``lives_alone``) prints one table row per
provision and value of the fact, for the provisions whose rule names the fact in a
condition (start, end or trigger) and their neighbours in a chain: the effect of the
household on the need. ``--rules`` prints the rules of ``need_rules.csv`` as the table of
the same section (with the SLA total of the protocol catalogue next to each lead).
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from ivp.domain.profile import HOME_FACTS
from ivp.models.disease.cohort import simulate_cohort
from ivp.models.disease.needs import NeedRules, need_rules
from ivp.models.disease.streams import DEFAULT_SEED
from ivp.models.needwindows import NeedWindows

DEFAULT_PATIENTS = 10_000
COLUMNS = ("provision", "needed by", "takes it up (if needed)", "requested by", "need start, median (months since diagnosis)",
           "needed at diagnosis", "window, median (months)", "trigger before need, median (months)")


def need_summary(windows: NeedWindows, rows: np.ndarray | None = None) -> pd.DataFrame:
    """One row per provision over the patients ``rows`` (boolean mask; default all)."""
    rows = np.ones(windows.n_patients, dtype=bool) if rows is None else np.asarray(rows, dtype=bool)
    start, end, trigger = windows.need_start[rows], windows.need_end[rows], windows.trigger[rows]
    requested = windows.requested()[rows]
    records = []
    for j, provision_id in enumerate(windows.provision_ids):
        s, e, t = start[:, j], end[:, j], trigger[:, j]
        needed = ~np.isnan(s)
        any_needed = needed.any()
        records.append({
            "provision": provision_id,
            "needed": needed.mean() if len(s) else np.nan,
            "uptake": requested[:, j].sum() / needed.sum() if any_needed else np.nan,
            "requested": requested[:, j].mean() if len(s) else np.nan,
            "start": np.median(s[needed]) if any_needed else np.nan,
            "at_diagnosis": np.mean(s[needed] == 0) if any_needed else np.nan,
            "window": np.median((e - s)[needed]) if any_needed else np.nan,
            "lead": np.median((s - t)[needed]) if any_needed else np.nan,
        })
    return pd.DataFrame.from_records(records)


def _markdown(summary: pd.DataFrame, label=lambda provision: f"`{provision}`") -> list[str]:
    def pct(x):
        return "" if np.isnan(x) else f"{x:.0%}".replace("%", " %")

    def num(x):
        return "" if np.isnan(x) else f"{x:.1f}"

    return [
        f"| {label(r.provision)} | {pct(r.needed)} | {pct(r.uptake)} | {pct(r.requested)} | {num(r.start)} | {pct(r.at_diagnosis)} | {num(r.window)} | {num(r.lead)} |"
        for r in summary.itertuples()
    ]


def render(patients: int = DEFAULT_PATIENTS, seed: int = DEFAULT_SEED, by: str | None = None) -> str:
    """The Markdown table (see the module doc)."""
    windows = simulate_cohort(patients, seed).windows
    header = [f"| {' | '.join(COLUMNS)} |", "|" + "---|" * len(COLUMNS)]
    if by is None:
        return "\n".join(header + _markdown(need_summary(windows)))
    rules = need_rules().rules
    naming = {
        i for i, rule in rules.items()
        if any(c is not None and by in c.fact_names() for c in (rule.start_when, rule.end_when, rule.trigger_when))
    }
    # and their neighbours in a chain, whose windows move with them
    chained = {i for i, rule in rules.items() if naming & {*rule.replaced_by, rule.after}}
    ids = [i for i in windows.provision_ids if i in naming | chained]
    fact = windows.patients[by].to_numpy(bool)
    lines = list(header)
    selected = [windows.column(i) for i in ids]
    for provision_id, column in zip(ids, selected):
        for value in (True, False):
            summary = need_summary(windows, fact == value).iloc[[column]]
            lines += _markdown(summary, lambda p, v=value: f"`{p}`, {'' if v else 'not '}{by}")
    return "\n".join(lines)


RULE_HEADER = ("provision", "needed when", "stops when", "successor", "not before", "requires", "trigger",
               "lead (months)", "SLA (werkdagen)")


def rules_table(rules: NeedRules | None = None, catalog=None) -> str:
    """The rules as the Markdown table of docs/disease-model.md §5."""
    from ivp.domain.catalog import load_catalog

    rules = rules or need_rules()
    catalog = catalog or load_catalog()

    def code(text) -> str:
        return f"`{text}`".replace("|", "\\|") if text else ""

    lines = [f"| {' | '.join(RULE_HEADER)} |", "|" + "---|" * len(RULE_HEADER)]
    for rule in rules.rules.values():
        cells = (
            code(rule.id), code(rule.start_when.text), code(rule.end_when.text if rule.end_when else ""),
            code(" | ".join(rule.replaced_by)), code(rule.after or ""), code(rule.requires.text),
            code(rule.trigger_when.text if rule.trigger_when else ""),
            "" if rule.trigger_lead_months is None else f"{rule.trigger_lead_months:g}",
            str(catalog.get(rule.id).sla.total) if rule.id in catalog else "",
        )
        lines.append(f"| {' | '.join(cells)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=DEFAULT_PATIENTS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--by", choices=HOME_FACTS, default=None)
    parser.add_argument("--rules", action="store_true", help="print the rules table instead")
    args = parser.parse_args(argv)
    print(rules_table() if args.rules else render(args.patients, args.seed, args.by))


if __name__ == "__main__":
    main()
