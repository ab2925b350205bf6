"""Reading state as pure data: operations, their replay, and the file layout.

Two processes merge by re-applying their pending operations on top of what
the other wrote, so the tests here pin what each operation means when it is
replayed on a state that moved on.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.errors import QueueError
from store.model import Status
from store.state import UNDO_LIMIT, StateData, apply, check_queue_name, status_of

AT = "2026-01-02T03:04:05+00:00"


def run(data: StateData, *ops: dict[str, Any]) -> StateData:
    for op in ops:
        apply(data, op)
    return data


def test_status_ops_set_and_new_removes_the_entry() -> None:
    data = run(StateData(), {"op": "status", "id": "a", "status": "starred", "at": AT})
    assert status_of(data, "a") is Status.STARRED
    assert data.status == {"a": ("starred", AT)}
    run(data, {"op": "status", "id": "a", "status": "new", "at": AT})
    assert data.status == {}
    assert status_of(data, "a") is Status.NEW
    assert status_of(data, "never-seen") is Status.NEW


def test_queue_set_dedupes_and_none_deletes() -> None:
    data = run(StateData(), {"op": "queue_set", "name": "q", "ids": ["a", "b", "a", "c"]})
    assert data.queues == {"q": ["a", "b", "c"]}
    run(data, {"op": "queue_set", "name": "q", "ids": None})
    assert data.queues == {}


def test_queue_add_and_remove_name_ids_not_positions() -> None:
    data = run(
        StateData(queues={"q": ["a"]}),
        {"op": "queue_add", "name": "q", "ids": ["b", "a", "c"]},
        {"op": "queue_add", "name": "new", "ids": ["x"]},
        {"op": "queue_remove", "name": "q", "ids": ["a", "zzz"]},
        {"op": "queue_remove", "name": "missing", "ids": ["a"]},
    )
    assert data.queues == {"q": ["b", "c"], "new": ["x"]}


@pytest.mark.parametrize(
    ("position", "expected"), [(0, ["c", "a", "b"]), (1, ["a", "c", "b"]), (99, ["a", "b", "c"]), (-5, ["c", "a", "b"])]
)
def test_queue_move_clamps(position: int, expected: list[str]) -> None:
    data = run(StateData(queues={"q": ["a", "b", "c"]}), {"op": "queue_move", "name": "q", "id": "c", "position": position})
    assert data.queues["q"] == expected


def test_queue_move_of_a_paper_another_process_removed_is_a_no_op() -> None:
    data = run(StateData(queues={"q": ["a", "b"]}), {"op": "queue_move", "name": "q", "id": "gone", "position": 0})
    assert data.queues["q"] == ["a", "b"]


def test_queue_rename_keeps_order_and_never_overwrites() -> None:
    data = run(StateData(queues={"one": ["a"], "two": ["b"], "three": []}), {"op": "queue_rename", "old": "two", "new": "deux"})
    assert list(data.queues) == ["one", "deux", "three"]
    assert data.queues["deux"] == ["b"]
    run(data, {"op": "queue_rename", "old": "one", "new": "three"})
    assert data.queues == {"one": ["a"], "deux": ["b"], "three": []}


def test_undo_history_is_capped_and_popped_by_uid() -> None:
    data = StateData()
    for i in range(UNDO_LIMIT + 25):
        apply(data, {"op": "undo_push", "entry": {"uid": f"u{i}", "label": str(i), "changes": []}})
    assert len(data.undo) == UNDO_LIMIT
    assert data.undo[0]["uid"] == "u25"
    apply(data, {"op": "undo_pop", "uid": "u100"})
    assert "u100" not in {e["uid"] for e in data.undo}
    assert len(data.undo) == UNDO_LIMIT - 1
    apply(data, {"op": "undo_pop", "uid": "not-there"})
    assert len(data.undo) == UNDO_LIMIT - 1


def test_rekey_moves_status_and_queue_entries() -> None:
    data = StateData(status={"t-old": ("starred", AT)}, queues={"q": ["x", "t-old", "y"], "r": ["t-old", "new"]})
    apply(data, {"op": "rekey", "old": "t-old", "new": "new"})
    assert data.status == {"new": ("starred", AT)}
    assert data.queues == {"q": ["x", "new", "y"], "r": ["new"]}


def test_rekey_keeps_a_status_the_new_id_already_has() -> None:
    data = StateData(status={"t-old": ("skipped", AT), "new": ("starred", AT)})
    apply(data, {"op": "rekey", "old": "t-old", "new": "new"})
    assert data.status == {"new": ("starred", AT)}


def test_meta_and_unknown_ops() -> None:
    data = run(StateData(), {"op": "meta", "key": "k", "value": [1, 2]}, {"op": "from-the-future", "x": 1})
    assert data.meta == {"k": [1, 2]}


def test_from_tables_ignores_what_it_does_not_understand() -> None:
    data = StateData.from_tables(
        {
            "status": [
                {"id": "a", "status": "read", "changed": AT},
                {"id": "b", "status": "bogus"},
                {"id": 3, "status": "read"},
                {"id": "c", "status": "new"},
            ],
            "queues": [{"name": "q", "ids": ["a", 5, "b"]}, {"name": "bad", "ids": "a,b"}, {"ids": []}],
            "undo": [{"uid": "u", "changes": []}, {"uid": "v"}],
            "meta": [{"key": "k", "value": 1}, {"value": 2}],
        }
    )
    assert data.status == {"a": ("read", AT)}
    assert data.queues == {"q": ["a", "b"]}
    assert [e["uid"] for e in data.undo] == ["u"]
    assert data.meta == {"k": 1}


def test_copy_is_deep_enough_to_mutate() -> None:
    original = StateData(status={"a": ("read", AT)}, queues={"q": ["a"]}, meta={"m": {"x": [1]}})
    clone = original.copy()
    apply(clone, {"op": "queue_add", "name": "q", "ids": ["b"]})
    apply(clone, {"op": "status", "id": "a", "status": "new", "at": AT})
    clone.meta["m"]["x"].append(2)
    assert original.queues == {"q": ["a"]}
    assert original.status == {"a": ("read", AT)}
    assert original.meta == {"m": {"x": [1]}}


def test_two_sides_replayed_on_each_other_give_the_union() -> None:
    """What flush does: the later writer re-applies its ops on the earlier writer's result."""
    base = StateData(queues={"q": ["p0"]})
    side_a = [{"op": "status", "id": f"a{i}", "status": "starred", "at": AT} for i in range(10)]
    side_a += [{"op": "queue_add", "name": "q", "ids": ["a1", "a2"]}]
    side_b = [{"op": "status", "id": f"b{i}", "status": "skipped", "at": AT} for i in range(7)]
    side_b += [{"op": "queue_add", "name": "q", "ids": ["b1"]}, {"op": "queue_move", "name": "q", "id": "b1", "position": 0}]
    on_disk = run(base.copy(), *side_a)
    merged = run(on_disk, *side_b)
    assert sum(s == "starred" for s, _ in merged.status.values()) == 10
    assert sum(s == "skipped" for s, _ in merged.status.values()) == 7
    assert merged.queues["q"] == ["b1", "p0", "a1", "a2"]


