"""The web server's copy of the session (`ttx.room.follow`): it reads what the holder commits."""

from __future__ import annotations

import json

from ttx.paths import sessions_db
from ttx.room.follow import Follower
from ttx.service.presenting import set_revealed
from ttx.session.actions import EnterMove, RecordDecision, ReleaseInject

from .helpers import new_session


def test_the_copy_follows_the_holders_commits_and_the_revealed_answers() -> None:
    holder = new_session("demo", session_id="followed")
    holder.apply(EnterMove())
    follower = Follower(sessions_db(), "followed")
    try:
        follower.changed(record=False, teams=["us", "mexico"])
        assert follower.catch_up()  # asked to: the first views
        assert not follower.catch_up()  # nothing new since: no rebuild
        first = follower.message()
        assert set(first["teams"]) == {"us", "mexico"}
        assert "An offer, with a red line" not in json.dumps(first["teams"]["us"])

        holder.apply(ReleaseInject(inject_id="offer_cable"))  # committed by the holder only
        assert follower.catch_up()
        assert "An offer, with a red line" in json.dumps(follower.message()["teams"]["us"])

        holder.apply(EnterMove())  # move 2 puts its decision to every team
        for team in ("us", "mexico"):
            holder.apply(
                RecordDecision(
                    decision_id="next_step", team_id=team, option_id="deepen", rationale="r"
                )
            )
        assert follower.catch_up()
        projector = follower.message()["projector"]
        assert projector["decisions"][0]["answered"] == 2
        assert projector["decisions"][0]["answers"] == []  # not revealed yet
        set_revealed(sessions_db(), "followed", frozenset({"next_step"}))  # as `v` does
        assert follower.catch_up()
        answers = follower.message()["projector"]["decisions"][0]["answers"]
        assert [team for team, _ in answers] == [
            "US National Security Council",
            "Government of Mexico security cabinet",
        ]
        follower.changed(teams=["mexico"])  # us's code revoked: its page is no longer built
        assert follower.catch_up()
        assert set(follower.message()["teams"]) == {"mexico"}
    finally:
        follower.close()
        holder.close()
