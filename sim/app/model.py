"""ClassroomModel: the GovernanceModel the page steps, built from the values of its controls.

The page's Reset builds the model as ``ClassroomModel(**values)`` from its inputs
(sim.app.controls.model_kwargs), so this subclass's keywords are exactly the page's inputs: the
scenario's name, the hierarchy preset, the seed and one keyword per control. It takes no
``scenario`` keyword (GovernanceModel's first parameter is our own scenario, not Mesa's).
"""

from __future__ import annotations

from ..model import GovernanceModel
from .controls import CONTROLS, scenario_library

__all__ = ["ClassroomModel"]


class ClassroomModel(GovernanceModel):
    """A scenario from the library, with the page's control values on top.

    A control left at None keeps the scenario's value. Levers act from week 0 (outside the
    classroom ``run.policy_start`` gives a status-quo period first).
    """

    def __init__(
        self,
        *,
        scenario_name: str = "baseline",
        preset: str = "classroom",
        seed: int = 1,
        quota_meetings_cut: float | None = None,
        quota_documents_cut: float | None = None,
        quota_inspections_cut: float | None = None,
        oversight_strength: float | None = None,
        assessment_mode: str | None = None,
        verification_intensity: float | None = None,
        indicators_count: int | None = None,
        fault_tolerance_share: float | None = None,
        bottom_up_weight: float | None = None,
        bottom_up_anonymity: float | None = None,
        devolution_tasks: float | None = None,
        devolution_personnel: float | None = None,
        devolution_finance: float | None = None,
        platforms_count: int | None = None,
        platforms_checkin_hours: float | None = None,
        platforms_time_saved: float | None = None,
        data_bureau_merge: float | None = None,
        staffing_follow_workload: float | None = None,
        allocation_capable_bias: float | None = None,
        secondment_staff: float | None = None,
        joint_enforcement_share: float | None = None,
        tournament_intensity: float | None = None,
        anxiety_from_superior: float | None = None,
        anxiety_central_pressure: float | None = None,
        cascade_escalation: float | None = None,
    ):
        given = locals()  # the keyword arguments by name
        chosen = {c.param: given[c.arg] for c in CONTROLS if given[c.arg] is not None}
        spec = scenario_library()[scenario_name].with_overrides(
            {**chosen, "hierarchy.preset": preset, "run.policy_start": 0}, source="the page"
        )
        # int(): a seed from the browser may arrive as 3.0 or "3" (mesa issue 3516).
        super().__init__(spec, rng=int(seed))
        self.scenario_name = scenario_name
        self.run_seed = int(seed)
