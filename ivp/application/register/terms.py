"""The register's words: statuses, routes, forms, decisions, closings and steps (without
SQLAlchemy, so that the command line can name them in its help without importing it)."""

STATUSES = ("active", "deceased", "wlz", "moved")
"""A client's status: in the municipality's care, died, entered a Wlz institution, moved away."""
ENDINGS = STATUSES[1:]
"""The statuses that end a client's care here."""
ROUTES = ("protocol", "current_practice", "pgb")
"""The route a melding takes: the shipped scenarios of ``ivp/models/process/scenarios``."""
FORMS = ("in_kind", "pgb", "rent")
"""How an item is delivered: bought in kind (zorg in natura), bought under a pgb, rented."""
DECISIONS = ("granted", "refused")
CLOSINGS = ("delivered", "refused", "withdrawn", "deceased", "wlz", "moved")
"""Why a melding closed."""
STEPS = {"confirmed": "confirmed_on", "advised": "advised_on", "fitted": "fitted_on"}
"""Steps of a melding recorded by date alone; the decision and the delivery have verbs of their own."""
