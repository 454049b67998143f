"""The weekly schedule as phases: compiled functions of (parameters, hierarchy, state) that read
and write named state in place, and pass what later phases need as explicit values.

Each phase wires rules (sim/rules, where every equation lives) to the state arrays; none holds an
equation of its own. The order is the schedule of docs/ODD.md section 3:

    cascade -> work -> assess -> account -> update (anxiety, trust, markups, restraint,
    fatigue) -> turnover -> staffing and quota enforcement

The whole week compiles to one machine-code function (numba), so a week costs what its array
arithmetic costs, not a Python call per operation. Every random number is drawn from the
model's numpy Generator, in this order, so a run depends only on its parameters and seed and
gives the numbers the same numpy expressions give.

Arguments, everywhere below: ``p`` the parameter record (:meth:`sim.params.Parameters.record`),
``k`` the week's constants (:class:`Constants`), ``tree`` the index arrays
(:attr:`sim.hierarchy.Hierarchy.arrays`), ``u``, ``tw``, ``st`` the unit, township and staff
state (:mod:`sim.state`), ``rng`` the model's Generator.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .groups import (
    group_mean,
    group_sum,
    rows_sum,
    subtree_sum,
    township_count,
    township_mean,
    township_sum,
)
from .jit import jit, ratio, where
from .params import Parameters
from .rules import (
    accountability,
    anxiety,
    assessment,
    burnout,
    cascade,
    coordination,
    demand,
    devolution,
    digital,
    effort,
    gaming,
    inspection,
    output,
    rebound,
    staffing,
    trial,
    trust,
    work,
)
from .state import Formal, Hours, Item, Status, draw_anxiety, draw_competence

__all__ = ["Constants", "Turnover", "constants", "run_week"]

MEETINGS, DOCUMENTS, INSPECTIONS = int(Item.MEETINGS), int(Item.DOCUMENTS), int(Item.INSPECTIONS)
ACTIVE, LEAVE, VACANT = int(Status.ACTIVE), int(Status.LEAVE), int(Status.VACANT)
SUBSTANTIVE, PLATFORMS, TRACES = int(Hours.SUBSTANTIVE), int(Hours.PLATFORMS), int(Hours.TRACES)
# Row of an official's hours that each kind of the township's formal work (Formal) lands in.
FORMAL_TO_HOURS = np.array(
    [Hours.MEETINGS, Hours.DOCUMENTS, Hours.DATA, Hours.INSPECTIONS], dtype=np.int64
)
assert [int(k) for k in Formal] == list(range(len(FORMAL_TO_HOURS)))
N_ITEMS = len(Item)


class Constants(NamedTuple):
    """What a parameter set fixes for every week, worked out once by the rules."""

    process_weight: float  # weight of process in the assessment
    indicator_factor: float  # scale of trace demand with the indicators
    forgiven: float  # share of honest errors that fault tolerance forgives
    replacement_weeks: int  # weeks a post stays empty after a quit
    weights: anxiety.AnxietyWeights


class Turnover(NamedTuple):
    """Posts whose official quit this week, and posts filled by a new official."""

    quits: np.ndarray
    refills: np.ndarray


def constants(p: Parameters) -> Constants:
    """The week's constants of a parameter set."""
    return Constants(
        process_weight=assessment.process_weight(
            p.assessment.mode, p.assessment.campaign_process_weight
        ),
        indicator_factor=work.indicator_factor(
            p.indicators.count, p.indicators.reference, p.indicators.elasticity
        ),
        forgiven=accountability.forgiven_share(
            p.fault_tolerance.share, p.accountability.honest_share
        ),
        replacement_weeks=staffing.replacement_weeks(
            p.turnover.replacement_weeks, p.devolution.personnel, p.devolution.refill_speedup
        ),
        weights=anxiety.AnxietyWeights.of(p.anxiety),
    )


@jit
def run_week(p, k, tree, u, tw, st, rng):
    """One week of the schedule on the state's three tables (``*state``), changed in place;
    returns the rows whose official quit and the rows filled (see :class:`Turnover`)."""
    cascade_down(p, tree, u, tw)
    error_rate, traces, completion = do_work(p, k, tree, u, tw, st, rng)
    detected_below = assess(p, k, tree, u, tw, st, rng, traces, completion)
    account(p, k, tree, u, st, rng, detected_below)
    update(p, k, tree, u, tw, st, error_rate, detected_below)
    quits, refills = turnover(p, k, tree, tw, st, rng)
    staff_and_enforce(p, tree, u, tw, st)
    return quits, refills


@jit
def _units(tree, level):
    return slice(tree.starts[level], tree.starts[level + 1])


@jit
def _cut(p, item):
    q = p.quota
    return (q.meetings_cut, q.documents_cut, q.inspections_cut)[item]


