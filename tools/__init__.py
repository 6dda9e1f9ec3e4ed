"""Developer tools of IVP Planner (not installed with the package): golden tables,
benchmarks, calibration fitting and generators of documentation tables."""
