"""The ``ivp`` command line: a thin client of ``ivp`` and ``simulation``."""
