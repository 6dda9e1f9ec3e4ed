"""Need windows: the rules cover the catalogue exactly, the NeedWindows invariant, nothing
after death, chains in order, home facts and alternatives respected, household facts that move
a need (the condition language's fact terms), trigger leads that cover the protocol's SLAs,
faster progressors never need a device later, reproducibility, and bad rule files refused."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivp.domain.calendar import CalendarPolicy, get_calendar
from ivp.domain.catalog import load_catalog
from ivp.domain.errors import InputError
from ivp.domain.profile import HOME_FACTS, make_profile
from ivp.domain.units import DAYS_PER_MONTH
from ivp.models.disease import (
    applicable_provisions,
    sample_need_windows,
    simulate_cohort,
)
from ivp.models.disease.expressions import Condition
from ivp.models.disease.needs import (
    LONGEST_CALENDAR_POLICY,
    RULE_COLUMNS,
    leads_short_of_sla,
    load_need_rules,
    need_rules,
    sla_days,
)
from ivp.models.disease.params import data_path


@pytest.fixture(scope="module")
def windows():
    return sample_need_windows(4000, np.random.default_rng(2024))


def test_rule_ids_are_exactly_the_catalogue_ids():
    with data_path("need_rules.csv").open(newline="", encoding="utf-8") as handle:
        ids = [row["id"] for row in csv.DictReader(handle)]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(load_catalog().ids)
    assert len(ids) == 35


def test_every_rule_says_why():
    for rule in need_rules().rules.values():
        assert len(rule.rationale) > 40, rule.id


def test_windows_follow_the_contract(windows):
    start, end, trigger = windows.need_start, windows.need_end, windows.trigger
    death = np.broadcast_to(windows.death[:, None], start.shape)
    needed = ~np.isnan(start)
    assert np.array_equal(needed, ~np.isnan(end)) and np.array_equal(needed, ~np.isnan(trigger))
    assert np.all(trigger[needed] >= 0)
    assert np.all(trigger[needed] <= start[needed])
    assert np.all(start[needed] < end[needed])
    assert np.all(end[needed] <= death[needed])  # nothing needed after death
    assert windows.provision_ids == load_catalog().ids
    assert {"patient_id", "survival_months_from_diagnosis"} <= set(windows.patients.columns)
    assert np.allclose(windows.death, windows.patients["survival_months_from_diagnosis"])


def test_every_provision_is_needed_by_someone(windows):
    assert np.all(windows.needed().mean(axis=0) > 0.01), dict(zip(windows.provision_ids, windows.needed().mean(axis=0)))


def test_chains_in_order(windows):
    rules = need_rules().rules
    for rule in rules.values():
        col = windows.column(rule.id)
        if rule.after:
            pred = windows.column(rule.after)
            both = ~np.isnan(windows.need_start[:, col]) & ~np.isnan(windows.need_start[:, pred])
            assert both.any(), rule.id
            assert np.all(windows.need_start[both, col] >= windows.need_start[both, pred]), rule.id
        for successor in rule.replaced_by:
            succ = windows.column(successor)
            both = ~np.isnan(windows.need_start[:, col]) & ~np.isnan(windows.need_start[:, succ])
            assert np.all(windows.need_end[both, col] <= windows.need_start[both, succ]), (rule.id, successor)


def test_outdoor_mobility_chain_tricycle_scooter_wheelchair(windows):
    tri, scoot, chair = (windows.column(i) for i in ("driewielfiets", "scootmobiel", "elektrische_rolstoel"))
    all_three = ~np.isnan(windows.need_start[:, [tri, scoot, chair]]).any(axis=1)
    assert all_three.sum() > 100
    s = windows.need_start[all_three]
    assert np.all(s[:, tri] < s[:, scoot]) and np.all(s[:, scoot] <= s[:, chair])


def test_home_facts_decide_what_applies():
    def needed(**facts):
        w = sample_need_windows(1500, np.random.default_rng(5), make_profile(**facts))
        return dict(zip(w.provision_ids, w.needed().any(axis=0)))

    upstairs = needed(bedroom_or_bathroom_upstairs=True, has_van=True, home_adaptable_inside=True,
                      ceiling_hoist_possible=True, entrance_wheelchair_accessible=False)
    assert upstairs["traplift"] and upstairs["vervoersvoorziening"] and upstairs["badkameraanpassingen"]
    assert upstairs["plafondlift"] and upstairs["toegankelijkheid_woning"]
    assert not upstairs["aanbouw_woning"] and not upstairs["zorgunit"] and not upstairs["autonome_tillift"]

    ground = needed(bedroom_or_bathroom_upstairs=False, has_van=False, home_adaptable_inside=False,
                    extension_possible=True, ceiling_hoist_possible=False, entrance_wheelchair_accessible=True)
    assert not ground["traplift"] and not ground["vervoersvoorziening"] and not ground["badkameraanpassingen"]
    assert ground["aanbouw_woning"] and not ground["zorgunit"]
    assert ground["autonome_tillift"] and not ground["plafondlift"] and not ground["toegankelijkheid_woning"]

    no_extension = needed(home_adaptable_inside=False, extension_possible=False)
    assert no_extension["zorgunit"] and not no_extension["aanbouw_woning"]


def test_alternatives_are_never_needed_together(windows):
    n = windows.needed()
    col = windows.column
    assert not np.any(n[:, col("plafondlift")] & n[:, col("autonome_tillift")])
    housing = n[:, [col("badkameraanpassingen"), col("aanbouw_woning"), col("zorgunit")]]
    assert housing.sum(axis=1).max() <= 1


def test_applicable_provisions_matches_the_windows(windows):
    ids = windows.provision_ids
    applies = applicable_provisions(windows.patients, ids)
    assert applies.shape == (windows.n_patients, len(ids))
    assert not np.any(windows.needed() & ~applies)  # needed only where it applies
    assert applies[:, windows.column("spalken")].all()  # no home requirement


PARTLY_KNOWN = dict(age_at_onset=70.0, onset_site="bulbar", bedroom_or_bathroom_upstairs=False,
                    home_adaptable_inside=True, ceiling_hoist_possible=True, entrance_wheelchair_accessible=True,
                    has_van=False, extension_possible=False)


def _windows_with(n=1500, seed=11, **facts):
    return sample_need_windows(n, np.random.default_rng(seed), make_profile(**{**PARTLY_KNOWN, **facts}))


def test_living_alone_brings_the_personal_alarm_forward():
    """All else equal (same seed, same courses): a client who lives alone needs the personal
    alarm no later, and some courses earlier (from the first walking difficulty). Leg onset:
    with bulbar onset, speech usually fails before walking and the household changes little."""
    alone = _windows_with(lives_alone=True, children_at_home=False, onset_site="legs")
    together = _windows_with(lives_alone=False, children_at_home=False, onset_site="legs")
    assert np.array_equal(alone.death, together.death)  # the same courses
    col = alone.column("persoonsalarmering")
    a, t = alone.need_start[:, col], together.need_start[:, col]
    assert not np.any(np.isnan(a) & ~np.isnan(t))  # whoever needs it together needs it alone
    both = ~np.isnan(a) & ~np.isnan(t)
    assert np.all(a[both] <= t[both])
    earlier = (a[both] < t[both] - 1e-9).mean() + (np.isnan(t) & ~np.isnan(a)).mean()
    assert earlier > 0.05
    # and it ends as before (death): the window only grows
    assert np.array_equal(alone.need_end[both, col], together.need_end[both, col])
    # provisions whose rules do not name the household are unchanged
    same = alone.column("spraakcomputer")
    assert np.array_equal(alone.need_start[:, same], together.need_start[:, same], equal_nan=True)


def test_children_at_home_bring_the_scooter_forward_and_skip_the_tricycle():
    family = _windows_with(children_at_home=True, lives_alone=False, onset_site="legs")
    couple = _windows_with(children_at_home=False, lives_alone=False, onset_site="legs")
    scooter, tricycle = family.column("scootmobiel"), family.column("driewielfiets")
    f, c = family.need_start[:, scooter], couple.need_start[:, scooter]
    both = ~np.isnan(f) & ~np.isnan(c)
    assert both.sum() > 500 and np.all(f[both] <= c[both]) and np.any(f[both] < c[both])
    assert family.needed()[:, tricycle].mean() < 0.05 < couple.needed()[:, tricycle].mean()


def test_a_fact_group_counts_only_for_patients_with_the_fact():
    items = ("walking", "speech")
    condition = Condition.parse("lives_alone & walking<=3 | !lives_alone & speech<=1 | walking<=1",
                                items, HOME_FACTS)
    assert condition.terms() == {("walking", 3), ("speech", 1), ("walking", 1)}
    assert condition.fact_names() == {"lives_alone"}
    times = {("walking", 3): np.array([1.0, 1.0, 5.0]), ("speech", 1): np.array([2.0, 2.0, 0.5]),
             ("walking", 1): np.array([9.0, 9.0, 9.0])}
    alone = {"lives_alone": np.array([True, False, False])}
    assert np.array_equal(condition.time(times, alone), [1.0, 2.0, 0.5])
    with pytest.raises(ValueError, match="household facts"):
        condition.time(times)  # facts are needed to evaluate it
    plain = Condition.parse("walking<=3 | speech<=1", items)
    assert plain.facts == () and np.array_equal(plain.time(times), [1.0, 1.0, 0.5])


@pytest.mark.parametrize(
    "text, message",
    [
        ("lives_alone", "has no item<=score term"),
        ("lives_alone & !children_at_home", "has no item<=score term"),
        ("lives_alon & walking<=3", "'lives_alon' is neither item<=score nor a home/household fact"),
        ("walking<3", "'walking<3' is not of the form item<=score, fact or !fact"),
    ],
)
def test_bad_fact_terms_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        Condition.parse(text, ("walking",), HOME_FACTS)


def test_milestone_conditions_take_no_facts():
    with pytest.raises(ValueError, match="not of the form item<=score"):
        Condition.parse("lives_alone & walking<=3", ("walking",))


def test_trigger_leads_cover_the_protocols_sla():
    """Under the protocol a request starts at the trigger and takes up to the SLA total: a
    team that forecasts the need right must be on time. The protocol catalogue, not a local
    override (longer local SLAs need longer leads, see the next test)."""
    catalog = load_catalog()
    problems = leads_short_of_sla(catalog)
    assert not problems, "\n".join(str(p) for p in problems)
    rules = need_rules().rules
    for provision in catalog:
        lead = rules[provision.id].trigger_lead_months
        assert lead * DAYS_PER_MONTH >= provision.sla.total * 7 / 5, provision.id  # plainly
        assert lead * 2 == round(lead * 2), provision.id  # round values: whole or half months


def test_a_longer_local_sla_needs_a_longer_lead(tmp_path):
    overrides = tmp_path / "local.csv"
    overrides.write_text("id,sla_supplier,sla_total\nnekkraag,40,60\n", encoding="utf-8")
    problems = leads_short_of_sla(load_catalog(overrides=overrides))
    assert [(p.source, p.field) for p in problems] == [("need_rules.csv", "trigger_lead_months")]
    assert problems[0].row == 2 + need_rules().ids.index("nekkraag")
    assert problems[0].message.startswith("nekkraag: a lead of 2 months does not cover the SLA of 60 werkdagen")
    assert problems[0].message.endswith("a lead of 3.5 months would")


def test_sla_days_is_the_longest_a_melding_can_take():
    for policy in (LONGEST_CALENDAR_POLICY, CalendarPolicy()):
        calendar = get_calendar(policy)
        starts = np.arange(np.datetime64("2026-01-01"), np.datetime64("2034-01-01"))
        for werkdagen in (30, 40, 100):
            spans = (calendar.add_werkdagen_array(starts, werkdagen) - starts).astype(int)
            longest = sla_days(werkdagen, policy)
            assert spans.max() <= longest <= werkdagen * 7 / 5 + 14
            assert longest >= werkdagen * 7 / 5 + 5  # holidays add days
    assert sla_days(40) >= sla_days(40, CalendarPolicy())  # Good Friday off adds days


def test_a_request_at_the_trigger_arrives_before_the_need(windows):
    """The process simulation's arithmetic (melding on the trigger's day, floor of months
    to days; the SLA total in werkdagen): delivered by the need's day for every need that
    starts at least the lead after diagnosis, for diagnoses on every day of 2026."""
    catalog = load_catalog()
    rules = need_rules().rules
    calendar = get_calendar(LONGEST_CALENDAR_POLICY)
    diagnosis = np.datetime64("2026-01-01") + (np.arange(windows.n_patients) % 365)
    for j, provision_id in enumerate(windows.provision_ids):
        start, trigger = windows.need_start[:, j], windows.trigger[:, j]
        forecast = start >= rules[provision_id].trigger_lead_months
        assert forecast.any(), provision_id
        melding = diagnosis[forecast] + np.floor(trigger[forecast] * DAYS_PER_MONTH).astype(int)
        need = diagnosis[forecast] + np.floor(start[forecast] * DAYS_PER_MONTH).astype(int)
        delivery = calendar.add_werkdagen_array(melding, catalog.get(provision_id).sla.total)
        assert np.all(delivery <= need), provision_id


FULL = dict(age_at_onset=63.0, diagnostic_delay_months=10.0, fvc_percent=85.0, definite_el_escorial=False,
            ftd=False, c9orf72=False, **{fact: True for fact in HOME_FACTS})


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    site=st.sampled_from(["bulbar", "arms", "legs", "respiratory"]),
    dfs=st.floats(0.05, 2.0),
    faster=st.floats(1.05, 3.0),
    extension=st.booleans(),
)
def test_a_faster_progressor_never_needs_a_device_later(seed, site, dfs, faster, extension):
    delay = FULL["diagnostic_delay_months"]
    fast_dfs = min(dfs * faster, 3.6)  # ALSFRS-R at diagnosis stays >= 12
    common = {**FULL, "onset_site": site, "home_adaptable_inside": False, "extension_possible": extension}
    slow = sample_need_windows(40, np.random.default_rng(seed), make_profile(**common, dfs=dfs))
    fast = sample_need_windows(40, np.random.default_rng(seed), make_profile(**common, dfs=fast_dfs))
    assert np.all(fast.death <= slow.death + 1e-9)
    both = ~np.isnan(slow.need_start) & ~np.isnan(fast.need_start)
    assert np.all(fast.need_start[both] <= slow.need_start[both] + 1e-9)
    # where only the slower patient needs it, the faster one died first or declined past it
    only_slow = ~np.isnan(slow.need_start) & np.isnan(fast.need_start)
    rows, cols = np.nonzero(only_slow)
    rules = need_rules().rules
    for r, c in zip(rows, cols):
        rule = rules[slow.provision_ids[c]]
        died_first = fast.death[r] <= slow.need_start[r, c] + 1e-9
        declined_past = rule.end_when is not None or bool(rule.replaced_by)
        assert died_first or declined_past, rule.id
    assert dfs * delay < 48 - 12


def test_same_seed_same_windows_different_seed_different_windows():
    a = sample_need_windows(500, np.random.default_rng(9))
    b = sample_need_windows(500, np.random.default_rng(9))
    c = sample_need_windows(500, np.random.default_rng(10))
    for name in ("need_start", "need_end", "trigger", "death"):
        assert np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True)
    assert a.patients.equals(b.patients)
    assert not np.array_equal(a.death, c.death)


def test_catalog_ids_select_and_order_columns():
    ids = ("spraakcomputer", "traplift")
    w = sample_need_windows(200, np.random.default_rng(1), catalog_ids=ids)
    full = sample_need_windows(200, np.random.default_rng(1))
    assert w.provision_ids == ids
    assert np.array_equal(w.need_start[:, 1], full.need_start[:, full.column("traplift")], equal_nan=True)
    with pytest.raises(InputError):
        sample_need_windows(10, np.random.default_rng(1), catalog_ids=["hovercraft"])


def test_one_client_draws_from_the_profile():
    profile = make_profile(age_at_onset=55, onset_site="bulbar", alsfrs_r_at_diagnosis=40, diagnostic_delay_months=8)
    cohort = simulate_cohort(300, 1, profile)
    assert (cohort.patients["onset_site"] == "bulbar").all()
    assert np.allclose(cohort.patients["dfs"], 1.0)
    # the bulbar chain comes early for a bulbar-onset client
    w = cohort.windows
    assert np.nanmedian(w.need_start[:, w.column("spraakcomputer")]) < np.nanmedian(
        w.need_start[:, w.column("elektrische_rolstoel")]
    )


def _write_rules(tmp_path, edit):
    with data_path("need_rules.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    edit(rows)
    path = tmp_path / "rules.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=RULE_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    "edit, field, row",
    [
        (lambda rows: rows[0].update(start_when="knees<=2"), "start_when", 2),
        (lambda rows: rows[1].update(requires="has_boat"), "requires", 3),
        (lambda rows: rows[2].update(start_when="walking<=4"), "start_when", 4),
        (lambda rows: rows[3].update(trigger_lead_months="-2"), "trigger_lead_months", 5),
        (lambda rows: rows[4].update(rationale="because"), "rationale", 6),
        (lambda rows: rows[17].update(start_when="lives_alon & walking<=3 | walking<=2"), "start_when", 19),
        (lambda rows: rows[16].update(trigger_when="has_boat & walking<=3 | walking<=2"), "trigger_when", 18),
        (lambda rows: rows[13].update(start_when="children_at_home | walking<=2"), "start_when", 15),
    ],
)
def test_bad_rules_are_refused_naming_file_row_and_field(tmp_path, edit, field, row):
    path = _write_rules(tmp_path, edit)
    with pytest.raises(InputError) as info:
        load_need_rules(path)
    problem = info.value.problems[0]
    assert (problem.source, problem.field, problem.row) == ("rules.csv", field, row)
    assert f"rules.csv, row {row}, field '{field}'" in str(info.value)


def test_a_bad_fact_name_is_named_with_row_and_column(tmp_path):
    def edit(rows):
        by_id = {r["id"]: r for r in rows}
        by_id["persoonsalarmering"]["start_when"] = "lives_alon & walking<=3 | walking<=2 | speech<=1"
    with pytest.raises(InputError) as info:
        load_need_rules(_write_rules(tmp_path, edit))
    row = 2 + need_rules().ids.index("persoonsalarmering")
    [problem] = info.value.problems
    assert (problem.source, problem.row, problem.field) == ("rules.csv", row, "start_when")
    assert "lives_alon" in problem.message and "lives_alone" in problem.message  # the allowed facts


def test_rules_must_cover_the_catalogue_and_not_loop(tmp_path):
    missing = _write_rules(tmp_path, lambda rows: rows.pop())
    with pytest.raises(InputError, match="no need rule for"):
        load_need_rules(missing)

    def loop(rows):
        by_id = {r["id"]: r for r in rows}
        by_id["driewielfiets"]["after"] = "elektrische_rolstoel"
    with pytest.raises(InputError, match="cycle"):
        load_need_rules(_write_rules(tmp_path, loop))
