"""Other sources' sentences (coopbot.agreement): which of their figures and dates disagree with the best one's."""

from __future__ import annotations

import pytest

from coopbot.agreement import _comparable, _disagree


@pytest.mark.parametrize(("best", "other", "compared"), [
    ({"year:2023", "day:14"}, {"year:2023"}, ({"year:2023"}, {"year:2023"})),  # the coarsest grain both give
    ({"day:14"}, {"day:13"}, ({"day:14"}, {"day:13"})),
    ({"year:2023"}, {"day:13"}, None),  # a year is not compared with the day of another event
    ({"1000"}, {"800"}, ({"1000"}, {"800"})),  # figures without a grain compare as they are
])
def test_figures_are_compared_at_the_coarsest_grain_both_give(best, other, compared):
    result = _comparable(frozenset(best), frozenset(other))
    assert result == (None if compared is None else tuple(frozenset(c) for c in compared))


@pytest.mark.parametrize(("a", "b", "disagree"), [
    ({"1000"}, {"800"}, True),
    ({"1000"}, {"1000", "15"}, False),  # one says more: not a disagreement
    (set(), {"800"}, False),
])
def test_two_sentences_disagree_when_each_gives_a_figure_the_other_lacks(a, b, disagree):
    assert _disagree(frozenset(a), frozenset(b)) is disagree
