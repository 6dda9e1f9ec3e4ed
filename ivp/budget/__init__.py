"""The IVP budget: earmarks, spending, releases and the depot, for one client and a caseload.

Public API (docs/budget.md)::

    from ivp.budget import (
        simulate_plan, simulate_courses, build_plan, Plan,   # one client's IVP (ivp plan)
        run_reserve, ReserveResult,                       # a municipality's reserve (ivp reserve)
        load_caseload, CaseloadFile, CaseloadClient,      # current clients from a spreadsheet
        build_ledger, Ledger, plan_lines, summarise_over_time,   # the accounting on a request frame
        residual_value, load_assumptions, BudgetAssumptions,
    )
"""

from ivp.budget.assumptions import BudgetAssumptions, default_assumptions, load_assumptions, load_assumptions_with_notes
from ivp.budget.caseload import CaseloadClient, CaseloadFile, load_caseload
from ivp.budget.depot import depot_savings, residual_value
from ivp.budget.ledger import Ledger, build_ledger, ledger_between, patients_from_frame, plan_lines, summarise_over_time
from ivp.budget.plan import Plan, build_plan, simulate_courses, simulate_plan
from ivp.budget.reserve import ReserveResult, caseload_kpis, run_reserve

__all__ = [
    "BudgetAssumptions", "CaseloadClient", "CaseloadFile", "Ledger", "Plan", "ReserveResult",
    "build_ledger", "build_plan", "caseload_kpis", "default_assumptions", "depot_savings", "ledger_between",
    "load_assumptions", "load_assumptions_with_notes", "load_caseload", "patients_from_frame", "plan_lines",
    "residual_value", "run_reserve", "simulate_courses", "simulate_plan", "summarise_over_time",
]
