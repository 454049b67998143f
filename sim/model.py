"""GovernanceModel: the Mesa model that owns the state and runs the weekly schedule.

One step is one week. The schedule (docs/ODD.md section 3):

1. demand and cascade: citizen demand; targets marked up level by level; meetings, documents,
   data requests and inspections issued and relayed down, capped by any quota, with cut items
   partly displaced into data requests;
2. township work: the head allocates work (能者多劳), staff do formal work first, then
   substantive work with its trace overhead, up to the weekly maximum; output and errors;
3. inspection and assessment: errors detected, units scored (process or results) and ranked
   among peers;
4. accountability: events for detected errors and bottom ranks, minus what fault tolerance
   forgives;
5. updates: anxiety, trust, markups, restraint, fatigue, leave and turnover, staffing, quota
   enforcement;
6. observation: the DataCollector records the outcomes of sim.outcomes.
"""

from __future__ import annotations

from pathlib import Path

import mesa
import numpy as np

from . import outcomes
from .agents import LEADER_CLASSES, TownshipOfficial
from .groups import group_mean
from .hierarchy import CITY, COUNTY, PROVINCE, TOWNSHIP, build_hierarchy
from .params import CATALOGUE, Parameters
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
from .scenario import Scenario, load_scenario
from .state import (
    DOCUMENTS,
    INSPECTIONS,
    MEETINGS,
    Status,
    draw_anxiety,
    draw_competence,
    initial_state,
)

__all__ = ["GovernanceModel", "as_scenario", "status_quo"]


def as_scenario(scenario: Scenario | str | Path | None) -> Scenario:
    """Accept a Scenario, a path to a scenario file, or None (all defaults: the baseline)."""
    if scenario is None:
        return Scenario(name="baseline")
    if isinstance(scenario, Scenario):
        return scenario
    return load_scenario(scenario)


def status_quo(params: Parameters) -> Parameters:
    """``params`` with every policy lever back at its default (the world before the policy)."""
    return Parameters({k: v for k, v in params.changed().items() if not CATALOGUE[k].is_lever})