# ---- 1. demand and cascade -----------------------------------------------------------------
@jit
def cascade_down(p, tree, u, tw):
    """Targets, meetings, documents, data requests and inspections flow down the tree."""
    chain = np.ones(tree.n_units)  # product of (1 + markup) from the top down
    for lvl in range(tree.bottom):
        _send_down(p, tree, u, lvl, chain)
    _data_requests(p, tree, u, tw)
    _platforms(p, tree, u, tw)
    dv = p.devolution
    tw.authority_tasks[:] = dv.tasks
    tw.authority_personnel[:] = dv.personnel
    tw.authority_finance[:] = dv.finance
    county = tree.township_ancestor[tree.bottom - 1]
    _refill_slack(p, tree, u, tw, county)
    # Formal devolution takes effect at once; what counties push down follows their pressure.
    pushed = devolution.pushdown_target(
        tw.authority_tasks,
        dv.pushdown,
        u.anxiety[county],
        u.restraint[county],
        rebound.caught(p.oversight.strength, p.oversight.detection),
    )
    tw.pushed[:] = np.maximum(
        tw.authority_tasks, staffing.follow(tw.pushed, pushed, dv.pushdown_weeks)
    )
    tasks = demand.top_down_tasks(
        tree.posts, p.demand.task_hours, chain[county], tw.pushed, dv.task_hours
    )
    tw.tasks[:] = _hand_out(p, tree, u, county, tasks) + tw.hidden * tree.posts


@jit
def _hand_out(p, tree, u, county, tasks):
    """Each county hands its tasks to its townships by the capability their scores show
    (能者多劳 between townships), keeping the county's total."""
    first = tree.starts[tree.bottom - 1]
    n_counties, local = tree.starts[tree.bottom] - first, county - first
    score = u.score[_units(tree, tree.bottom)]
    mean_score = group_mean(np.maximum(score, 0.0), local, n_counties)
    weights = work.task_weights(score, mean_score[local], p.allocation.capable_bias)
    total = group_sum(tasks, local, n_counties)
    weighted = group_sum(tasks * weights, local, n_counties)
    return work.county_allocation(tasks, weights, total[local], weighted[local])


@jit
def _platforms(p, tree, u, tw):
    """The departments above each township launch and retire platforms (last week's anxiety
    and restraint, averaged over the levels above); the data bureau folds surplus ones in."""
    anc = tree.township_ancestor
    pressure = digital.launch_pressure(u.anxiety[anc[0]], u.restraint[anc[0]])
    for lvl in range(1, tree.bottom):
        pressure = pressure + digital.launch_pressure(u.anxiety[anc[lvl]], u.restraint[anc[lvl]])
    pl, db = p.platforms, p.data_bureau
    # A policy that orders more platforms (or a clean-up that orders fewer) changes the count by
    # the difference once, when it comes into force; launches and retirements go on from there.
    tw.platforms[:] = digital.ordered_platforms(tw.platforms, tw.ordered, pl.count)
    tw.ordered[:] = pl.count
    tw.platforms[:] = digital.platform_step(
        tw.platforms, pressure / tree.bottom, pl.launch, pl.life_weeks
    )
    tw.consolidated[:] = digital.consolidation_step(
        tw.consolidated, tw.platforms, pl.necessary, db.merge, db.consolidation_weeks, db.capacity
    )


@jit
def _refill_slack(p, tree, u, tw, county):
    """Hours a quota frees at the township are refilled by anxious superiors with tasks."""
    f, rb = p.formal, p.rebound
    twu = _units(tree, tree.bottom)
    per_item = np.array([f.meeting_hours, f.document_hours, f.inspection_hours])
    freed = rebound.freed_hours(u.desired[:, twu], u.received[:, twu], per_item)
    target = rebound.refill_target(freed, u.anxiety[county], u.restraint[county], rb.refill)
    tw.hidden[:] = rebound.refill_step(tw.hidden, target, rb.refill_weeks)


@jit
def _send_down(p, tree, u, lvl, chain):
    """What the leaders of level ``lvl`` send each unit below them."""
    c, ins = p.cascade, p.inspection
    src, dst = _units(tree, lvl), _units(tree, lvl + 1)
    lines = tree.departments[lvl]
    A, R = u.anxiety[src], u.restraint[src]
    upstream = chain[tree.parent[src]] if lvl > 0 else np.ones(A.size)
    chain[src] = cascade.compounded_markup(upstream, u.markup[src])
    u.data_issued[src] = cascade.issued_items(
        lines, c.data_requests_per_line, A, c.anxiety_issuance, R
    )
    n_lines = inspection.merged_lines(lines, p.joint_enforcement.share)
    # One receiving unit at a time, from its superior's anxiety and restraint.
    for unit in range(dst.start, dst.stop):
        boss = tree.parent[unit]
        a, r = u.anxiety[boss], u.restraint[boss]
        relay = cascade.relay_share(a, c.relay_base, c.relay_anxiety, r)
        for item in (MEETINGS, DOCUMENTS):
            rate = c.meetings_per_line if item == MEETINGS else c.documents_per_line
            own = cascade.issued_items(lines, rate, a, c.anxiety_issuance, r)
            u.desired[item, unit] = cascade.items_sent(own, relay, u.received[item, boss])
            u.necessary[item, unit] = cascade.necessary_items(
                lines, rate, c.relay_base, u.necessary[item, boss]
            )
            u.needed[item, unit] = cascade.necessary_items(
                lines, rate, c.relay_base, u.needed[item, boss]
            )
        planned = inspection.planned_inspections(
            n_lines, ins.base_per_line, ins.distrust, u.trust[unit], a, r
        )
        pre = inspection.pass_through(
            u.received[INSPECTIONS, boss], a * (1.0 - r), ins.pass_through
        )
        u.desired[INSPECTIONS, unit] = planned + pre
        u.necessary[INSPECTIONS, unit] = inspection.necessary_inspections(
            n_lines, ins.base_per_line
        )
        u.needed[INSPECTIONS, unit] = u.necessary[INSPECTIONS, unit]
    _apply_quotas(p, u, dst, tree.parent)


