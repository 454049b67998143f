"""The model's state: numpy arrays per level, one row per unit, township or official.

Mesa agents are thin handles over rows of these arrays (sim.agents); the rules update whole
arrays at once. Everything here is plain data: it is created by :func:`initial_state` and changed
only by GovernanceModel's weekly schedule.
"""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple

import numpy as np

from .hierarchy import Hierarchy
from .jit import jit
from .params import Parameters
from .rules import demand, devolution, rebound

__all__ = ["HOUR_KINDS", "Formal", "Hours", "Item", "State", "Status", "initial_state"]


class Item(IntEnum):
    """Items a superior sends a subordinate: rows of the (3, U) item arrays."""

    MEETINGS = 0
    DOCUMENTS = 1
    INSPECTIONS = 2


class Formal(IntEnum):
    """The township's formal work by kind: rows of the (4, T) formal-hours arrays."""

    MEETINGS = 0
    DOCUMENTS = 1
    DATA = 2
    INSPECTIONS = 3  # preparing for inspections (迎检)


class Hours(IntEnum):
    """How a township official's week is spent: rows of the (7, N) hours array."""

    SUBSTANTIVE = 0
    MEETINGS = 1
    DOCUMENTS = 2
    DATA = 3
    PLATFORMS = 4
    INSPECTIONS = 5
    TRACES = 6


# Which row of an official's hours each kind of the township's formal work lands in.
FORMAL_HOURS = {
    Formal.MEETINGS: Hours.MEETINGS,
    Formal.DOCUMENTS: Hours.DOCUMENTS,
    Formal.DATA: Hours.DATA,
    Formal.INSPECTIONS: Hours.INSPECTIONS,
}
HOUR_KINDS = tuple(kind.name.lower() for kind in Hours)


class Status(IntEnum):
    """Status of a township post."""

    ACTIVE = 0
    LEAVE = 1
    VACANT = 2  # the official quit; the post waits for a replacement


class UnitState(NamedTuple):
    """One row per unit of every level. For a leader, row = the unit it leads."""

    anxiety: np.ndarray  # leader's anxiety (township rows: mean of the township's officials)
    record: np.ndarray  # leader's accountability record
    events: np.ndarray  # leader's accountability events this week (0/1)
    trust: np.ndarray  # the superior's trust in this unit (1 for provinces)
    score: np.ndarray  # assessment score this week
    standing: np.ndarray  # rank among peers under the same superior, 0 worst .. 1 best
    markup: np.ndarray  # target markup this leader applies (层层加码)
    restraint: np.ndarray  # damping of anxious excess learned from bottom-up ratings
    received: np.ndarray  # (3, U) meetings, documents, inspections received per week
    relabelled: np.ndarray  # (3, U) the part of `received` sent under a name no quota counts
    necessary: np.ndarray  # (3, U) the part of `received` a well-run government needs
    needed: np.ndarray  # (3, U) what a well-run government needs sent, before any quota
    desired: np.ndarray  # (3, U) what the superior wanted to send before any quota
    cap: np.ndarray  # (3, U) nominal quota on items received (inf: none; nan: not yet set)
    effective_cap: np.ndarray  # (3, U) nominal cap after drift (inf: no quota)
    enforcement: np.ndarray  # (3, U) enforcement of the quotas this leader must respect
    data_issued: np.ndarray  # data requests this unit's lines send each township below
    displaced: np.ndarray  # data requests replacing cut items sent to this unit


class TownshipState(NamedTuple):
    """One row per township."""

    size: np.ndarray  # persistent demand multiplier
    demand: np.ndarray  # citizen demand this week (standard hours)
    tasks: np.ndarray  # top-down substantive tasks this week, after markup
    backlog: np.ndarray  # unfinished substantive work carried over
    work: np.ndarray  # substantive work on the books this week (incl. backlog, hand-offs)
    output: np.ndarray  # substantive work done this week
    data_requests: np.ndarray  # data requests received this week (after merging)
    data_necessary: np.ndarray  # the necessary part of them
    inspections: np.ndarray  # inspections actually held this week (integer counts)
    detection: np.ndarray  # probability that a given error is found this week
    rework: np.ndarray  # duplicated or conflicting work, as a share of new work
    reported: np.ndarray  # output the township reports (some of it maybe not backed by work)
    gaming: np.ndarray  # share of reported output not backed by work
    hidden: np.ndarray  # tasks refilled through channels no quota counts (standard h/post/week)
    practice: np.ndarray  # productivity multiplier of practices learnt by trial (1: none)
    extra_staff: np.ndarray  # temporary, added and seconded staff last week
    extra_knowledge: np.ndarray  # their local knowledge (1: that of an onboarded official)
    platforms: np.ndarray  # platforms the departments above have launched and not retired
    ordered: (
        np.ndarray
    )  # platforms.count in force last week (an order changes it by the difference)
    consolidated: np.ndarray  # of those, platforms the data bureau has folded into shared ones
    demanded_hours: np.ndarray  # hours the week's work would take the township's staff
    authority_tasks: np.ndarray  # 事权 held (devolved share of county task authority)
    pushed: np.ndarray  # share of county task authority the township does (devolved or pushed)
    authority_personnel: np.ndarray  # 人权 held
    authority_finance: np.ndarray  # 财权 held
    temp_staff: np.ndarray  # temporary hires (staff equivalents)
    added_staff: np.ndarray  # posts added by workload-following staffing
    services: np.ndarray  # services bought (政府购买服务), in staff equivalents
    quits: np.ndarray  # officials who quit this week


