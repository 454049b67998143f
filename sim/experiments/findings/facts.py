"""The computed statements the report's prose is made of: which remedies help on every headline
outcome, which backfire and what rescues them, how pairs interact, the curves' shapes and how
robust the ranking is, read once off the tables of a :class:`~.runner.Findings` and shared by
both summaries and the report's sections.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

from ...outcomes import BETTER
from .design import HEADLINE, ROBUSTNESS_OUTCOMES, SIDE_EFFECTS
from .runner import Findings
from .stats import (
    ADDITIVE,
    BENEFICIAL,
    HARMFUL,
    NO_EFFECT,
    SUB_ADDITIVE,
    SUPER_ADDITIVE,
    spearman_summary,
)
from .words import num, records, unit_text


class Facts:
    """The computed statements both summaries and section 6 are made of."""

    def __init__(self, f: Findings) -> None:
        self.f = f
        e = f.effects
        self.eff = {(r.scenario, r.outcome): r for r in records(e)}
        self.kinds = dict(zip(e.scenario, e.kind, strict=False))
        self.remedies = [n for n, k in self.kinds.items() if k == "remedy"]
        self.packages = [n for n, k in self.kinds.items() if k == "package"]
        self.failure_modes = [n for n, k in self.kinds.items() if k == "failure mode"]

        def cls(n, o):
            return self.eff[n, o].cls

        self.cls = cls
        self.good_all = [n for n in self.remedies if all(cls(n, o) == BENEFICIAL for o in HEADLINE)]
        self.harmed = {
            n: [o for o in HEADLINE if cls(n, o) == HARMFUL]
            for n in self.kinds
            if any(cls(n, o) == HARMFUL for o in HEADLINE)
        }
        self.backfires = [n for n in self.harmed if self.kinds[n] != "failure mode"]
        self.confirmed = [n for n in self.failure_modes if n in self.harmed]
        self.helping_failures = {
            n: [o for o in HEADLINE if cls(n, o) == BENEFICIAL] for n in self.failure_modes
        }
        self.helping_failures = {n: o for n, o in self.helping_failures.items() if o}
        self.null = {
            n: [o for o in HEADLINE if cls(n, o) == NO_EFFECT]
            for n in [*self.remedies, *self.packages]
        }
        self.null = {n: o for n, o in self.null.items() if o}
        self.side = {
            n: [o for o in SIDE_EFFECTS if cls(n, o) == HARMFUL]
            for n in [*self.remedies, *self.packages]
        }
        self.side = {n: o for n, o in self.side.items() if o}
        hours = sorted(
            (self.eff[n, "township_hours"].diff, n)
            for n in self.remedies
            if cls(n, "township_hours") == BENEFICIAL
        )
        self.top_hours = [n for _, n in hours[:3]]
        c = f.companions
        self.rescuers: dict[str, list[str]] = {}
        self.payers: dict[str, list[str]] = {}  # beneficial on top of B on every harmed outcome
        self.pays_on: dict[tuple[str, str], list[str]] = {}  # ... on one harmed outcome
        for a in self.harmed:
            sub = c[(c.scenario == a) & c.backfired] if not c.empty else c
            if sub.empty:
                self.rescuers[a], self.payers[a] = [], []
                continue
            first = self.harmed[a][0]
            order = sub[sub.outcome == first].sort_values(
                "combined_diff", ascending=BETTER[first] < 0
            )
            ok = sub[sub.rescues & sub.no_headline_harm].companion.unique()
            self.rescuers[a] = [b for b in order.companion if b in set(ok)]
            pays = sub.groupby("companion").added_class.apply(lambda s: (s == BENEFICIAL).all())
            self.payers[a] = [b for b in order.companion if pays.get(b, False)]
            for o in self.harmed[a]:
                on = sub[(sub.outcome == o)].sort_values("added_diff", ascending=BETTER[o] < 0)
                self.pays_on[a, o] = list(on[on.added_class == BENEFICIAL].companion)
        it = f.interactions
        ok = it[~it["class"].str.startswith("not")] if not it.empty else it
        self.pairs = len(ok[ok.outcome == HEADLINE[0]]) if not ok.empty else 0
        self.counts = (
            {
                o: {
                    k: int(((ok.outcome == o) & (ok["class"] == k)).sum())
                    for k in (SUB_ADDITIVE, ADDITIVE, SUPER_ADDITIVE)
                }
                for o in HEADLINE
            }
            if not ok.empty
            else {}
        )
        self.shape = {(r.curve, r.outcome): r for r in records(f.shapes)}
        rank = f.rank
        perturbed = rank[rank.weights == "perturbed"]
        self.robust = {
            o: spearman_summary(perturbed[perturbed.outcome == o].spearman)
            for o in ROBUSTNESS_OUTCOMES
        }
        chance = rank[rank.weights != "perturbed"].set_index("outcome").spearman
        self.chance = {o: float(chance.get(o, math.nan)) for o in ROBUSTNESS_OUTCOMES}
        # Perturbations in which most remedies cannot move an outcome at all.
        self.saturated = {
            o: [
                (int(r.perturbation), float(r.baseline))
                for r in records(perturbed[perturbed.outcome == o])
                if r.resolved_effects < r.remedies / 2
            ]
            for o in ROBUSTNESS_OUTCOMES
        }
        st = f.stability
        self.reversals = {
            o: list(st[(st.outcome == o) & st.resolved_reversal].remedy)
            for o in ROBUSTNESS_OUTCOMES
        }

    def package_rows(self, outcome: str) -> list[SimpleNamespace]:
        c = self.f.combination
        return records(c[c.outcome == outcome]) if not c.empty else []

    def name(self, n: str, lang: str) -> str:
        if lang == "zh":
            return f"{self.f.titles.get(n, {}).get('zh', n)}（`{n}`）"
        return f"`{n}`"

    def effect(self, n: str, o: str, lang: str = "en") -> str:
        r = self.eff[n, o]
        ci = f"[{num(r.diff_ci_low, o)}, {num(r.diff_ci_high, o)}]"
        return f"{num(r.diff, o)}{unit_text(o, lang)} {ci}"


def perturbed_runs(f: Findings, F: Facts) -> int:
    return len(f.perturbations) * (len(F.remedies) + 1) * f.settings.perturbation_replicates