class GovernanceModel(mesa.Model):
    """Organizational anxiety in a province-city-county-township hierarchy.

    Args:
        scenario: a :class:`sim.Scenario`, a path to a scenario TOML file, or None for the
            baseline (all parameters at their defaults).
        rng: seed or numpy Generator; every random draw of the model comes from ``self.rng``.
        preset: overrides ``hierarchy.preset`` (classroom, region, national).

    Attributes:
        spec: the resolved scenario; ``params`` its parameters.
        tree: the hierarchy (networkx graph in ``tree.graph``, index arrays).
        state: the numpy state arrays (units, townships, staff).
        datacollector: Mesa DataCollector with the outcomes of :mod:`sim.outcomes`.
        active_params: the parameters in force this week (levers switch on at
            ``run.policy_start``).
    """

    def __init__(
        self, scenario: Scenario | str | Path | None = None, *, rng=None, preset: str | None = None
    ):
        spec = as_scenario(scenario)
        if preset is not None:
            spec = spec.with_overrides({"hierarchy.preset": preset})
        super().__init__(rng=rng)
        self.spec = spec
        self.params = spec.params
        self._before_policy = status_quo(self.params)
        self.active_params = self._before_policy
        self.tree = build_hierarchy(self.params)
        self.state = initial_state(self.tree, self.params, self.rng)
        self._make_agents()
        self.datacollector = mesa.DataCollector(model_reporters=outcomes.reporters())

    # ---- agents ---------------------------------------------------------------------------------
    def _make_agents(self) -> None:
        tree = self.tree
        for level, cls in enumerate(LEADER_CLASSES):
            rows = tree.units(level)
            cls.create_agents(self, tree.count(level), row=np.arange(rows.start, rows.stop))
        self._staff_agents: list[TownshipOfficial | None] = list(
            TownshipOfficial.create_agents(self, tree.n_staff, row=np.arange(tree.n_staff))
        )

    @property
    def week(self) -> int:
        """Weeks completed."""
        return int(self.time)

    # ---- the weekly schedule --------------------------------------------------------------------
    def step(self) -> None:
        week = int(self.time) - 1  # Mesa advances time before calling step
        p = self.params if week >= self.params.run.policy_start else self._before_policy
        self.active_params = p
        self._cascade(p)
        self._work(p)
        self._assess(p)
        self._account(p)
        self._update(p)
        self.datacollector.collect(self)

    def _cascade(self, p: Parameters) -> None:
        """Targets, meetings, documents, data requests and inspections flow down the tree."""
        tree, u, tw = self.tree, self.state.units, self.state.townships
        c, q = p.cascade, p.quota
        cuts = (q.meetings_cut, q.documents_cut, q.inspections_cut)
        per_line = (c.meetings_per_line, c.documents_per_line)
        joint_lines = p.joint_enforcement.share
        chain = np.ones(tree.n_units)  # product of (1 + markup) from the province down
        for lvl in (PROVINCE, CITY, COUNTY):
            src, dst = tree.units(lvl), tree.units(lvl + 1)
            par = tree.parent[dst]
            pos = par - src.start  # position of each receiver's superior within src
            lines = tree.departments[lvl]
            A, R = u.anxiety[src], u.restraint[src]
            upstream = chain[tree.parent[src]] if lvl > PROVINCE else 1.0
            chain[src] = upstream * (1.0 + u.markup[src])
            for k in (MEETINGS, DOCUMENTS):
                own = cascade.issued_items(lines, per_line[k], A, c.anxiety_issuance, R)
                relay = cascade.relay_share(A, c.relay_base, c.relay_anxiety, R)
                u.desired[k, dst] = (own + relay * u.received[k, src])[pos]
                u.necessary[k, dst] = (lines * per_line[k] + c.relay_base * u.necessary[k, src])[
                    pos
                ]
            n_lines = inspection.merged_lines(lines, joint_lines)
            planned = inspection.planned_inspections(
                n_lines,
                p.inspection.base_per_line,
                p.inspection.distrust,
                u.trust[dst],
                A[pos],
                R[pos],
            )
            pre = inspection.pass_through(
                u.received[INSPECTIONS, src], A * (1.0 - R), p.inspection.pass_through
            )[pos]
            u.desired[INSPECTIONS, dst] = planned + pre
            u.necessary[INSPECTIONS, dst] = n_lines * p.inspection.base_per_line
            u.data_issued[src] = cascade.issued_items(
                lines, c.data_requests_per_line, A, c.anxiety_issuance, R
            )
            self._apply_quotas(dst, par, cuts, p)

        anc = tree.township_ancestor
        twu = tree.units(TOWNSHIP)
        lines_above = np.array(tree.departments, dtype=float)
        data = u.data_issued[anc].sum(axis=0)
        data += u.displaced[twu] + u.displaced[anc[COUNTY]] + u.displaced[anc[CITY]]
        necessary = c.data_requests_per_line * lines_above.sum()
        db = p.data_bureau
        tw.data_requests = digital.merged_requests(data, db.duplicate_share, db.merge)
        tw.data_necessary = np.minimum(necessary * (1.0 - db.duplicate_share), tw.data_requests)
        posts = tree.posts
        tw.authority_tasks[:] = p.devolution.tasks
        tw.authority_personnel[:] = p.devolution.personnel
        tw.authority_finance[:] = p.devolution.finance
        tw.tasks = posts * (
            p.demand.task_hours * chain[anc[COUNTY]] + tw.authority_tasks * p.devolution.task_hours
        )

    def _apply_quotas(self, dst: slice, par: np.ndarray, cuts, p: Parameters) -> None:
        """Cap what superiors send; cut items partly reappear as data requests."""
        u = self.state.units
        desired = u.desired[:, dst]
        cap = u.cap[:, dst]
        for k, cut in enumerate(cuts):
            if cut > 0 and np.isnan(cap[k]).all():
                cap[k] = (1.0 - cut) * desired[k]  # the quota is set from today's level
        nominal = np.where(np.isnan(cap), np.inf, cap)
        effective = rebound.effective_cap(nominal, desired, u.enforcement[:, par])
        issued = np.minimum(desired, effective)
        u.effective_cap[:, dst] = effective
        u.received[:, dst] = issued
        u.necessary[:, dst] = np.minimum(u.necessary[:, dst], issued)
        u.displaced[dst] = rebound.displaced_requests(
            (desired - issued).sum(axis=0), p.rebound.leakage, p.oversight.strength
        )

    def _work(self, p: Parameters) -> None:
        """The head allocates the week's work; staff work formal first, then substantive."""
        tree, st, u, tw = self.tree, self.state.staff, self.state.units, self.state.townships
        rng, spread = self.rng, tree.per_staff
        posts = tree.posts
        twu = tree.units(TOWNSHIP)
        f, wk, d = p.formal, p.work, p.demand
        active = st.active
        st.worked = active.copy()
        H = wk.standard_hours + wk.max_overtime

        tw.demand = demand.citizen_demand(d.citizen_hours * posts * tw.size, d.noise_cv, rng)
        # Hand-offs add to new work only: the backlog already carries last week's overhead.
        tw.work = (
            demand.handoff_load(tw.demand + tw.tasks, d.handoff_overhead, p.joint_enforcement.share)
            + tw.backlog
        )
        extra_staff = tw.temp_staff + tw.added_staff + p.secondment.staff
        extra_out = np.minimum(
            tw.work, extra_staff * wk.standard_hours * p.staffing.extra_productivity
        )
        for_staff = tw.work - extra_out

        tw.inspections = rng.poisson(u.received[INSPECTIONS, twu]).astype(float)
        ind = work.indicator_factor(
            p.indicators.count, p.indicators.reference, p.indicators.elasticity
        )
        w_proc = assessment.process_weight(p.assessment.mode, p.assessment.campaign_process_weight)
        prep = f.inspection_hours * ind * (w_proc + (1.0 - w_proc) * f.result_prep_share)
        saved = p.platforms.time_saved
        # Township formal hours by kind (meetings, documents, data, inspections), and the part
        # of each that a well-run government would not need.
        formal_t = posts * np.stack(
            [
                u.received[MEETINGS, twu] * f.meeting_hours,
                u.received[DOCUMENTS, twu] * f.document_hours,
                tw.data_requests * f.data_request_hours * (1.0 - saved),
                tw.inspections * prep,
            ]
        )
        necessary = np.stack(
            [
                _share(u.necessary[MEETINGS, twu], u.received[MEETINGS, twu]),
                _share(u.necessary[DOCUMENTS, twu], u.received[DOCUMENTS, twu]),
                _share(tw.data_necessary, tw.data_requests),
                _share(u.necessary[INSPECTIONS, twu], u.received[INSPECTIONS, twu]),
            ]
        )
        pure_formal_t = ((1.0 - necessary) * formal_t).sum(axis=0)

        weights = work.allocation_weights(st.competence, p.allocation.capable_bias, active)
        share = weights / spread(np.maximum(tree.township_sum(weights), 1e-300))
        pl = p.platforms
        n_platforms = digital.effective_platforms(pl.count, pl.necessary, p.data_bureau.merge)
        platform = np.where(active, n_platforms * pl.checkin_hours, 0.0)

        performance = output.yerkes_dodson(
            st.anxiety, p.output.yd_optimum, p.output.yd_width, p.output.yd_floor
        )
        control = spread(
            inspection.crowd_out(
                tw.inspections, p.inspection.crowd_out, p.inspection.control_reference
            )
        )
        prod = np.maximum(
            output.productivity(
                st.competence, performance, st.fatigue, p.output.fatigue_penalty, control, saved
            ),
            1e-6,
        )
        sub_needed = share * spread(for_staff) / prod
        traces = work.trace_intensity(st.anxiety, f.trace_necessary, f.trace_anxiety, w_proc, ind)
        formal_needed = share * spread(formal_t.sum(axis=0)) + platform
        done_formal, sub_hours, trace_hours = work.work_hours(formal_needed, sub_needed, traces, H)
        completion = np.divide(
            done_formal, formal_needed, out=np.ones_like(done_formal), where=formal_needed > 0
        )

        done_share = share * completion  # each official's share of the township's formal work
        hours = st.hours
        hours[0] = sub_hours
        for row, kind in ((1, 0), (2, 1), (3, 2), (5, 3)):
            hours[row] = spread(formal_t[kind]) * done_share
        hours[4] = platform * completion
        hours[6] = trace_hours
        platform_necessary = digital.necessary_platform_share(n_platforms, pl.necessary)
        st.pure = (
            spread(pure_formal_t) * done_share
            + (1.0 - platform_necessary) * hours[4]
            + np.maximum(trace_hours - f.trace_necessary * sub_hours, 0.0)
        )

        tw.output = tree.township_sum(sub_hours * prod) + extra_out
        tw.backlog = (1.0 - d.backlog_lapse) * np.maximum(tw.work - tw.output, 0.0)
        tw.demanded_hours = tree.township_sum(
            formal_needed + sub_needed * (1.0 + traces)
        ) + extra_out / max(p.staffing.extra_productivity, 1e-9)
        st.assigned = share * spread(for_staff + formal_t.sum(axis=0)) + platform

        total = done_formal + sub_hours + trace_hours
        self._error_rate = np.where(
            active,
            output.error_rate(
                total,
                wk.standard_hours,
                p.errors.base_rate,
                p.errors.overload,
                st.fatigue,
                p.errors.fatigue,
            ),
            0.0,
        )
        st.errors = rng.poisson(self._error_rate).astype(float)
        self._trace_intensity = traces
        self._completion = completion
        self._process_weight = w_proc
        self._indicator_factor = ind

    def _assess(self, p: Parameters) -> None:
        """Inspections find errors; units are scored and ranked among their peers."""
        tree, st, u, tw = self.tree, self.state.staff, self.state.units, self.state.townships
        tw.detection = inspection.detection_probability(tw.inspections, p.inspection.detection)
        st.detected = self.rng.binomial(
            st.errors.astype(np.int64), tree.per_staff(tw.detection)
        ).astype(float)
        # Traces are scored against what the indicators ask for: fewer indicators, fewer traces
        # needed for the same score.
        traces_scored = assessment.process_score(
            self._trace_intensity, p.assessment.trace_reference * self._indicator_factor
        )
        # Inspectors see the traces actually left: weight each official by substantive hours.
        sub = st.hours[0]
        sub_t = tree.township_sum(sub)
        traces_seen = tree.township_sum(traces_scored * self._completion * sub)
        # No substantive work this week: no traces to see, no process score.
        process = np.divide(traces_seen, sub_t, out=np.zeros_like(sub_t), where=sub_t > 0)
        quality = np.clip(_share(tw.output, tw.work), 0.0, 1.0)
        detected_t = tree.township_sum(st.detected)
        detected_pp = detected_t / tree.posts
        u.score[tree.units(TOWNSHIP)] = assessment.unit_score(
            process, quality, self._process_weight, detected_pp, p.assessment.error_penalty
        )
        for lvl in (COUNTY, CITY, PROVINCE):
            kids = tree.units(lvl + 1)
            u.score[tree.units(lvl)] = group_mean(
                u.score[kids], tree.parent[kids] - tree.starts[lvl], tree.count(lvl)
            )
        u.standing = assessment.rank_in_groups(
            u.score, tree.peer_group, self.rng.random(tree.n_units)
        )
        self._detected_below = tree.subtree_sum(detected_t)

    def _account(self, p: Parameters) -> None:
        """Accountability events for detected errors and bottom ranks (问责), less 容错."""
        tree, st, u = self.tree, self.state.staff, self.state.units
        acc, rng = p.accountability, self.rng
        forgiven = accountability.forgiven_share(p.fault_tolerance.share, acc.honest_share)
        self._forgiven = forgiven
        prob = accountability.error_event_probability(st.detected, acc.per_error, forgiven)
        bottom = accountability.bottom_rank_probability(
            u.standing, p.tournament.bottom_share, acc.bottom_rank, p.tournament.intensity
        )
        heads = tree.head_row
        prob[heads] = accountability.combine(prob[heads], bottom[tree.units(TOWNSHIP)])
        st.events = ((rng.random(tree.n_staff) < prob) & st.active).astype(float)
        st.record = accountability.record_step(st.record, st.events, acc.memory)

        leaders = slice(0, tree.starts[TOWNSHIP])
        per_100 = 100.0 * self._detected_below[leaders] / tree.subtree_posts[leaders]
        lead_prob = accountability.combine(
            accountability.leader_event_probability(per_100, acc.leader_per_error, forgiven),
            bottom[leaders],
        )
        u.events[leaders] = (rng.random(tree.starts[TOWNSHIP]) < lead_prob).astype(float)
        u.events[tree.units(TOWNSHIP)] = st.events[heads]
        u.record[leaders] = accountability.record_step(
            u.record[leaders], u.events[leaders], acc.memory
        )

    def _update(self, p: Parameters) -> None:
        """Anxiety, trust, markups, restraint, fatigue, turnover, staffing, enforcement."""
        tree, st, u, tw = self.tree, self.state.staff, self.state.units, self.state.townships
        U, spread = tree.n_units, tree.per_staff
        twu, leaders = tree.units(TOWNSHIP), slice(0, tree.starts[TOWNSHIP])
        active = st.active
        std = p.work.standard_hours
        total_hours = st.hours.sum(axis=0)
        county = tree.township_ancestor[COUNTY]

        resources = spread(
            p.resources.support
            + p.resources.autonomy * tw.authority_personnel
            + p.resources.recognition * tw.authority_finance
        )

        # Township staff: superior is the head; the head's superior is the county leader.
        head_anx = st.anxiety[tree.head_row]
        superior = spread(head_anx)
        superior[tree.head_row] = u.anxiety[county]
        peers = tree.township_mean(st.anxiety, active)
        seen = tree.township_mean(st.events, active)
        expected = accountability.expected_events_per_year(
            spread(tw.detection), self._error_rate, p.accountability.per_error, self._forgiven
        )
        tour = assessment.tournament_pressure(
            u.standing[twu], p.tournament.steepness, p.tournament.intensity
        )
        head_tour = np.zeros(tree.n_staff)
        head_tour[tree.head_row] = tour
        target = anxiety.anxiety_target(
            p.anxiety,
            superior=superior,
            peers=spread(peers),
            record=st.record,
            seen_events=spread(seen),
            expected_events=expected,
            tournament=head_tour,
            overload=np.maximum(total_hours / std - 1.0, 0.0),
            resources=resources,
        )
        new_staff_anx = anxiety.relax(st.anxiety, target, p.anxiety.adjustment)

        # Leaders of provinces, cities, counties.
        A = u.anxiety
        par = tree.parent[leaders]
        sup = np.where(par < 0, p.anxiety.central_pressure, A[np.maximum(par, 0)])
        groups = tree.peer_group[leaders]
        peer_anx = group_mean(A[leaders], groups, U + 1)[groups]
        peer_events = group_mean(u.events[leaders], groups, U + 1)[groups]
        kids = slice(tree.starts[1], U)
        kid_par = tree.parent[kids]
        sub_anx = group_mean(A[kids], kid_par, tree.starts[TOWNSHIP])
        distrust = 1.0 - group_mean(u.trust[kids], kid_par, tree.starts[TOWNSHIP])
        lead_target = anxiety.anxiety_target(
            p.anxiety,
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
        A[leaders] = anxiety.relax(A[leaders], lead_target, p.anxiety.adjustment)
        st.anxiety = new_staff_anx
        A[twu] = tree.township_mean(st.anxiety, active)

        # Trust of each superior in each subordinate unit.
        bad = trust.bad_news(
            self._detected_below[kids] / tree.subtree_posts[kids], p.trust.bad_news_scale
        )
        u.trust[kids] = trust.trust_step(
            u.trust[kids], u.score[kids], bad, p.trust.gain, p.trust.asymmetry
        )

        # Markups ratchet; restraint follows bottom-up ratings of the burden imposed below.
        c = p.cascade
        u.markup[leaders] = cascade.markup_step(
            u.markup[leaders],
            A[leaders] * (1.0 - u.restraint[leaders]),
            c.escalation,
            c.ratchet_up,
            c.ratchet_down,
        )
        pure_below = tree.subtree_sum(tree.township_sum(st.pure))
        hours_below = tree.subtree_sum(tree.township_sum(total_hours))
        burden = _share(pure_below[leaders], hours_below[leaders])
        u.restraint[leaders] = anxiety.relax(
            u.restraint[leaders], p.bottom_up.weight * burden, p.bottom_up.learning
        )

        # Fatigue (JD-R), leave and turnover.
        b = p.burnout
        strain = burnout.strain(
            total_hours, std, st.anxiety, resources, b.anxiety_weight, b.resource_weight
        )
        st.fatigue = np.where(
            st.status == Status.VACANT,
            st.fatigue,
            burnout.fatigue_step(st.fatigue, strain, b.gain, b.recovery),
        )
        self._turnover(p)

        # Staffing that follows workload; temporary hires where the township may hire.
        s = p.staffing
        present = tree.township_sum(st.active.astype(float))
        gap = staffing.shortfall_staff(tw.demanded_hours, present, std, s.overload_tolerance)
        tw.added_staff = staffing.follow(
            tw.added_staff, s.follow_workload * gap, s.adjustment_weeks
        )
        may_hire = np.minimum(tw.authority_personnel, tw.authority_finance)
        temp_target = np.minimum(
            s.temp_max_share * tree.posts * may_hire, np.maximum(gap - tw.added_staff, 0.0)
        )
        tw.temp_staff = staffing.follow(tw.temp_staff, temp_target, s.temp_hire_weeks)

        # Quota enforcement decays with the issuing leader's anxiety unless overseen.
        for k, cut in enumerate(
            (p.quota.meetings_cut, p.quota.documents_cut, p.quota.inspections_cut)
        ):
            if cut > 0:
                u.enforcement[k, leaders] = rebound.enforcement_step(
                    u.enforcement[k, leaders],
                    A[leaders],
                    p.rebound.drift_weeks,
                    p.oversight.strength,
                )

    def _turnover(self, p: Parameters) -> None:
        """Leave above the leave threshold; quitting above the burnout threshold; refills."""
        tree, st, tw, rng = self.tree, self.state.staff, self.state.townships, self.rng
        t = p.turnover
        N = tree.n_staff
        status = st.status

        on_leave = status == Status.LEAVE
        st.timer[on_leave] -= 1
        status[on_leave & (st.timer <= 0)] = Status.ACTIVE

        active = status == Status.ACTIVE
        draws = rng.random((2, N))
        # Heads neither take leave nor quit: a leadership post is filled at once (an
        # abstraction: the deputy acts), so every township always has someone in charge.
        staff = active & ~st.is_head
        going = staff & (
            draws[0] < burnout.leave_probability(st.fatigue, t.leave_threshold, t.leave_probability)
        )
        quitting = (
            staff
            & ~going
            & (
                draws[1]
                < burnout.quit_probability(
                    st.fatigue, p.burnout.threshold, t.leave_threshold, t.quit_probability
                )
            )
        )
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
        for row in quit_rows.tolist():
            self._staff_agents[row].remove()
            self._staff_agents[row] = None
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
            for row in refill.tolist():
                self._staff_agents[row] = TownshipOfficial(self, row)


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """part / whole, and 1 where whole is 0 (nothing received: nothing unnecessary)."""
    return np.divide(part, whole, out=np.ones_like(part, dtype=float), where=whole > 0)
