"""What the model says, computed: the findings report (``oasim findings``, docs/FINDINGS.md).

One command runs every experiment the report needs and writes its tables, figures and text, so
that no number in the report is typed by hand:

1. single levers: every scenario of the library against the baseline;
2. dose-response: inspection intensity, accountability severity, tournament intensity and quota
   depth, each at several levels, against the default;
3. interactions: every pair of a set of remedies, A + B against A, B and the baseline;
4. backfires: every library scenario that harms a headline outcome, combined with each remedy
   to find what it needs alongside;
5. robustness: the remedies' effects re-estimated under Latin-hypercube perturbations of the
   behavioural weights, within the ranges scenarios/sensitivity/assumptions.toml declares;
6. disagreements with the article, read off the above.

Every setting runs the same replicate seeds (common random numbers), so effects, interactions
and level differences are paired, per replicate, with t-intervals over replicates. Runs are
independent tasks for an evaluator and every seed derives from the master seed, so the results
do not depend on the number of workers. The statistics are small pure functions
(:func:`effect_class`, :func:`classify_interaction`, :func:`curve_shape`,
:func:`spearman_summary`, :func:`sign_stability`); :func:`run_findings` runs the experiments,
:func:`render_markdown` writes the report from its tables, :func:`save_findings` the folder.

The modules, each depending only on those before it: ``design`` (what is measured, the
library's scenarios by purpose, the curves, the settings), ``stats`` (the pure statistics),
``runner`` (the runs and the tables), ``words`` (numbers and names as the report writes them),
``facts`` (the statements the prose is made of), ``summary`` (the two summary paragraphs),
``report`` (the markdown), ``figures`` and ``saving`` (the output folder and the docs copy).
"""

from .design import Settings, contains, findings_settings, latin_hypercube, merged_overrides
from .figures import FIGURES
from .report import MARKER, render_markdown
from .runner import Findings, planned_runs, run_findings
from .saving import REPORT, TABLES, DocsTarget, save_findings
from .stats import (
    ADDITIVE,
    BENEFICIAL,
    HARMFUL,
    NO_EFFECT,
    SUB_ADDITIVE,
    SUPER_ADDITIVE,
    classify_interaction,
    curve_shape,
    effect_class,
    interaction,
    rank_correlation,
    sign_stability,
    spearman_summary,
)
from .words import num, with_ci

__all__ = [
    "ADDITIVE",
    "BENEFICIAL",
    "FIGURES",
    "HARMFUL",
    "MARKER",
    "NO_EFFECT",
    "REPORT",
    "SUB_ADDITIVE",
    "SUPER_ADDITIVE",
    "TABLES",
    "DocsTarget",
    "Findings",
    "Settings",
    "classify_interaction",
    "contains",
    "curve_shape",
    "effect_class",
    "findings_settings",
    "interaction",
    "latin_hypercube",
    "merged_overrides",
    "num",
    "planned_runs",
    "rank_correlation",
    "render_markdown",
    "run_findings",
    "save_findings",
    "sign_stability",
    "spearman_summary",
    "with_ci",
]
