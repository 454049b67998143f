"""The weekly schedule as phases: functions of (parameters, hierarchy, state) that read and write
named state, and pass what later phases need in an explicit per-week record.

Each phase wires rules (sim/rules, where every equation lives) to the state arrays; none holds an
equation of its own. The order is the schedule of docs/ODD.md section 3:

    cascade -> work -> assess -> account -> update (anxiety, trust, markups, restraint,
    fatigue, staffing, enforcement) -> turnover

Every random number is drawn from the model's Generator, in this order, so a run depends only
on its parameters and seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .groups import group_mean
from .hierarchy import Hierarchy
from .params import Parameters
from .rules import (
    accountability,
    anxiety,
    assessment,
    burnout,
    cascade,
    demand,
    digital,
    inspection,
    output,
    rebound,
    staffing,
    trust,
    work,
)
from .state import FORMAL_HOURS, Formal, Hours, Item, State, Status, draw_anxiety, draw_competence

__all__ = ["Turnover", "Week", "account", "assess", "cascade_down", "do_work", "turnover", "update"]


@dataclass
class Week:
    """What one phase of a week hands to the later ones (nothing else crosses phases)."""

    error_rate: np.ndarray | None = None  # (N,) expected errors per official (work)
    trace_intensity: np.ndarray | None = None  # (N,) trace hours per substantive hour (work)
    completion: np.ndarray | None = None  # (N,) share of demanded formal work done (work)
    process_weight: float = 1.0  # weight of process in the assessment (work)
    indicator_factor: float = 1.0  # scale of trace demand with the indicators (work)
    detected_below: np.ndarray | None = None  # (U,) errors detected in each subtree (assess)
    forgiven: float = 0.0  # share of honest errors that fault tolerance forgives (account)


@dataclass(frozen=True)
class Turnover:
    """Posts whose official quit this week, and posts filled by a new official."""

    quits: np.ndarray
    refills: np.ndarray


def _cuts(p: Parameters) -> tuple[float, float, float]:
    return (p.quota.meetings_cut, p.quota.documents_cut, p.quota.inspections_cut)


# ---- 1. demand and cascade -----------------------------------------------------------------
def cascade_down(p: Parameters, tree: Hierarchy, state: State) -> None:
    """Targets, meetings, documents, data requests and inspections flow down the tree."""
    chain = np.ones(tree.n_units)  # product of (1 + markup) from the top down
    for lvl in tree.leader_levels:
        _send_down(p, tree, state, lvl, chain)
    _data_requests(p, tree, state)
    tw, anc = state.townships, tree.township_ancestor
    tw.authority_tasks[:] = p.devolution.tasks
    tw.authority_personnel[:] = p.devolution.personnel
    tw.authority_finance[:] = p.devolution.finance
    tw.tasks = demand.top_down_tasks(
        tree.posts,
        p.demand.task_hours,
        chain[anc[tree.bottom - 1]],
        tw.authority_tasks,
        p.devolution.task_hours,
    )


def _send_down(p: Parameters, tree: Hierarchy, state: State, lvl: int, chain: np.ndarray) -> None:
    """What the leaders of level ``lvl`` send each unit below them."""
    u, c = state.units, p.cascade
    src, dst = tree.units(lvl), tree.units(lvl + 1)
    par = tree.parent[dst]
    pos = par - src.start  # position of each receiver's superior within src
    lines = tree.departments[lvl]
    A, R = u.anxiety[src], u.restraint[src]
    upstream = chain[tree.parent[src]] if lvl > 0 else 1.0
    chain[src] = cascade.compounded_markup(upstream, u.markup[src])
    per_line = {Item.MEETINGS: c.meetings_per_line, Item.DOCUMENTS: c.documents_per_line}
    for k, rate in per_line.items():
        own = cascade.issued_items(lines, rate, A, c.anxiety_issuance, R)
        relay = cascade.relay_share(A, c.relay_base, c.relay_anxiety, R)
        u.desired[k, dst] = cascade.items_sent(own, relay, u.received[k, src])[pos]
        u.necessary[k, dst] = cascade.necessary_items(
            lines, rate, c.relay_base, u.necessary[k, src]
        )[pos]
    n_lines = inspection.merged_lines(lines, p.joint_enforcement.share)
    planned = inspection.planned_inspections(
        n_lines, p.inspection.base_per_line, p.inspection.distrust, u.trust[dst], A[pos], R[pos]
    )
    pre = inspection.pass_through(
        u.received[Item.INSPECTIONS, src], A * (1.0 - R), p.inspection.pass_through
    )[pos]
    u.desired[Item.INSPECTIONS, dst] = planned + pre
    u.necessary[Item.INSPECTIONS, dst] = inspection.necessary_inspections(
        n_lines, p.inspection.base_per_line
    )
    u.data_issued[src] = cascade.issued_items(
        lines, c.data_requests_per_line, A, c.anxiety_issuance, R
    )
    _apply_quotas(p, state, dst, par)


def _apply_quotas(p: Parameters, state: State, dst: slice, par: np.ndarray) -> None:
    """Cap what superiors send; cut items partly reappear as data requests."""
    u = state.units
    desired = u.desired[:, dst]
    cap = u.cap[:, dst]
    for k, cut in zip(Item, _cuts(p), strict=True):
        if cut > 0 and np.isnan(cap[k]).all():
            cap[k] = rebound.quota_from_level(cut, desired[k])
    nominal = np.where(np.isnan(cap), np.inf, cap)
    effective = rebound.effective_cap(nominal, desired, u.enforcement[:, par])
    issued = np.minimum(desired, effective)
    u.effective_cap[:, dst] = effective
    u.received[:, dst] = issued
    u.necessary[:, dst] = np.minimum(u.necessary[:, dst], issued)
    u.displaced[dst] = rebound.displaced_requests(
        (desired - issued).sum(axis=0), p.rebound.leakage, p.oversight.strength
    )


def _data_requests(p: Parameters, tree: Hierarchy, state: State) -> None:
    """Every line above sends each township its data requests; the data bureau merges them."""
    u, tw, anc = state.units, state.townships, tree.township_ancestor
    data = u.data_issued[anc].sum(axis=0)
    # Requests displaced by cuts of what the township and the levels above it (but the top)
    # receive: each is sent on by the superior of the unit whose items were cut.
    displaced = u.displaced[tree.units(tree.bottom)]
    for lvl in reversed(range(1, tree.bottom)):
        displaced = displaced + u.displaced[anc[lvl]]
    data += displaced
    lines_above = np.array(tree.departments, dtype=float).sum()
    db = p.data_bureau
    tw.data_requests = digital.merged_requests(data, db.duplicate_share, db.merge)
    tw.data_necessary = digital.necessary_requests(
        p.cascade.data_requests_per_line, lines_above, db.duplicate_share, tw.data_requests
    )


# ---- 2. township work ----------------------------------------------------------------------
def do_work(
    p: Parameters, tree: Hierarchy, state: State, rng: np.random.Generator, week: Week
) -> None:
    """The head allocates the week's work; staff work formal first, then substantive."""
    state.staff.worked = state.staff.active.copy()
    extra_out = _work_on_the_books(p, tree, state, rng)
    formal_t, pure_formal_t = _formal_work(p, tree, state, week)
    hours = _spend_hours(p, tree, state, week, formal_t, pure_formal_t, extra_out)
    st, wk = state.staff, p.work
    week.error_rate = np.where(
        st.active,
        output.error_rate(
            hours, wk.standard_hours, p.errors.base_rate, p.errors.overload, st.fatigue,
            p.errors.fatigue,
        ),
        0.0,
    )  # fmt: skip
    st.errors = rng.poisson(week.error_rate).astype(float)


