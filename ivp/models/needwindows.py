"""The contract between the disease model and the process simulation.

A :class:`NeedWindows` holds, for a group of patients and every catalogue provision,
when the provision becomes needed, when it stops being useful, and the earlier *trigger*
point at which a forward-looking team would start the request. All times are in months
since diagnosis (float); ``nan`` means "never" (the provision is not needed, or does not
apply to this home or household).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class NeedWindows:
    """Need windows of ``n`` patients for ``p`` provisions.

    Attributes
    ----------
    patients:
        One row per patient (``n`` rows, in the order of the arrays below) with at least
        ``patient_id`` and ``survival_months_from_diagnosis``; the disease model adds the
        profile and course columns it documents.
    provision_ids:
        The ``p`` catalogue ids, in column order of the arrays.
    need_start, need_end, trigger:
        ``(n, p)`` float arrays, months since diagnosis. Where a provision is needed:
        ``0 <= trigger <= need_start < need_end <= death``. Where it is never needed all
        three are ``nan``.
    death:
        ``(n,)`` months from diagnosis to death (or the survival endpoint of the model).
    uptake:
        ``(n, p)`` boolean: the patient takes the provision up where needed (accepts and uses
        it); ``None`` = every need is taken up (hand-made windows).
    adapt:
        ``(n, p)`` months since diagnosis at which a device in use needs an after-adaptation
        (``need_start <= adapt < need_end``), ``nan`` = none; ``None`` = none at all.
    """

    patients: pd.DataFrame
    provision_ids: tuple[str, ...]
    need_start: np.ndarray
    need_end: np.ndarray
    trigger: np.ndarray
    death: np.ndarray
    uptake: np.ndarray | None = None
    adapt: np.ndarray | None = None

    def __post_init__(self) -> None:
        n, p = len(self.patients), len(self.provision_ids)
        optional = tuple(name for name in ("uptake", "adapt") if getattr(self, name) is not None)
        for name in ("need_start", "need_end", "trigger", *optional):
            shape = getattr(self, name).shape
            if shape != (n, p):
                raise ValueError(f"{name} has shape {shape}, expected {(n, p)}")
        if self.death.shape != (n,):
            raise ValueError(f"death has shape {self.death.shape}, expected {(n,)}")

    @property
    def n_patients(self) -> int:
        return len(self.patients)

    def column(self, provision_id: str) -> int:
        """Index of a provision in the arrays."""
        return self.provision_ids.index(provision_id)

    def take(self, rows) -> "NeedWindows":
        """The windows of the patients at ``rows`` (positions), in that order."""
        rows = np.asarray(rows)
        pick = lambda a: None if a is None else a[rows]  # noqa: E731
        return NeedWindows(patients=self.patients.iloc[rows].reset_index(drop=True), provision_ids=self.provision_ids,
                           need_start=self.need_start[rows], need_end=self.need_end[rows], trigger=self.trigger[rows],
                           death=self.death[rows], uptake=pick(self.uptake), adapt=pick(self.adapt))

    def needed(self) -> np.ndarray:
        """``(n, p)`` boolean: the provision is needed at some point."""
        return ~np.isnan(self.need_start)

    def requested(self) -> np.ndarray:
        """``(n, p)`` boolean: needed and taken up, so a request follows."""
        needed = self.needed()
        return needed if self.uptake is None else needed & self.uptake


def concat_windows(parts) -> NeedWindows:
    """Stack the need windows of several groups of patients (same provision columns)."""
    parts = [p for p in parts if p.n_patients]
    if not parts:
        raise ValueError("no patients")
    if len(parts) == 1:
        return parts[0]
    ids = parts[0].provision_ids
    if any(p.provision_ids != ids for p in parts[1:]):
        raise ValueError("need windows with different provision columns")
    return NeedWindows(
        patients=pd.concat([p.patients for p in parts], ignore_index=True), provision_ids=ids,
        need_start=np.vstack([p.need_start for p in parts]), need_end=np.vstack([p.need_end for p in parts]),
        trigger=np.vstack([p.trigger for p in parts]), death=np.concatenate([p.death for p in parts]),
        uptake=None if all(p.uptake is None for p in parts) else np.vstack(
            [np.ones(p.need_start.shape, dtype=bool) if p.uptake is None else p.uptake for p in parts]),
        adapt=None if all(p.adapt is None for p in parts) else np.vstack(
            [np.full(p.need_start.shape, np.nan) if p.adapt is None else p.adapt for p in parts]),
    )
