"""Writes fixtures/significance-golden.json: SciPy's paired Student t-test on seeded per-query data.

Run from packages/evaluation:
    /usr/bin/python3 scripts/make-significance-golden.py > fixtures/significance-golden.json

Each case is (control, treatment) per-query values and what scipy.stats.ttest_rel(control,
treatment) returns (two-sided). The data is drawn with NumPy's seeded generator in shapes an
evaluation produces: reciprocal ranks, 0/1 recalls, ties, small and large query counts.
"""
import json
import sys

import numpy as np
import scipy
from scipy.stats import ttest_rel, t as student_t


def case(name, control, treatment):
    control = np.asarray(control, dtype=np.float64)
    treatment = np.asarray(treatment, dtype=np.float64)
    stat, p = ttest_rel(treatment, control, alternative="two-sided")
    return {
        "name": name,
        "control": control.tolist(),
        "treatment": treatment.tolist(),
        "t": float(stat),
        "df": int(len(control) - 1),
        "pValue": float(p),
    }


def main():
    rng = np.random.default_rng(20261202)
    cases = []
    for n in (2, 3, 5, 10, 30, 100, 1000):
        c = 1.0 / rng.integers(1, 20, size=n)
        t = np.clip(c + rng.normal(0.02, 0.1, size=n), 0, 1)
        cases.append(case(f"reciprocal ranks, n={n}", c, t))
    for n in (8, 50, 400):
        c = (rng.random(n) < 0.5).astype(float)
        t = np.where(rng.random(n) < 0.15, 1 - c, c)
        t[0] = 1 - c[0]  # at least one query differs (all-equal pairs are SciPy's NaN case)
        cases.append(case(f"0/1 recall, n={n}", c, t))
    big = rng.random(200)
    cases.append(case("a large effect, n=200", big, np.clip(big + 0.3 + rng.normal(0, 0.05, 200), 0, 2)))
    tiny = rng.random(60)
    cases.append(case("a tiny effect, n=60", tiny, tiny + rng.normal(0, 1e-3, 60)))
    # The t distribution itself, two-sided tails, over a grid of t and degrees of freedom.
    tails = []
    for df in (1, 2, 3, 7, 29, 99, 999, 99999):
        for tv in (0.0, 0.01, 0.5, 1.0, 1.96, 2.5, 4.0, 10.0, 40.0):
            tails.append({"t": tv, "df": df, "pValue": float(2 * student_t.sf(tv, df))})
    json.dump(
        {
            "generator": "packages/evaluation/scripts/make-significance-golden.py",
            "scipy": scipy.__version__,
            "convention": "pValue = scipy.stats.ttest_rel(treatment, control) two-sided; t of treatment - control",
            "cases": cases,
            "tails": tails,
        },
        sys.stdout,
        indent=1,
        allow_nan=False,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
