"""The outcomes of a week, computed from the state in one compiled call, in the order of
:data:`sim.outcomes.OUTCOMES` (whose table gives each one's name, unit and meaning).

Means over officials are taken over those who worked that week; sums add in index order.
"""

from __future__ import annotations

import numpy as np

from .groups import rows_sum, township_sum
from .jit import jit, ratio
from .rules import costs, digital, output
from .state import Hours, Item, Status

__all__ = ["gini", "observe", "percentiles", "township_gini", "weighted_corr"]

SUBSTANTIVE = int(Hours.SUBSTANTIVE)
VACANT, LEAVE = int(Status.VACANT), int(Status.LEAVE)
MEETINGS, DOCUMENTS, N_ITEMS = int(Item.MEETINGS), int(Item.DOCUMENTS), len(Item)
INSPECTIONS = int(Item.INSPECTIONS)


@jit
def weighted_corr(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> float:
    """Pearson correlation of ``a`` and ``b`` over the entries where ``mask`` holds; 0 when
    either side is constant there."""
    n = max(mask.sum(), 1)
    mean_a = mean_b = 0.0
    for i in range(a.size):
        if mask[i]:
            mean_a += a[i]
            mean_b += b[i]
    mean_a, mean_b = mean_a / n, mean_b / n
    va = vb = cov = 0.0
    for i in range(a.size):
        if mask[i]:
            da, db = a[i] - mean_a, b[i] - mean_b
            va += da * da
            vb += db * db
            cov += da * db
    return cov / np.sqrt(va * vb) if va > 0 and vb > 0 else 0.0


@jit
def gini(x: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 equal, toward 1 concentrated), 0 for fewer
    than two values or a zero total: ``G = sum_i (2i - n - 1) x_(i) / (n sum x)``."""
    return _gini_of_sorted(np.sort(x))


@jit
def _gini_of_sorted(xs: np.ndarray) -> float:
    n = xs.size
    if n < 2:
        return 0.0
    total = weighted = 0.0
    for i in range(n):
        total += xs[i]
        weighted += (2.0 * (i + 1) - n - 1.0) * xs[i]
    return weighted / (n * total) if total > 0 else 0.0


@jit
def township_gini(values: np.ndarray, mask: np.ndarray, head_row: np.ndarray) -> np.ndarray:
    """(T,) Gini of ``values`` over each township's posts where ``mask`` holds."""
    out = np.empty(head_row.size)
    buffer = np.empty(values.size)  # one township's values at a time, sorted in place
    for t in range(head_row.size):
        hi = head_row[t + 1] if t + 1 < head_row.size else values.size
        m = 0
        for i in range(head_row[t], hi):
            if mask[i]:
                buffer[m] = values[i]
                m += 1
        _insertion_sort(buffer, m)
        out[t] = _gini_of_sorted(buffer[:m])
    return out


@jit
def _insertion_sort(x: np.ndarray, m: int) -> None:
    # A township's few values: insertion sort beats a general sort's set-up many times over.
    for i in range(1, m):
        v = x[i]
        j = i - 1
        while j >= 0 and x[j] > v:
            x[j + 1] = x[j]
            j -= 1
        x[j + 1] = v


@jit
def percentiles(x: np.ndarray, low: float, high: float) -> tuple[float, float]:
    """The ``low`` and ``high`` percentiles of ``x`` (0-100, ``low <= high``), as
    ``np.percentile`` computes them (linear interpolation), from two partial sorts of one copy."""
    n = x.size
    at_low, at_high = low / 100.0 * (n - 1), high / 100.0 * (n - 1)
    i, j = int(np.floor(at_low)), int(np.floor(at_high))
    xs = x.copy()
    # The values of rank i and i + 1, then of ranks j and j + 1 among those above rank i.
    _select(xs, 0, n, i)
    at_i, after_i = xs[i], xs[i + 1 :].min() if i + 1 < n else xs[i]
    if j == i:
        at_j, after_j = at_i, after_i
    else:
        _select(xs, i + 1, n, j)
        at_j, after_j = xs[j], xs[j + 1 :].min() if j + 1 < n else xs[j]
    return _lerp(at_i, after_i, at_low - i), _lerp(at_j, after_j, at_high - j)


@jit
def _select(x: np.ndarray, lo: int, hi: int, k: int) -> None:
    """Reorder ``x[lo:hi]`` in place so that ``x[k]`` holds its value of rank ``k - lo``, no
    larger value before it and no smaller one after it (quickselect, Hoare's partition with a
    median-of-three pivot, which keeps many equal values balanced)."""
    hi -= 1
    while lo < hi:
        a, b, c = x[lo], x[(lo + hi) // 2], x[hi]
        pivot = max(min(a, b), min(max(a, b), c))
        i, j = lo, hi
        while i <= j:
            while x[i] < pivot:
                i += 1
            while x[j] > pivot:
                j -= 1
            if i <= j:
                x[i], x[j] = x[j], x[i]
                i += 1
                j -= 1
        if k <= j:
            hi = j
        elif k >= i:
            lo = i
        else:
            return


@jit
def _lerp(a: float, b: float, t: float) -> float:
    # numpy's formula: from the nearer end, so that t = 1 gives b exactly.
    return b - (b - a) * (1.0 - t) if t >= 0.5 else a + (b - a) * t


@jit
def _mean(x: np.ndarray) -> float:
    total = 0.0
    for v in x:
        total += v
    return total / x.size


@jit
def _quota_ratio(u, below: int) -> float:
    # Effective over nominal cap, averaged over the item kinds that carry a quota.
    ratios, kinds = 0.0, 0
    for item in range(N_ITEMS):
        cap, effective = u.cap[item, below:], u.effective_cap[item, below:]
        quota = np.isfinite(cap) & (cap > 0)
        if quota.any():
            ratios += _mean(effective[quota] / cap[quota])
            kinds += 1
    return ratios / kinds if kinds else 1.0


@jit
def _staff_means(standard: float, cap: float, total: np.ndarray, st) -> np.ndarray:
    """Means over the officials who worked this week, in one pass: hours by kind, then
    anxiety, pure formalism, overtime, overtime without pure formalism, errors, events, errors
    not found (they reach citizens), and the share at the weekly maximum ``cap``; ``total``
    is each official's hours."""
    n_kinds, n = st.hours.shape
    sums = np.zeros(n_kinds + 8)
    for i in range(n):
        if not st.worked[i]:
            continue
        for kind in range(n_kinds):
            sums[kind] += st.hours[kind, i]
        sums[n_kinds] += st.anxiety[i]
        sums[n_kinds + 1] += st.pure[i]
        sums[n_kinds + 2] += max(total[i] - standard, 0.0)
        sums[n_kinds + 3] += max(total[i] - st.pure[i] - standard, 0.0)
        sums[n_kinds + 4] += st.errors[i]
        sums[n_kinds + 5] += st.events[i]
        sums[n_kinds + 6] += st.errors[i] - st.detected[i]
        sums[n_kinds + 7] += total[i] >= cap - 1e-9
    return sums / max(st.worked.sum(), 1)


@jit
def observe(p, tree, u, tw, st) -> np.ndarray:
    """Every outcome of the week just run, in the order of OUTCOMES (``p``: the parameter
    record in force that week)."""
    standard = p.work.standard_hours
    n_kinds = st.hours.shape[0]
    # Anxiety of each level, trust of each level above the bottom, five hour summaries, the
    # hours by kind, twenty-eight more (the table of sim.outcomes).
    out = np.empty(2 * tree.bottom + 1 + 5 + n_kinds + 28)
    cap = standard + p.work.max_overtime
    total = rows_sum(st.hours)
    means = _staff_means(standard, cap, total, st)
    hours = means[:n_kinds]
    anxiety, pure, overtime, excess, errors, events, unfound, at_cap = means[n_kinds:]
    j = 0
    for lvl in range(tree.bottom):
        out[j] = _mean(u.anxiety[tree.starts[lvl] : tree.starts[lvl + 1]])
        j += 1
    out[j] = anxiety
    j += 1
    for lvl in range(tree.bottom):
        out[j] = _mean(u.trust[tree.starts[lvl + 1] : tree.starts[lvl + 2]])
        j += 1
    townships = slice(tree.starts[tree.bottom], tree.n_units)
    worked_hours = hours.sum()
    out[j] = worked_hours
    out[j + 1] = overtime
    out[j + 2] = pure
    out[j + 3] = worked_hours - hours[SUBSTANTIVE] - pure
    out[j + 4] = excess
    j += 5
    for kind in range(n_kinds):  # hours by kind, in the order of Hours
        out[j] = hours[kind]
        j += 1
    out[j] = 1.0 - hours[SUBSTANTIVE] / worked_hours if worked_hours > 0 else 0.0
    out[j + 1] = _mean(tw.inspections)
    out[j + 2] = _mean(u.received[MEETINGS, townships])
    out[j + 3] = _mean(u.received[DOCUMENTS, townships])
    out[j + 4] = _mean(tw.data_requests)
    unfound_t = township_sum(st.errors - st.detected, tree.head_row)
    out[j + 5] = _mean(output.delivered_service(tw.output, unfound_t, p.errors.harm_hours, tw.work))
    out[j + 6] = 100.0 * errors
    out[j + 7] = 100.0 * events
    burnout, vacant, on_leave = _post_shares(st, p.burnout.threshold)
    out[j + 8] = burnout
    out[j + 9] = 100.0 * tw.quits.sum() / tree.n_staff
    # Inequality of the head's allocation within each township, averaged over townships.
    out[j + 10] = _mean(township_gini(st.assigned, st.worked, tree.head_row))
    out[j + 11] = weighted_corr(st.competence, st.assigned, st.worked)
    out[j + 12] = weighted_corr(st.competence, st.record, st.worked)
    # Quotas bind what every level below the top receives.
    out[j + 13] = _quota_ratio(u, tree.starts[1])
    out[j + 14] = _mean(
        costs.lever_cost(
            tw.temp_staff,
            tw.added_staff,
            p.secondment.staff,
            standard,
            p.oversight.strength,
            p.oversight.cost_hours,
            p.data_bureau.merge,
            p.data_bureau.cost_hours,
            tw.authority_finance,
            p.devolution.reward_hours,
            tree.posts,
            p.verification.intensity,
            u.received[INSPECTIONS, townships],
            p.verification.cost_hours,
            p.bottom_up.anonymity,
            p.bottom_up.anonymity_cost_hours,
            tw.services,
            p.devolution.services_price,
        )
    )
    out[j + 15] = tw.backlog.sum() / tree.n_staff
    out[j + 16] = vacant
    out[j + 17] = on_leave
    out[j + 18] = 100.0 * unfound
    out[j + 19] = at_cap
    worked_totals = total[st.worked]
    if worked_totals.size:
        out[j + 20], out[j + 21] = percentiles(worked_totals, 10.0, 90.0)
    else:
        out[j + 20] = out[j + 21] = 0.0
    out[j + 22] = _mean(digital.effective_platforms(tw.platforms, tw.consolidated))
    out[j + 23] = _mean(np.minimum(np.maximum(ratio(tw.reported, tw.work, 1.0), 0.0), 1.0))
    out[j + 24] = _perfunctory_share(st)
    reported = tw.reported.sum()
    out[j + 25] = (reported - tw.output.sum()) / reported if reported > 0 else 0.0
    out[j + 26] = _mean(tw.hidden)
    out[j + 27] = _evasion_share(u, townships)
    return out


@jit
def _post_shares(st, threshold: float) -> tuple[float, float, float]:
    """Burnout (fatigue above ``threshold``) over officials in post, including those on leave
    (often the most fatigued); vacant posts and posts on leave over all posts; in one pass."""
    n = st.status.size
    in_post = burnt = vacant = on_leave = 0
    for i in range(n):
        if st.status[i] == VACANT:
            vacant += 1
            continue
        in_post += 1
        burnt += st.fatigue[i] > threshold
        on_leave += st.status[i] == LEAVE
    return burnt / in_post if in_post else 0.0, vacant / n, on_leave / n


@jit
def _evasion_share(u, townships) -> float:
    """Items a quota cut from what townships receive that arrive relabelled, over all the items
    it cut (0 when nothing was cut)."""
    relabelled = u.relabelled[:, townships].sum()
    cut = (u.desired[:, townships] - u.received[:, townships]).sum() + relabelled
    return relabelled / cut if cut > 1e-12 else 0.0


@jit
def _perfunctory_share(st) -> float:
    """Substantive hours worked perfunctorily over all substantive hours, among officials who
    worked (0 when nobody did substantive work)."""
    perfunctory = substantive = 0.0
    for i in range(st.worked.size):
        if st.worked[i]:
            hours = st.hours[SUBSTANTIVE, i]
            perfunctory += (1.0 - st.diligence[i]) * hours
            substantive += hours
    return perfunctory / substantive if substantive > 0 else 0.0