@jit
def _apply_quotas(p, u, dst, parent):
    """Cap what superiors send; part of the cut is sent anyway under another name, part
    reappears as data requests, unless the oversight body catches it."""
    for item in range(N_ITEMS):
        cut = _cut(p, item)
        if cut > 0 and np.isnan(u.cap[item, dst]).all():
            u.cap[item, dst] = rebound.quota_from_level(cut, u.desired[item, dst])
    caught = rebound.caught(p.oversight.strength, p.oversight.detection)
    protected = p.coordination.protected
    for unit in range(dst.start, dst.stop):
        boss = parent[unit]
        relabel = rebound.relabel_share(
            u.anxiety[boss], u.restraint[boss], p.evasion.relabel, caught
        )
        cut_items = 0.0
        for item in range(N_ITEMS):
            desired, cap = u.desired[item, unit], u.cap[item, unit]
            effective = rebound.effective_cap(
                np.inf if np.isnan(cap) else cap, desired, u.enforcement[item, boss]
            )
            issued = np.minimum(desired, effective)
            kept = coordination.necessary_kept(u.necessary[item, unit], desired, issued, protected)
            u.effective_cap[item, unit] = effective
            u.necessary[item, unit] = rebound.with_relabelled(
                kept, u.necessary[item, unit], relabel
            )
            received = rebound.with_relabelled(issued, desired, relabel)
            u.received[item, unit] = received
            u.relabelled[item, unit] = received - issued
            cut_items = desired - received if item == 0 else cut_items + (desired - received)
        u.displaced[unit] = rebound.displaced_requests(cut_items, p.rebound.leakage, caught)


@jit
def _data_requests(p, tree, u, tw):
    """Every line above sends each township its data requests; the data bureau merges them."""
    anc = tree.township_ancestor
    data = u.data_issued[anc[0]]
    for lvl in range(1, tree.bottom):
        data = data + u.data_issued[anc[lvl]]
    # Requests displaced by cuts of what the township and the levels above it (but the top)
    # receive: each is sent on by the superior of the unit whose items were cut.
    displaced = u.displaced[_units(tree, tree.bottom)]
    for lvl in range(tree.bottom - 1, 0, -1):
        displaced = displaced + u.displaced[anc[lvl]]
    data = data + displaced
    db = p.data_bureau
    tw.data_requests[:] = digital.merged_requests(data, db.duplicate_share, db.merge)
    tw.data_necessary[:] = digital.necessary_requests(
        p.cascade.data_requests_per_line, tree.lines_above, db.duplicate_share, tw.data_requests
    )


# ---- 2. township work ----------------------------------------------------------------------
@jit
def do_work(p, k, tree, u, tw, st, rng):
    """The head allocates the week's work; staff work formal first, then substantive.
    Returns each official's expected errors, trace intensity and formal completion."""
    st.worked[:] = st.status == ACTIVE
    _work_on_the_books(p, tree, u, tw, rng)
    # Townships learn from the trials fault tolerance allows, at their officials' mean anxiety.
    ft = p.fault_tolerance
    trying = trial.trial_intensity(k.forgiven, u.anxiety[_units(tree, tree.bottom)])
    tw.practice[:] = trial.practice_step(tw.practice, trying, ft.trial_rate, ft.trial_gain)
    formal_t, pure_formal_t = _formal_work(p, k, tree, u, tw)
    extra_out, extra_hours = _extra_staff_work(p, tree, u, tw, st, formal_t)
    hours, traces, completion = _spend_hours(
        p, k, tree, tw, st, formal_t, pure_formal_t, extra_out, extra_hours
    )
    wk, e, perfunctory = p.work, p.errors, p.effort.perfunctory_errors
    error_rate = np.zeros(tree.n_staff)
    for i in range(tree.n_staff):
        if st.worked[i]:
            trying_i = trial.trial_intensity(k.forgiven, st.anxiety[i])
            error_rate[i] = (
                output.error_rate(
                    hours[i], wk.standard_hours, e.base_rate, e.overload, st.fatigue[i], e.fatigue
                )
                * effort.error_multiplier(st.diligence[i], perfunctory)
                * trial.trial_errors(trying_i, ft.trial_errors)
            )
        st.errors[i] = rng.poisson(error_rate[i])
    return error_rate, traces, completion