def _work_on_the_books(
    p: Parameters, tree: Hierarchy, state: State, rng: np.random.Generator
) -> np.ndarray:
    """Citizen demand and tasks join the backlog; extra staff take their part; inspectors come.
    Returns the (T,) work that temporary, added and seconded staff do."""
    tw, d = state.townships, p.demand
    tw.demand = demand.citizen_demand(d.citizen_hours * tree.posts * tw.size, d.noise_cv, rng)
    # Hand-offs add to new work only: the backlog already carries last week's overhead.
    tw.work = (
        demand.handoff_load(tw.demand + tw.tasks, d.handoff_overhead, p.joint_enforcement.share)
        + tw.backlog
    )
    extra_staff = tw.temp_staff + tw.added_staff + p.secondment.staff
    extra_out = staffing.extra_output(
        tw.work, extra_staff, p.work.standard_hours, p.staffing.extra_productivity
    )
    received = state.units.received[Item.INSPECTIONS, tree.units(tree.bottom)]
    tw.inspections = rng.poisson(received).astype(float)
    return extra_out


def _spend_hours(p, tree, state, week, formal_t, pure_formal_t, extra_out) -> np.ndarray:
    """Allocation (能者多劳), hours by kind within the weekly maximum, output and backlog.
    Returns each official's hours worked."""
    st, tw, spread, pl = state.staff, state.townships, tree.per_staff, p.platforms
    weights = work.allocation_weights(st.competence, p.allocation.capable_bias, st.active)
    share = work.allocation_shares(weights, spread(tree.township_sum(weights)))
    n_platforms = digital.effective_platforms(pl.count, pl.necessary, p.data_bureau.merge)
    platform = np.where(st.active, n_platforms * pl.checkin_hours, 0.0)
    prod = _productivity(p, tree, state)
    for_staff = tw.work - extra_out
    sub_needed = share * spread(for_staff) / prod
    f = p.formal
    traces = work.trace_intensity(
        st.anxiety, f.trace_necessary, f.trace_anxiety, week.process_weight, week.indicator_factor
    )
    formal_needed = share * spread(formal_t.sum(axis=0)) + platform
    H = p.work.standard_hours + p.work.max_overtime
    done_formal, sub_hours, trace_hours = work.work_hours(formal_needed, sub_needed, traces, H)
    completion = work.completion(done_formal, formal_needed)
    done_share = share * completion  # each official's share of the township's formal work
    for kind in Formal:
        st.hours[FORMAL_HOURS[kind]] = spread(formal_t[kind]) * done_share
    st.hours[Hours.SUBSTANTIVE] = sub_hours
    st.hours[Hours.PLATFORMS] = platform * completion
    st.hours[Hours.TRACES] = trace_hours
    st.pure = work.pure_formalism(
        spread(pure_formal_t) * done_share,
        st.hours[Hours.PLATFORMS],
        digital.necessary_platform_share(n_platforms, pl.necessary),
        trace_hours,
        f.trace_necessary,
        sub_hours,
    )
    tw.output = tree.township_sum(sub_hours * prod) + extra_out
    tw.backlog = demand.backlog_step(tw.work, tw.output, p.demand.backlog_lapse)
    tw.demanded_hours = tree.township_sum(
        formal_needed + sub_needed * (1.0 + traces)
    ) + extra_out / max(p.staffing.extra_productivity, 1e-9)
    st.assigned = share * spread(for_staff + formal_t.sum(axis=0)) + platform
    week.trace_intensity, week.completion = traces, completion
    return done_formal + sub_hours + trace_hours


