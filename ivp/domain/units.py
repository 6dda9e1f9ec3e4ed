"""Units shared by the disease model, the simulation and the reports.

The disease model works in months since diagnosis (as clinicians and the published
figures do); the discrete-event simulation works in whole calendar days since diagnosis.
A month is defined as an average Gregorian month: 365.25 / 12 = 30.4375 days.
"""

DAYS_PER_YEAR = 365.25
MONTHS_PER_YEAR = 12
DAYS_PER_MONTH = DAYS_PER_YEAR / MONTHS_PER_YEAR