@jit
def _work_on_the_books(p, tree, u, tw, rng):
    """Citizen demand and tasks join the backlog, with hand-offs and rework; inspectors come."""
    d = p.demand
    tw.demand[:] = demand.citizen_demand(d.citizen_hours * tree.posts * tw.size, d.noise_cv, rng)
    twu = _units(tree, tree.bottom)
    gap = coordination.coordination_gap(
        u.necessary[MEETINGS, twu] + u.necessary[DOCUMENTS, twu],
        u.needed[MEETINGS, twu] + u.needed[DOCUMENTS, twu],
    )
    tw.rework[:] = coordination.rework_share(gap, p.coordination.max_rework)
    # Hand-offs and rework add to new work only: the backlog already carries last week's.
    overhead = devolution.handoff_overhead(
        d.handoff_overhead, tw.authority_tasks, p.devolution.handoff_saved
    )
    new_work = demand.handoff_load(tw.demand + tw.tasks, overhead, p.joint_enforcement.share)
    tw.work[:] = new_work * (1.0 + tw.rework) + tw.backlog
    received = u.received[INSPECTIONS, twu]
    for t in range(received.size):
        tw.inspections[t] = rng.poisson(received[t])
    tw.detection[:] = inspection.detection_probability(tw.inspections, p.inspection.detection)


@jit
def _extra_staff_work(p, tree, u, tw, st, formal_t):
    """Temporary, added and seconded staff: newcomers learn the locality's work, each attends
    to a post's formal work (meetings, documents, platforms) before substantive work, and all
    work in the township's climate of anxiety and fatigue; contractors do the services bought.
    Returns the (T,) substantive work they do and the hours it takes them."""
    s = p.staffing
    extra = tw.temp_staff + tw.added_staff + p.secondment.staff
    newcomers = staffing.arrivals(
        extra, tw.extra_staff, p.secondment.staff, p.secondment.term_weeks
    )
    tw.extra_knowledge[:] = staffing.knowledge_step(
        tw.extra_knowledge, extra, newcomers, s.newcomer_knowledge, s.onboarding_weeks
    )
    tw.extra_staff[:] = extra
    platform = (
        digital.effective_platforms(tw.platforms, tw.consolidated) * p.platforms.checkin_hours
    )
    formal_per_post = rows_sum(formal_t) / tree.posts + platform
    o = p.output
    climate = staffing.climate(
        output.yerkes_dodson(
            u.anxiety[_units(tree, tree.bottom)], o.yd_optimum, o.yd_width, o.yd_floor
        ),
        township_mean(st.fatigue, st.worked, tree.head_row),
        o.fatigue_penalty,
    )
    productivity = np.maximum(s.extra_productivity * tw.extra_knowledge * climate, 1e-9)
    standard, dv = p.work.standard_hours, p.devolution
    out = staffing.extra_output(tw.work, extra, standard, formal_per_post, productivity)
    bought = devolution.services_output(
        tw.work - out, tw.services, standard, dv.services_productivity
    )
    return out + bought, out / productivity + bought / max(dv.services_productivity, 1e-9)