def _formal_work(
    p: Parameters, tree: Hierarchy, state: State, week: Week
) -> tuple[np.ndarray, np.ndarray]:
    """(Formal, T) formal hours each township receives, and (T,) the unnecessary part."""
    u, tw, f = state.units, state.townships, p.formal
    twu = tree.units(tree.bottom)
    week.indicator_factor = work.indicator_factor(
        p.indicators.count, p.indicators.reference, p.indicators.elasticity
    )
    week.process_weight = assessment.process_weight(
        p.assessment.mode, p.assessment.campaign_process_weight
    )
    prep = assessment.preparation_hours(
        f.inspection_hours, week.indicator_factor, week.process_weight, f.result_prep_share
    )
    formal_t = work.formal_hours(
        tree.posts,
        u.received[Item.MEETINGS, twu],
        u.received[Item.DOCUMENTS, twu],
        tw.data_requests,
        tw.inspections,
        f.meeting_hours,
        f.document_hours,
        f.data_request_hours,
        p.platforms.time_saved,
        prep,
    )
    necessary = np.stack(
        [
            work.share(u.necessary[Item.MEETINGS, twu], u.received[Item.MEETINGS, twu]),
            work.share(u.necessary[Item.DOCUMENTS, twu], u.received[Item.DOCUMENTS, twu]),
            work.share(tw.data_necessary, tw.data_requests),
            work.share(u.necessary[Item.INSPECTIONS, twu], u.received[Item.INSPECTIONS, twu]),
        ]
    )
    return formal_t, work.unnecessary_hours(formal_t, necessary)


