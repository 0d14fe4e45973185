"""How `sitrep train` chooses a threshold from the figures of a grid of settings."""

from __future__ import annotations

from sitrep.train.events import smoothed_figures
from sitrep.train.run import threshold_by_balance


def test_a_broad_good_region_beats_a_lone_lucky_setting() -> None:
    grid = ((0.1, 0.2, 0.3, 0.4, 0.5, 0.6),)
    # 0.1 is the single best cell, next to poor ones; 0.4 sits in a region that is good
    # throughout. Averaged with their neighbours, the region wins.
    figures = {(0.1,): 0.70, (0.2,): 0.55, (0.3,): 0.66, (0.4,): 0.68, (0.5,): 0.67, (0.6,): 0.50}
    smoothed = smoothed_figures(figures, grid)
    assert max(smoothed, key=lambda c: smoothed[c]) == (0.4,)
    assert max(figures, key=lambda c: figures[c]) == (0.1,)


def test_two_thresholds_are_smoothed_along_each_axis() -> None:
    grid = ((0.1, 0.2), (0.5, 0.6))
    figures = {(0.1, 0.5): 1.0, (0.1, 0.6): 0.0, (0.2, 0.5): 0.0, (0.2, 0.6): 0.0}
    smoothed = smoothed_figures(figures, grid)
    assert smoothed[(0.1, 0.5)] == 1.0 / 3  # itself and one neighbour on each axis
    assert smoothed[(0.2, 0.6)] == 0.0


def test_the_assertion_threshold_comes_from_a_plateau_too() -> None:
    grid = (0.2, 0.3, 0.4, 0.5, 0.6)
    # Three "yes" at 0.55 and three "no" at 0.45: precision and recall are both best at 0.5
    # alone, right beside the cliff at 0.6 where nothing passes; averaged with its
    # neighbours, 0.4 is chosen.
    scores = [(0.55, True)] * 3 + [(0.45, False)] * 3
    assert threshold_by_balance(scores, grid) == 0.4


def test_the_assertion_threshold_wants_precision_as_much_as_recall() -> None:
    grid = (0.2, 0.3, 0.4, 0.5, 0.6)
    # Below 0.4 every "yes" passes at precision 0.56 (F1 0.71); from 0.4 precision is 0.80
    # at recall 0.60 (F1 0.69). F1 takes the low threshold; a target of both precision and
    # recall at 0.60 is met only by the high one, and that is the one chosen.
    scores = [(0.65, True)] * 12 + [(0.35, True)] * 8 + [(0.65, False)] * 3
    scores += [(0.35, False)] * 13
    assert threshold_by_balance(scores, grid) == 0.5


def test_a_flat_region_gives_its_centre_not_its_highest_cell() -> None:
    from sitrep.train.events import plateau_centre

    grid = ((0.03, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4),)
    # Flat from 0.03 to 0.3 within a hair; the highest cell sits at the region's edge.
    figures = {(0.03,): 0.5, (0.05,): 0.501, (0.1,): 0.502, (0.15,): 0.5, (0.2,): 0.499}
    figures |= {(0.3,): 0.503, (0.4,): 0.40}
    assert max(figures, key=lambda c: figures[c]) == (0.3,)
    assert plateau_centre(figures, grid) == (0.1,)
    # A clear best is chosen as it is.
    assert plateau_centre({(0.03,): 0.3, (0.05,): 0.6, (0.1,): 0.3}, ((0.03, 0.05, 0.1),)) == (
        0.05,
    )


def test_the_centre_of_a_two_threshold_plateau_lies_on_it() -> None:
    from sitrep.train.events import plateau_centre

    grid = ((0.1, 0.2, 0.3), (0.1, 0.2, 0.3))
    # An L-shaped plateau: its mean position (0.2, 0.2) is off it; the nearest cell on it wins.
    good = {(0.1, 0.1), (0.1, 0.2), (0.1, 0.3), (0.2, 0.1), (0.3, 0.1)}
    figures = {(a, b): (0.6 if (a, b) in good else 0.4) for a in grid[0] for b in grid[1]}
    assert plateau_centre(figures, grid) in good