class StaffState(NamedTuple):
    """One row per township post (the official holding it, if any)."""

    township: np.ndarray  # township index of the post
    is_head: np.ndarray  # the township head, who allocates work
    competence: np.ndarray  # log-normal, mean 1
    anxiety: np.ndarray
    fatigue: np.ndarray
    record: np.ndarray  # accountability record
    status: np.ndarray  # Status code
    worked: np.ndarray  # was active during this week's work (outcomes average over these)
    timer: np.ndarray  # weeks left of leave or vacancy
    hours: np.ndarray  # (7, N) hours by HOUR_KINDS this week
    diligence: np.ndarray  # diligent share of this week's substantive hours
    pure: np.ndarray  # hours of pure formalism this week (part of the formal kinds)
    assigned: np.ndarray  # work assigned this week (hours at standard productivity)
    errors: np.ndarray  # errors made this week
    detected: np.ndarray  # errors found by inspections this week
    events: np.ndarray  # accountability events this week (0/1)

    @property
    def active(self) -> np.ndarray:
        return self.status == Status.ACTIVE


class State(NamedTuple):
    """Every array of the model's state; the phases change them in place."""

    units: UnitState
    townships: TownshipState
    staff: StaffState


@jit
def draw_competence(n: int, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """Log-normal competence with mean 1."""
    return rng.lognormal(-0.5 * sigma**2, sigma, n)


@jit
def draw_anxiety(n: int, initial: float, spread: float, rng: np.random.Generator) -> np.ndarray:
    """Initial anxiety of new officials and leaders: normal, clipped to [0, 1]."""
    return np.minimum(np.maximum(rng.normal(initial, spread, n), 0.0), 1.0)


def initial_state(tree: Hierarchy, params: Parameters, rng: np.random.Generator) -> State:
    """The state at time 0, drawn from ``rng``."""
    U, T, N = tree.n_units, tree.n_townships, tree.n_staff
    zeros = np.zeros
    a = params.anxiety
    unit_anxiety = draw_anxiety(U, a.initial, a.initial_spread, rng)
    trust = np.full(U, params.trust.initial)
    trust[tree.units(0)] = 1.0  # the top level answers to the centre, which is not modelled
    units = UnitState(
        anxiety=unit_anxiety,
        record=zeros(U),
        events=zeros(U),
        trust=trust,
        score=zeros(U),
        standing=np.full(U, 0.5),
        markup=params.cascade.escalation * unit_anxiety,
        restraint=zeros(U),
        received=zeros((len(Item), U)),
        relabelled=zeros((len(Item), U)),
        necessary=zeros((len(Item), U)),
        needed=zeros((len(Item), U)),
        desired=zeros((len(Item), U)),
        cap=np.full((len(Item), U), np.nan),
        effective_cap=np.full((len(Item), U), np.inf),
        enforcement=np.ones((len(Item), U)),
        data_issued=zeros(U),
        displaced=zeros(U),
    )
    dv = params.devolution
    townships = TownshipState(
        size=demand.size_factors(T, params.demand.township_cv, rng),
        demand=zeros(T),
        tasks=zeros(T),
        backlog=zeros(T),
        work=zeros(T),
        output=zeros(T),
        data_requests=zeros(T),
        data_necessary=zeros(T),
        inspections=zeros(T),
        detection=zeros(T),
        rework=zeros(T),
        reported=zeros(T),
        gaming=zeros(T),
        hidden=zeros(T),
        practice=np.ones(T),
        extra_staff=zeros(T),
        extra_knowledge=np.ones(T),
        platforms=np.full(T, float(params.platforms.count)),
        ordered=np.full(T, float(params.platforms.count)),
        consolidated=zeros(T),
        demanded_hours=zeros(T),
        authority_tasks=np.full(T, dv.tasks),
        # Counties have pushed work down before the run starts, as far as their anxiety drives.
        pushed=devolution.pushdown_target(
            np.full(T, dv.tasks),
            dv.pushdown,
            unit_anxiety[tree.township_ancestor[tree.bottom - 1]],
            np.zeros(T),
            rebound.caught(params.oversight.strength, params.oversight.detection),
        ),
        authority_personnel=np.full(T, dv.personnel),
        authority_finance=np.full(T, dv.finance),
        temp_staff=zeros(T),
        added_staff=zeros(T),
        services=zeros(T),
        quits=zeros(T),
    )
    fatigue = np.clip(
        rng.normal(params.burnout.initial, params.burnout.initial_spread, N), 0.0, 1.0
    )
    staff = StaffState(
        township=tree.staff_township,
        is_head=tree.is_head,
        competence=draw_competence(N, params.work.competence_sigma, rng),
        anxiety=draw_anxiety(N, a.initial, a.initial_spread, rng),
        fatigue=fatigue,
        record=zeros(N),
        status=np.full(N, Status.ACTIVE, dtype=np.int8),
        worked=np.ones(N, dtype=bool),
        timer=zeros(N, dtype=np.int32),
        hours=zeros((len(Hours), N)),
        diligence=np.ones(N),
        pure=zeros(N),
        assigned=zeros(N),
        errors=zeros(N),
        detected=zeros(N),
        events=zeros(N),
    )
    return State(units, townships, staff)