def _productivity(p: Parameters, tree: Hierarchy, state: State) -> np.ndarray:
    """Substantive output per hour of each official (never 0: work divides by it)."""
    st, o = state.staff, p.output
    performance = output.yerkes_dodson(st.anxiety, o.yd_optimum, o.yd_width, o.yd_floor)
    control = tree.per_staff(
        inspection.crowd_out(
            state.townships.inspections, p.inspection.crowd_out, p.inspection.control_reference
        )
    )
    return np.maximum(
        output.productivity(
            st.competence, performance, st.fatigue, o.fatigue_penalty, control,
            p.platforms.time_saved,
        ),
        1e-6,
    )  # fmt: skip


# ---- 3. inspection and assessment ----------------------------------------------------------
def assess(
    p: Parameters, tree: Hierarchy, state: State, rng: np.random.Generator, week: Week
) -> None:
    """Inspections find errors; units are scored and ranked among their peers."""
    st, u, tw = state.staff, state.units, state.townships
    tw.detection = inspection.detection_probability(tw.inspections, p.inspection.detection)
    st.detected = rng.binomial(st.errors.astype(np.int64), tree.per_staff(tw.detection)).astype(
        float
    )
    # Traces are scored against what the indicators ask for: fewer indicators, fewer traces
    # needed for the same score.
    traces_scored = assessment.process_score(
        week.trace_intensity, p.assessment.trace_reference * week.indicator_factor
    )
    # Inspectors see the traces actually left: weight each official by substantive hours.
    sub = st.hours[Hours.SUBSTANTIVE]
    process = assessment.observed_process_score(
        tree.township_sum(traces_scored * week.completion * sub), tree.township_sum(sub)
    )
    quality = np.clip(work.share(tw.output, tw.work), 0.0, 1.0)
    detected_t = tree.township_sum(st.detected)
    u.score[tree.units(tree.bottom)] = assessment.unit_score(
        process,
        quality,
        week.process_weight,
        detected_t / tree.posts,
        p.assessment.error_penalty,
    )
    for lvl in reversed(tree.leader_levels):
        kids = tree.units(lvl + 1)
        u.score[tree.units(lvl)] = group_mean(
            u.score[kids], tree.parent[kids] - tree.starts[lvl], tree.count(lvl)
        )
    u.standing = assessment.rank_in_groups(u.score, tree.peer_group, rng.random(tree.n_units))
    week.detected_below = tree.subtree_sum(detected_t)


# ---- 4. accountability ---------------------------------------------------------------------
def account(
    p: Parameters, tree: Hierarchy, state: State, rng: np.random.Generator, week: Week
) -> None:
    """Accountability events for detected errors and bottom ranks (问责), less 容错."""
    st, u, acc = state.staff, state.units, p.accountability
    week.forgiven = accountability.forgiven_share(p.fault_tolerance.share, acc.honest_share)
    prob = accountability.error_event_probability(st.detected, acc.per_error, week.forgiven)
    bottom = accountability.bottom_rank_probability(
        u.standing, p.tournament.bottom_share, acc.bottom_rank, p.tournament.intensity
    )
    heads, twu = tree.head_row, tree.units(tree.bottom)
    prob[heads] = accountability.combine(prob[heads], bottom[twu])
    st.events = ((rng.random(tree.n_staff) < prob) & st.active).astype(float)
    st.record = accountability.record_step(st.record, st.events, acc.memory)

    leaders = slice(0, tree.starts[tree.bottom])
    per_100 = 100.0 * week.detected_below[leaders] / tree.subtree_posts[leaders]
    lead_prob = accountability.combine(
        accountability.leader_event_probability(per_100, acc.leader_per_error, week.forgiven),
        bottom[leaders],
    )
    u.events[leaders] = (rng.random(tree.starts[tree.bottom]) < lead_prob).astype(float)
    u.events[twu] = st.events[heads]
    u.record[leaders] = accountability.record_step(u.record[leaders], u.events[leaders], acc.memory)


