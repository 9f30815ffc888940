"""The calibration's own logistic fit, on data whose answer is known."""

from __future__ import annotations

import numpy as np

from bench.calibrate import fit_logistic


def test_the_fit_finds_the_informative_feature_and_ignores_the_noise() -> None:
    rng = np.random.default_rng(7)
    informative = np.concatenate([rng.normal(0.85, 0.02, 300), rng.normal(0.80, 0.02, 100)])
    noise = rng.normal(0.5, 0.1, 400)
    labels = np.concatenate([np.ones(300), np.zeros(100)])  # unbalanced, as the real data is
    weights = fit_logistic(np.column_stack([informative, noise]), labels)
    assert weights[0] * 0.02 > 5 * abs(weights[1]) * 0.1  # per standard deviation of each
    probability = 1 / (1 + np.exp(-(np.array([0.85, 0.80]) * weights[0] + 0.5 * weights[1] + weights[2])))
    assert probability[0] > 0.8 and probability[1] < 0.2  # both classes weigh the same