@jit
def _spend_hours(p, k, tree, tw, st, formal_t, pure_formal_t, extra_out, extra_hours):
    """Allocation (能者多劳), hours by kind within the weekly maximum, output and backlog.
    Returns each official's hours worked, trace intensity and formal completion."""
    heads, posts, pl, f = tree.head_row, tree.posts, p.platforms, p.formal
    active = st.worked
    weights = work.allocation_weights(st.competence, p.allocation.capable_bias, active)
    weight_totals = township_sum(weights, heads)
    control = inspection.crowd_out(
        tw.inspections, p.inspection.crowd_out, p.inspection.control_reference
    )
    for_staff = tw.work - extra_out
    formal_total = rows_sum(formal_t)
    max_hours = p.work.standard_hours + p.work.max_overtime
    ef = p.effort
    sanction = effort.expected_sanction(tw.detection, p.accountability.per_error, k.forgiven)
    n = tree.n_staff
    hours, traces, completion = np.empty(n), np.empty(n), np.empty(n)
    produced, demanded = np.empty(n), np.empty(n)
    # One official at a time: the head's share of the township's work, then the week's hours.
    for t in range(heads.size):
        n_platforms = digital.effective_platforms(tw.platforms[t], tw.consolidated[t])
        necessary_platforms = digital.necessary_platform_share(n_platforms, pl.necessary)
        for i in range(heads[t], heads[t] + posts[t]):
            share = work.allocation_shares(weights[i], weight_totals[t])
            platform = n_platforms * pl.checkin_hours if active[i] else 0.0
            prod = (
                _productivity(p, st.competence[i], st.anxiety[i], st.fatigue[i], control[t])
                * tw.practice[t]
            )
            sub_needed = share * for_staff[t] / prod
            trace = work.trace_intensity(
                st.anxiety[i], f.trace_necessary, f.trace_anxiety, k.process_weight,
                k.indicator_factor,
            )  # fmt: skip
            formal_needed = share * formal_total[t] + platform
            done_formal, sub_hours, trace_hours = work.work_hours(
                formal_needed, sub_needed, trace, max_hours
            )
            done = work.completion(done_formal, formal_needed)
            done_share = share * done  # this official's share of the township's formal work
            for kind in range(FORMAL_TO_HOURS.size):
                st.hours[FORMAL_TO_HOURS[kind], i] = formal_t[kind, t] * done_share
            st.hours[SUBSTANTIVE, i] = sub_hours
            st.hours[PLATFORMS, i] = platform * done
            st.hours[TRACES, i] = trace_hours
            st.pure[i] = work.pure_formalism(
                pure_formal_t[t] * done_share,
                platform * done,
                necessary_platforms,
                trace_hours,
                f.trace_necessary,
                sub_hours,
            )
            st.assigned[i] = share * (for_staff[t] + formal_total[t]) + platform
            stake = effort.tournament_stake(
                p.tournament.intensity, ef.tournament, st.is_head[i], ef.staff_stake
            )
            diligent = effort.diligence(
                ef.motivation, stake, ef.reward * tw.authority_finance[t], sanction[t],
                ef.sanction, st.anxiety[i], st.fatigue[i], ef.fatigue,
            )  # fmt: skip
            st.diligence[i] = diligent
            thinned = effort.effective_output(diligent, ef.perfunctory_output)
            produced[i] = sub_hours * prod * thinned
            demanded[i] = formal_needed + sub_needed * (1.0 + trace)
            hours[i] = done_formal + sub_hours + trace_hours
            traces[i], completion[i] = trace, done
    tw.output[:] = township_sum(produced, heads) + extra_out
    tw.backlog[:] = demand.backlog_step(tw.work, tw.output, p.demand.backlog_lapse)
    tw.demanded_hours[:] = township_sum(demanded, heads) + extra_hours
    return hours, traces, completion


@jit
def _formal_work(p, k, tree, u, tw):
    """(Formal, T) formal hours each township receives, and (T,) the unnecessary part."""
    f = p.formal
    twu = _units(tree, tree.bottom)
    prep = assessment.preparation_hours(
        f.inspection_hours, k.indicator_factor, k.process_weight, f.result_prep_share
    )
    formal_t = work.formal_hours(
        tree.posts,
        u.received[MEETINGS, twu],
        u.received[DOCUMENTS, twu],
        tw.data_requests,
        tw.inspections,
        f.meeting_hours,
        f.document_hours,
        f.data_request_hours,
        p.platforms.time_saved,
        prep,
    )
    necessary = np.stack(
        (
            work.share(u.necessary[MEETINGS, twu], u.received[MEETINGS, twu]),
            work.share(u.necessary[DOCUMENTS, twu], u.received[DOCUMENTS, twu]),
            work.share(tw.data_necessary, tw.data_requests),
            work.share(u.necessary[INSPECTIONS, twu], u.received[INSPECTIONS, twu]),
        )
    )
    return formal_t, work.unnecessary_hours(formal_t, necessary)


@jit
def _productivity(p, competence, anxiety, fatigue, control):
    """Substantive output per hour of an official (never 0: work divides by it)."""
    o = p.output
    performance = output.yerkes_dodson(anxiety, o.yd_optimum, o.yd_width, o.yd_floor)
    return max(
        output.productivity(
            competence, performance, fatigue, o.fatigue_penalty, control, p.platforms.time_saved
        ),
        1e-6,
    )


