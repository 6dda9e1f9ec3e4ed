"""The models floor: the ALS disease model (:mod:`ivp.models.disease`: population, ENCALS
survival, the ALSFRS-R course, need windows) and the process model
(:mod:`ivp.models.process`: meldingen, decisions, fittings and deliveries in werkdagen,
with the one entry point that runs replications). Imports the domain, never the
application."""
