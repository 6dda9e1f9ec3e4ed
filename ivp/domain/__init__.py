"""The domain floor: what the protocol, the law and the client are, with no simulation and
no user interface. The catalogue of provisions, the working-day calendar, the client
profile, the budget's ledger and depot rules, the budget assumptions, units and the errors
that name file, row and field. Imports nothing from ``ivp.models`` or ``ivp.application``."""