@pytest.mark.parametrize("name", ["to-read", "ml_2024", "v1.2", "Ünïcode"])
def test_good_queue_names(name: str) -> None:
    assert check_queue_name(f"  {name} ") == name


@pytest.mark.parametrize(
    ("name", "reason"), [("", "empty"), ("   ", "empty"), ("a b", "letters"), ("in:x", "letters"), ("x" * 41, "too long")]
)
def test_bad_queue_names(name: str, reason: str) -> None:
    with pytest.raises(QueueError, match=reason):
        check_queue_name(name)


_ids = st.sampled_from(["a", "b", "c", "d", "e"])
_names = st.sampled_from(["q", "r", "s"])
_ops = st.one_of(
    st.builds(lambda i, s: {"op": "status", "id": i, "status": s, "at": AT}, _ids, st.sampled_from([s.value for s in Status])),
    st.builds(lambda n, ids: {"op": "queue_set", "name": n, "ids": ids}, _names, st.none() | st.lists(_ids, max_size=6)),
    st.builds(lambda n, ids: {"op": "queue_add", "name": n, "ids": ids}, _names, st.lists(_ids, max_size=4)),
    st.builds(lambda n, ids: {"op": "queue_remove", "name": n, "ids": ids}, _names, st.lists(_ids, max_size=4)),
    st.builds(lambda n, i, p: {"op": "queue_move", "name": n, "id": i, "position": p}, _names, _ids, st.integers(-3, 8)),
    st.builds(lambda o, n: {"op": "queue_rename", "old": o, "new": n}, _names, _names),
    st.builds(lambda k, v: {"op": "meta", "key": k, "value": v}, st.sampled_from(["x", "y"]), st.integers() | st.text(max_size=5)),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ops, max_size=30))
def test_any_op_sequence_round_trips_through_the_file_layout(ops: list[dict[str, Any]]) -> None:
    data = run(StateData(), *ops)
    again = StateData.from_tables(data.to_tables())
    assert again.status == data.status
    assert again.queues == data.queues
    assert list(again.queues) == list(data.queues)
    assert again.meta == data.meta
    for ids in data.queues.values():
        assert len(ids) == len(set(ids))