# ---- 3. inspection and assessment ----------------------------------------------------------
@jit
def assess(p, k, tree, u, tw, st, rng, traces, completion):
    """Inspections find errors; units are scored and ranked among their peers.
    Returns the errors detected in each unit's subtree."""
    heads, posts = tree.head_row, tree.posts
    # Traces are scored against what the indicators ask for: fewer indicators, fewer traces
    # needed for the same score. Inspectors see the traces actually left: each official's
    # score counts in proportion to their substantive hours.
    reference = p.assessment.trace_reference * k.indicator_factor
    sub = st.hours[SUBSTANTIVE]
    seen = np.empty(tree.n_staff)
    for t in range(heads.size):
        for i in range(heads[t], heads[t] + posts[t]):
            # numpy's binomial draws nothing for no errors: skip its set-up, same stream.
            errors = np.int64(st.errors[i])
            st.detected[i] = rng.binomial(errors, tw.detection[t]) if errors > 0 else 0
            seen[i] = assessment.process_score(traces[i], reference) * completion[i] * sub[i]
    process = assessment.observed_process_score(township_sum(seen, heads), township_sum(sub, heads))
    # Results are scored as reported, less what verification corrects.
    g = p.gaming
    verified = gaming.verification_probability(
        p.verification.intensity, u.received[INSPECTIONS, _units(tree, tree.bottom)]
    )
    tw.gaming[:] = gaming.gaming_share(
        g.max, 1.0 - k.process_weight, g.intercept, g.anxiety, st.anxiety[heads], g.deterrence,
        verified,
    )  # fmt: skip
    tw.reported[:] = gaming.reported_output(tw.output, tw.gaming)
    credited = gaming.assessed_output(tw.output, tw.reported, verified)
    quality = np.minimum(np.maximum(work.share(credited, tw.work), 0.0), 1.0)
    detected_t = township_sum(st.detected, heads)
    u.score[_units(tree, tree.bottom)] = assessment.unit_score(
        process, quality, k.process_weight, detected_t / tree.posts, p.assessment.error_penalty
    )
    for lvl in range(tree.bottom - 1, -1, -1):
        kids = _units(tree, lvl + 1)
        u.score[_units(tree, lvl)] = group_mean(
            u.score[kids],
            tree.parent[kids] - tree.starts[lvl],
            tree.starts[lvl + 1] - tree.starts[lvl],
        )
    u.standing[:] = assessment.rank_in_groups(u.score, tree.peer_group, rng.random(tree.n_units))
    return subtree_sum(detected_t, tree.township_ancestor, tree.starts)


# ---- 4. accountability ---------------------------------------------------------------------
@jit
def account(p, k, tree, u, st, rng, detected_below):
    """Accountability events for detected errors and bottom ranks (问责), less 容错."""
    acc = p.accountability
    bottom = accountability.bottom_rank_probability(
        u.standing, p.tournament.bottom_share, acc.bottom_rank, p.tournament.intensity
    )
    heads, posts, twu = tree.head_row, tree.posts, _units(tree, tree.bottom)
    for t in range(heads.size):
        for i in range(heads[t], heads[t] + posts[t]):
            chance = accountability.error_event_probability(
                st.detected[i], acc.per_error, k.forgiven
            )
            if i == heads[t]:  # the head answers for the township's rank too
                chance = accountability.combine(chance, bottom[tree.starts[tree.bottom] + t])
            drawn = rng.random() < chance  # drawn for every post, in post order
            st.events[i] = 1.0 if drawn and st.status[i] == ACTIVE else 0.0
            st.record[i] = accountability.record_step(st.record[i], st.events[i], acc.memory)

    n_leaders = tree.starts[tree.bottom]
    per_100 = 100.0 * detected_below[:n_leaders] / tree.subtree_posts[:n_leaders]
    lead_prob = accountability.combine(
        accountability.leader_event_probability(per_100, acc.leader_per_error, k.forgiven),
        bottom[:n_leaders],
    )
    u.events[:n_leaders] = (rng.random(n_leaders) < lead_prob) * 1.0
    u.events[twu] = st.events[heads]
    u.record[:n_leaders] = accountability.record_step(
        u.record[:n_leaders], u.events[:n_leaders], acc.memory
    )


# ---- 5. updates ----------------------------------------------------------------------------
@jit
def update(p, k, tree, u, tw, st, error_rate, detected_below):
    """Anxiety, trust, markups, restraint and fatigue."""
    resources = p.resources.support
    total_hours = rows_sum(st.hours)
    new_staff_anxiety = _staff_anxiety(p, k, tree, u, tw, st, error_rate, resources, total_hours)
    _leader_anxiety(p, k, tree, u)
    st.anxiety[:] = new_staff_anxiety
    u.anxiety[_units(tree, tree.bottom)] = township_mean(
        st.anxiety, st.status == ACTIVE, tree.head_row
    )
    _trust_markups_restraint(p, tree, u, st, detected_below, total_hours)
    _fatigue(p, tree, st, resources, total_hours)


# The two loops below visit each official once and apply the rules to one official at a time:
# the same equations as on whole arrays, without an array for every intermediate value.
@jit
def _staff_anxiety(p, k, tree, u, tw, st, error_rate, resources, total_hours):
    """Township officials' new anxiety: their superior is the head, the head's is the leader
    of the level above; only the head feels the tournament."""
    heads, posts = tree.head_row, tree.posts
    active = st.status == ACTIVE
    # Peers are the others at work in the township: totals and counts, each official takes
    # itself out.
    n_active = township_count(active, heads)
    anx_total = township_sum(st.anxiety, heads, active)
    events_total = township_sum(st.events, heads, active)
    tour = assessment.tournament_pressure(
        u.standing[_units(tree, tree.bottom)], p.tournament.steepness, p.tournament.intensity
    )
    county = tree.township_ancestor[tree.bottom - 1]
    above = anxiety.transmitted(u.anxiety[county], u.markup[county], p.anxiety.escalated_pressure)
    per_error, standard, rate = (
        p.accountability.per_error,
        p.work.standard_hours,
        p.anxiety.adjustment,
    )
    new = np.empty(tree.n_staff)
    for t in range(heads.size):
        head = heads[t]
        for i in range(head, head + posts[t]):
            target = anxiety.anxiety_target(
                k.weights,
                superior=above[t] if i == head else st.anxiety[head],
                peers=anxiety.others_mean(anx_total[t], n_active[t], st.anxiety[i], active[i]),
                record=st.record[i],
                seen_events=anxiety.others_mean(
                    events_total[t], n_active[t], st.events[i], active[i]
                ),
                expected_events=accountability.expected_events_per_year(
                    tw.detection[t], error_rate[i], per_error, k.forgiven
                ),
                tournament=tour[t] if i == head else 0.0,
                overload=burnout.overload(total_hours[i], standard),
                resources=resources,
            )
            new[i] = anxiety.relax(st.anxiety[i], target, rate)
    return new


