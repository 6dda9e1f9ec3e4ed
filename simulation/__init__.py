"""The models behind IVP Planner: the ALS disease model, the SimPy simulation of
meldingen, decisions, fittings and deliveries, Monte Carlo replications and cohorts.

This package uses the domain in ``ivp`` (catalogue, calendar, profile) and never imports
the user interface.
"""
