"""The protocol's catalogue of provisions as validated data.

``provisions.csv`` holds the 34 rows of the protocol's two tables (seed 001), each with its
source; ``alternatives.yaml`` the provisions that exclude each other; ``norms.yaml`` the
process norms; ``protocol_figures.yaml`` the protocol's own subtotals, reproduced by
:mod:`ivp.domain.catalog.figures`.
"""

from ivp.domain.catalog.figures import Subtotal, Total, subtotals, totals
from ivp.domain.catalog.loader import (
    Catalog,
    load_alternatives,
    load_norms,
)
from ivp.domain.catalog.overrides import (
    apply_overrides,
    load_catalog,
    template_csv,
    template_xlsx,
    write_template,
)
from ivp.domain.catalog.schema import (
    FINANCIERS,
    REUSE_CLASSES,
    ProcessNorms,
    Provision,
    Sla,
)

__all__ = [
    "Catalog", "FINANCIERS", "REUSE_CLASSES", "Provision", "ProcessNorms", "Sla", "Subtotal", "Total",
    "apply_overrides", "load_alternatives", "load_catalog", "load_norms",
    "subtotals", "template_csv", "template_xlsx", "totals", "write_template",
]