@jit
def _fatigue(p, tree, st, resources, total_hours):
    """Fatigue follows the week's strain (posts left vacant keep their value)."""
    b, standard = p.burnout, p.work.standard_hours
    heads, posts = tree.head_row, tree.posts
    for t in range(heads.size):
        for i in range(heads[t], heads[t] + posts[t]):
            if st.status[i] == VACANT:
                continue
            strain = burnout.strain(
                total_hours[i], standard, st.anxiety[i], resources, b.anxiety_weight,
                b.resource_weight,
            )  # fmt: skip
            st.fatigue[i] = burnout.fatigue_step(st.fatigue[i], strain, b.gain, b.recovery)


@jit
def _leader_anxiety(p, k, tree, u):
    """Leaders' anxiety: from their superior (the centre's pressure at the top), peers under
    the same superior, their subordinates, their record, the tournament and distrust."""
    n_units, n_leaders = tree.n_units, tree.starts[tree.bottom]
    A = u.anxiety
    par = tree.parent[:n_leaders]
    sup = where(
        par < 0,
        p.anxiety.central_pressure,
        anxiety.transmitted(
            A[np.maximum(par, 0)], u.markup[np.maximum(par, 0)], p.anxiety.escalated_pressure
        ),
    )
    groups = tree.peer_group[:n_leaders]
    # Peers are the other leaders under the same superior: each leader takes itself out.
    n_peers = group_sum(np.ones(n_leaders), groups, n_units + 1)
    anx_total = group_sum(A[:n_leaders], groups, n_units + 1)
    events_total = group_sum(u.events[:n_leaders], groups, n_units + 1)
    peer_anx, peer_events = np.empty(n_leaders), np.empty(n_leaders)
    for i in range(n_leaders):
        g = groups[i]
        peer_anx[i] = anxiety.others_mean(anx_total[g], n_peers[g], A[i], True)
        peer_events[i] = anxiety.others_mean(events_total[g], n_peers[g], u.events[i], True)
    kid_par = tree.parent[tree.starts[1] :]
    sub_anx = group_mean(A[tree.starts[1] :], kid_par, n_leaders)
    distrust = 1.0 - group_mean(u.trust[tree.starts[1] :], kid_par, n_leaders)
    target = anxiety.anxiety_target(
        k.weights,
        superior=sup,
        peers=peer_anx,
        subordinates=sub_anx,
        record=u.record[:n_leaders],
        seen_events=peer_events,
        tournament=assessment.tournament_pressure(
            u.standing[:n_leaders], p.tournament.steepness, p.tournament.intensity
        ),
        distrust=distrust,
    )
    A[:n_leaders] = anxiety.relax(A[:n_leaders], target, p.anxiety.adjustment)


@jit
def _trust_markups_restraint(p, tree, u, st, detected_below, total_hours):
    """Trust in each subordinate unit; markups ratchet; restraint learned from bottom-up
    ratings of the burden imposed below."""
    c, n_leaders, first_kid = p.cascade, tree.starts[tree.bottom], tree.starts[1]
    A = u.anxiety
    bad = trust.bad_news(
        detected_below[first_kid:] / tree.subtree_posts[first_kid:], p.trust.bad_news_scale
    )
    u.trust[first_kid:] = trust.trust_step(
        u.trust[first_kid:], u.score[first_kid:], bad, p.trust.gain, p.trust.asymmetry
    )
    u.markup[:n_leaders] = cascade.markup_step(
        u.markup[:n_leaders],
        A[:n_leaders] * (1.0 - u.restraint[:n_leaders]),
        c.escalation,
        c.ratchet_up,
        c.ratchet_down,
    )
    ancestors, starts = tree.township_ancestor, tree.starts
    pure_below = subtree_sum(township_sum(st.pure, tree.head_row), ancestors, starts)
    hours_below = subtree_sum(township_sum(total_hours, tree.head_row), ancestors, starts)
    # The raters are the township officials below who worked this week.
    raters = subtree_sum(township_count(st.worked, tree.head_row), ancestors, starts)
    raters_anxiety = ratio(
        subtree_sum(township_sum(st.anxiety, tree.head_row, st.worked), ancestors, starts),
        raters,
        0.0,
    )
    bu = p.bottom_up
    inflation = anxiety.rating_inflation(raters_anxiety[:n_leaders], bu.inflation, bu.anonymity)
    u.restraint[:n_leaders] = anxiety.relax(
        u.restraint[:n_leaders],
        anxiety.restraint_target(
            bu.weight, pure_below[:n_leaders], hours_below[:n_leaders], inflation
        ),
        bu.learning,
    )