# ---- 5. updates ----------------------------------------------------------------------------
def update(p: Parameters, tree: Hierarchy, state: State, week: Week) -> None:
    """Anxiety, trust, markups, restraint, fatigue, staffing and quota enforcement."""
    st, tw = state.staff, state.townships
    resources = tree.per_staff(
        burnout.job_resources(
            p.resources.support,
            p.resources.autonomy,
            tw.authority_personnel,
            p.resources.recognition,
            tw.authority_finance,
        )
    )
    total_hours = st.hours.sum(axis=0)
    new_staff_anxiety = _staff_anxiety(p, tree, state, week, resources, total_hours)
    _leader_anxiety(p, tree, state)
    st.anxiety = new_staff_anxiety
    state.units.anxiety[tree.units(tree.bottom)] = tree.township_mean(st.anxiety, st.active)
    _trust_markups_restraint(p, tree, state, week, total_hours)
    b = p.burnout
    strain = burnout.strain(
        total_hours, p.work.standard_hours, st.anxiety, resources, b.anxiety_weight,
        b.resource_weight,
    )  # fmt: skip
    st.fatigue = np.where(
        st.status == Status.VACANT,
        st.fatigue,
        burnout.fatigue_step(st.fatigue, strain, b.gain, b.recovery),
    )


def _staff_anxiety(p, tree, state, week, resources, total_hours) -> np.ndarray:
    """Township officials' new anxiety: their superior is the head, the head's is the leader
    of the level above."""
    st, u, spread = state.staff, state.units, tree.per_staff
    superior = spread(st.anxiety[tree.head_row])
    superior[tree.head_row] = u.anxiety[tree.township_ancestor[tree.bottom - 1]]
    peers = tree.township_mean(st.anxiety, st.active)
    seen = tree.township_mean(st.events, st.active)
    expected = accountability.expected_events_per_year(
        spread(state.townships.detection), week.error_rate, p.accountability.per_error,
        week.forgiven,
    )  # fmt: skip
    tour = assessment.tournament_pressure(
        u.standing[tree.units(tree.bottom)], p.tournament.steepness, p.tournament.intensity
    )
    head_tour = np.zeros(tree.n_staff)
    head_tour[tree.head_row] = tour
    target = anxiety.anxiety_target(
        anxiety.AnxietyWeights.of(p.anxiety),
        superior=superior,
        peers=spread(peers),
        record=st.record,
        seen_events=spread(seen),
        expected_events=expected,
        tournament=head_tour,
        overload=burnout.overload(total_hours, p.work.standard_hours),
        resources=resources,
    )
    return anxiety.relax(st.anxiety, target, p.anxiety.adjustment)


def _leader_anxiety(p: Parameters, tree: Hierarchy, state: State) -> None:
    """Leaders' anxiety: from their superior (the centre's pressure at the top), peers under
    the same superior, their subordinates, their record, the tournament and distrust."""
    u, U = state.units, tree.n_units
    A = u.anxiety
    leaders = slice(0, tree.starts[tree.bottom])
    par = tree.parent[leaders]
    sup = np.where(par < 0, p.anxiety.central_pressure, A[np.maximum(par, 0)])
    groups = tree.peer_group[leaders]
    peer_anx = group_mean(A[leaders], groups, U + 1)[groups]
    peer_events = group_mean(u.events[leaders], groups, U + 1)[groups]
    kids = slice(tree.starts[1], U)
    kid_par = tree.parent[kids]
    sub_anx = group_mean(A[kids], kid_par, tree.starts[tree.bottom])
    distrust = 1.0 - group_mean(u.trust[kids], kid_par, tree.starts[tree.bottom])
    target = anxiety.anxiety_target(
        anxiety.AnxietyWeights.of(p.anxiety),
        superior=sup,
        peers=peer_anx,
        subordinates=sub_anx,
        record=u.record[leaders],
        seen_events=peer_events,
        tournament=assessment.tournament_pressure(
            u.standing[leaders], p.tournament.steepness, p.tournament.intensity
        ),
        distrust=distrust,
    )
    A[leaders] = anxiety.relax(A[leaders], target, p.anxiety.adjustment)


