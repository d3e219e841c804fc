"""Ranking invariants (R6, R10) by property tests: quotas, order independence, ties."""

from __future__ import annotations

import os
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from danvan_cli.award.ranking import Entry, merit_key, rank

# Examples per property: a quick default for every run; the long fuzz (DANVAN_FUZZ_EXAMPLES,
# as for test_hardening) runs as many as asked.
EXAMPLES = int(os.environ.get("DANVAN_FUZZ_EXAMPLES", "100"))
FLAGS = ["difficult", "wide_influence", "grassroots"]
CRITERIA = {"collective": ["07", "03"], "individual": ["03", "07"]}

entry_st = st.builds(
    lambda kind, total, flags, c1, c2, eligible, name: Entry(
        kind=kind,
        total=Decimal(total) / 2,
        flags=dict(zip(FLAGS, flags, strict=True)),
        criteria={"07": Decimal(c1), "03": Decimal(c2)},
        eligible=eligible,
        ref=name,
    ),
    st.sampled_from(["collective", "individual"]),
    st.integers(176, 200),  # totals 88..100 in half points: many equal totals
    st.lists(st.booleans() | st.none(), min_size=3, max_size=3),
    st.integers(8, 10),
    st.integers(13, 15),
    st.booleans(),
    st.text(min_size=1, max_size=8),
)
quota_st = st.fixed_dictionaries({"collective": st.integers(0, 4), "individual": st.integers(0, 6)})


def _copy(e: Entry, name: object) -> Entry:
    return Entry(e.kind, e.total, dict(e.flags), dict(e.criteria), e.eligible, ref=name)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(entry_st, max_size=25), quota_st)
def test_never_over_quota_and_ties_only_across_the_line(entries, quota):
    ranked = rank(entries, quota, FLAGS, CRITERIA)
    for kind, limit in quota.items():
        mine = [e for e in ranked if e.kind == kind]
        proposed = [e for e in mine if e.status == "proposed"]
        tied = [e for e in mine if e.status == "tie"]
        assert len(proposed) <= limit
        if tied:  # a tied group straddles the line: it could not all fit, but some seats remained
            assert len(proposed) < limit < len(proposed) + len(tied)
            keys = {merit_key(e, FLAGS, CRITERIA[kind]) for e in tied}
            assert len(keys) == 1
        else:
            eligible = [e for e in mine if e.status != "ineligible"]
            assert len(proposed) == min(limit, len(eligible))
        for e in mine:
            assert (e.status == "ineligible") == (not e.eligible)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(entry_st, max_size=25), quota_st, st.randoms(use_true_random=False))
def test_same_result_whatever_the_order_and_names(entries, quota, rnd):
    first = rank(entries, quota, FLAGS, CRITERIA)
    result = {i: (e.status, e.rank) for i, e in enumerate(entries)}
    shuffled = list(range(len(entries)))
    rnd.shuffle(shuffled)
    renamed = [_copy(entries[i], f"file-{rnd.random()}") for i in shuffled]
    rank(renamed, quota, FLAGS, CRITERIA)
    again = {shuffled[j]: (e.status, e.rank) for j, e in enumerate(renamed)}
    assert again == result
    assert len(first) == len(entries)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(entry_st, min_size=1, max_size=25), quota_st)
def test_a_better_key_never_ranks_below_a_worse_one(entries, quota):
    rank(entries, quota, FLAGS, CRITERIA)
    order = {"proposed": 0, "tie": 1, "reserve": 2}
    for a in entries:
        for b in entries:
            if a.kind != b.kind or a.status == "ineligible" or b.status == "ineligible":
                continue
            ka = merit_key(a, FLAGS, CRITERIA[a.kind])
            kb = merit_key(b, FLAGS, CRITERIA[b.kind])
            if ka > kb:
                assert a.rank < b.rank and order[a.status] <= order[b.status]
            elif ka == kb:
                assert a.rank == b.rank and a.status == b.status


def test_equal_totals_split_by_flag_then_criterion():
    def entry(total, difficult=False, c07=10, c03=15):
        return Entry(
            "collective",
            Decimal(total),
            {"difficult": difficult},
            {"07": Decimal(c07), "03": Decimal(c03)},
        )

    a, b, c, d = entry(95), entry(95, difficult=True), entry(95, c07=9), entry(96)
    rank([a, b, c, d], {"collective": 2}, FLAGS, CRITERIA)
    assert [e.rank for e in (d, b, a, c)] == [1, 2, 3, 4]
    assert [e.status for e in (d, b, a, c)] == ["proposed", "proposed", "reserve", "reserve"]
    assert (b.decided_by, b.ahead) == ("difficult", True)
    assert (a.decided_by, a.ahead) == ("difficult", False)
    assert (c.decided_by, c.ahead) == ("07", False)