@jit
def staff_and_enforce(p, tree, u, tw, st):
    """Staffing that follows workload, temporary hires where the township may hire, and quota
    enforcement that decays with the issuing leader's anxiety unless overseen."""
    s = p.staffing
    present = township_count(st.status == ACTIVE, tree.head_row)
    gap = staffing.shortfall_staff(
        tw.demanded_hours, present, p.work.standard_hours, s.overload_tolerance
    )
    tw.added_staff[:] = staffing.follow(tw.added_staff, s.follow_workload * gap, s.adjustment_weeks)
    temp_target = staffing.temp_hire_target(
        s.temp_max_share,
        tree.posts,
        tw.authority_personnel,
        tw.authority_finance,
        gap,
        tw.added_staff,
    )
    tw.temp_staff[:] = staffing.follow(tw.temp_staff, temp_target, s.temp_hire_weeks)
    services = devolution.services_target(
        tw.authority_finance,
        p.devolution.services_share,
        tree.posts,
        gap,
        tw.added_staff + tw.temp_staff,
    )
    tw.services[:] = staffing.follow(tw.services, services, s.temp_hire_weeks)
    n_leaders = tree.starts[tree.bottom]
    for item in range(N_ITEMS):
        if _cut(p, item) > 0:
            u.enforcement[item, :n_leaders] = rebound.enforcement_step(
                u.enforcement[item, :n_leaders],
                u.anxiety[:n_leaders],
                p.rebound.drift_weeks,
                rebound.caught(p.oversight.strength, p.oversight.detection),
            )


# ---- 6. leave and turnover -----------------------------------------------------------------
@jit
def turnover(p, k, tree, tw, st, rng):
    """Leave above the leave threshold; quitting above the burnout threshold; refills.
    Returns the rows of the officials who quit and of the posts filled."""
    t, status, n = p.turnover, st.status, tree.n_staff
    draws = rng.random(2 * n)  # a leave draw for every post, then a quit draw for every post
    quit_threshold, retention = p.burnout.threshold, p.devolution.retention
    lag = k.replacement_weeks
    quitting, refill = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    n_quits = n_refills = 0
    # One official at a time, in post order: the leave that ends, the leave or quit that
    # begins (heads neither take leave nor quit: a leadership post is filled at once, an
    # abstraction for the deputy acting, so every township always has someone in charge), and
    # the empty post whose wait ends.
    for i in range(n):
        if status[i] == LEAVE:
            st.timer[i] -= 1
            if st.timer[i] <= 0:
                status[i] = ACTIVE
        if status[i] == ACTIVE and not st.is_head[i]:
            fatigue = st.fatigue[i]
            if draws[i] < burnout.leave_probability(
                fatigue, t.leave_threshold, t.leave_probability
            ):
                status[i] = LEAVE
                st.timer[i] = np.int32(t.leave_weeks)
                continue
            # A township with personnel authority keeps its capable officials by promoting them.
            quit_p = devolution.quit_retention(
                burnout.quit_probability(
                    fatigue, quit_threshold, t.leave_threshold, t.quit_probability
                ),
                st.competence[i],
                tw.authority_personnel[st.township[i]],
                retention,
            )
            if draws[n + i] < quit_p:
                status[i] = VACANT
                st.timer[i] = lag
                quitting[n_quits] = i
                n_quits += 1
        elif status[i] == VACANT:
            st.timer[i] -= 1
            if st.timer[i] <= 0:
                refill[n_refills] = i
                n_refills += 1
    quit_rows, refill = quitting[:n_quits], refill[:n_refills]
    tw.quits[:] = group_sum(np.ones(quit_rows.size), st.township[quit_rows], tree.n_townships)
    if lag == 0:
        refill = np.concatenate((refill, quit_rows))
    if refill.size:
        _hire(p, tw, st, refill, rng)
    return quit_rows, refill


@jit
def _hire(p, tw, st, rows, rng):
    """New officials in the posts ``rows``: competence (less where the township hires by
    patronage) and anxiety drawn, fatigue of a new hire, a clean record."""
    m = rows.size
    st.competence[rows] = devolution.hired_competence(
        draw_competence(m, p.work.competence_sigma, rng),
        tw.authority_personnel[st.township[rows]],
        p.devolution.patronage,
    )
    a = p.anxiety
    st.anxiety[rows] = draw_anxiety(m, a.initial, a.initial_spread, rng)
    st.fatigue[rows] = p.turnover.new_hire_fatigue
    st.record[rows] = 0.0
    st.status[rows] = ACTIVE
    st.timer[rows] = 0