def _trust_markups_restraint(p, tree, state, week, total_hours) -> None:
    """Trust in each subordinate unit; markups ratchet; restraint learned from bottom-up
    ratings of the burden imposed below."""
    u, st, c = state.units, state.staff, p.cascade
    kids = slice(tree.starts[1], tree.n_units)
    leaders = slice(0, tree.starts[tree.bottom])
    A = u.anxiety
    bad = trust.bad_news(
        week.detected_below[kids] / tree.subtree_posts[kids], p.trust.bad_news_scale
    )
    u.trust[kids] = trust.trust_step(
        u.trust[kids], u.score[kids], bad, p.trust.gain, p.trust.asymmetry
    )
    u.markup[leaders] = cascade.markup_step(
        u.markup[leaders],
        A[leaders] * (1.0 - u.restraint[leaders]),
        c.escalation,
        c.ratchet_up,
        c.ratchet_down,
    )
    pure_below = tree.subtree_sum(tree.township_sum(st.pure))
    hours_below = tree.subtree_sum(tree.township_sum(total_hours))
    u.restraint[leaders] = anxiety.relax(
        u.restraint[leaders],
        anxiety.restraint_target(p.bottom_up.weight, pure_below[leaders], hours_below[leaders]),
        p.bottom_up.learning,
    )


def staff_and_enforce(p: Parameters, tree: Hierarchy, state: State) -> None:
    """Staffing that follows workload, temporary hires where the township may hire, and quota
    enforcement that decays with the issuing leader's anxiety unless overseen."""
    st, tw, u, s = state.staff, state.townships, state.units, p.staffing
    present = tree.township_sum(st.active.astype(float))
    gap = staffing.shortfall_staff(
        tw.demanded_hours, present, p.work.standard_hours, s.overload_tolerance
    )
    tw.added_staff = staffing.follow(tw.added_staff, s.follow_workload * gap, s.adjustment_weeks)
    temp_target = staffing.temp_hire_target(
        s.temp_max_share,
        tree.posts,
        tw.authority_personnel,
        tw.authority_finance,
        gap,
        tw.added_staff,
    )
    tw.temp_staff = staffing.follow(tw.temp_staff, temp_target, s.temp_hire_weeks)
    leaders = slice(0, tree.starts[tree.bottom])
    for k, cut in zip(Item, _cuts(p), strict=True):
        if cut > 0:
            u.enforcement[k, leaders] = rebound.enforcement_step(
                u.enforcement[k, leaders],
                u.anxiety[leaders],
                p.rebound.drift_weeks,
                p.oversight.strength,
            )


# ---- 6. leave and turnover -----------------------------------------------------------------
def turnover(p: Parameters, tree: Hierarchy, state: State, rng: np.random.Generator) -> Turnover:
    """Leave above the leave threshold; quitting above the burnout threshold; refills."""
    st, tw, t = state.staff, state.townships, p.turnover
    status = st.status
    on_leave = status == Status.LEAVE
    st.timer[on_leave] -= 1
    status[on_leave & (st.timer <= 0)] = Status.ACTIVE

    active = status == Status.ACTIVE
    draws = rng.random((2, tree.n_staff))
    # Heads neither take leave nor quit: a leadership post is filled at once (an abstraction:
    # the deputy acts), so every township always has someone in charge.
    staff = active & ~st.is_head
    leave_p = burnout.leave_probability(st.fatigue, t.leave_threshold, t.leave_probability)
    going = staff & (draws[0] < leave_p)
    quit_p = burnout.quit_probability(
        st.fatigue, p.burnout.threshold, t.leave_threshold, t.quit_probability
    )
    quitting = staff & ~going & (draws[1] < quit_p)
    status[going] = Status.LEAVE
    st.timer[going] = t.leave_weeks

    vacant = status == Status.VACANT
    st.timer[vacant] -= 1
    refill = np.flatnonzero(vacant & (st.timer <= 0))
    quit_rows = np.flatnonzero(quitting)
    tw.quits = np.bincount(st.township[quit_rows], minlength=tree.n_townships).astype(float)
    lag = staffing.replacement_weeks(
        t.replacement_weeks, p.devolution.personnel, p.devolution.refill_speedup
    )
    status[quit_rows] = Status.VACANT
    st.timer[quit_rows] = lag
    if lag == 0:
        refill = np.concatenate([refill, quit_rows])
    if refill.size:
        n = refill.size
        st.competence[refill] = draw_competence(n, p.work.competence_sigma, rng)
        st.anxiety[refill] = draw_anxiety(n, p, rng)
        st.fatigue[refill] = t.new_hire_fatigue
        st.record[refill] = 0.0
        status[refill] = Status.ACTIVE
        st.timer[refill] = 0
    return Turnover(quit_rows, refill)
