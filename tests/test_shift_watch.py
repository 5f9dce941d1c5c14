"""The check that a walk by next links may have missed a message: a resource whose id a
portal sends as another type (a list, an object) must not end the pull."""

from __future__ import annotations

from datetime import UTC, datetime

from workbench.services.sync_pages import ShiftWatch

BEGAN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def resource(rid, version="1", updated="2026-12-01T08:00:00Z"):
    return {"resourceType": "Communication", "id": rid,
            "meta": {"versionId": version, "lastUpdated": updated}}


def test_an_id_of_another_type_is_passed_over_and_the_walk_still_judged():
    watch = ShiftWatch()
    watch.page([resource("a"), resource(["not", "an", "id"]), resource({"id": "b"})], BEGAN, 3,
               by_link=False)
    watch.page([resource("c", version="2", updated="2026-12-01T09:30:00Z")], BEGAN, 3,
               by_link=True)
    assert watch.may_have_skipped()  # "c" changed after the walk began


def test_a_total_that_dropped_means_the_list_is_read_again():
    watch = ShiftWatch()
    watch.page([resource("a"), resource("b")], BEGAN, 4, by_link=False)
    watch.page([resource("d")], BEGAN, 3, by_link=True)  # one was taken off the list
    assert watch.may_have_skipped()
    quiet = ShiftWatch()
    quiet.page([resource("a"), resource("b")], BEGAN, 3, by_link=False)
    quiet.page([resource("c")], BEGAN, 3, by_link=True)
    assert not quiet.may_have_skipped()
