"""The team page's forms: answers, edits, the facilitator's lock, CSRF, codes, size and rate limits."""

from __future__ import annotations

import json

import pytest

from ttx.room.limits import MAX_BODY, MAX_TEXT, POSTS_PER_MINUTE
from ttx.session.actions import AcceptRoomAnswer, CommandError, EnterMove, LockRoomAnswers, Undo

from .helpers import Room, csrf, new_session, shown_text


def _answer(**fields: object) -> dict[str, object]:
    return {
        "decision_id": "opening",
        "option_id": "partner",
        "rationale": "a joint cell works",
        **fields,
    }


def _started(record: bool = False) -> Room:
    session = new_session("demo")
    session.apply(EnterMove())
    return Room(session, record=record)


def test_an_answer_is_a_proposal_until_the_facilitator_accepts_it_then_it_is_locked() -> None:
    room = _started()
    client = room.client("us")
    token = csrf(client)
    sent = client.post("/team/answer", json=_answer(), headers={"X-CSRF-Token": token})
    assert sent.status_code == 200 and sent.json()["ok"]
    state = room.session.state
    assert state.room_answer("opening", "us") is not None
    assert "opening" not in state.decisions or "us" not in state.decisions["opening"].records
    assert "submitted from the room" in state.timeline[-1].text
    edited = client.post(
        "/team/answer", json=_answer(option_id="pressure"), headers={"X-CSRF-Token": token}
    )
    assert edited.json()["ok"]
    assert room.session.state.room_answer("opening", "us").option_id == "pressure"  # type: ignore[union-attr]
    room.session.apply(AcceptRoomAnswer(decision_id="opening", team_id="us"))
    room.publish()
    assert room.session.state.decisions["opening"].records["us"].option_id == "pressure"
    page = shown_text(client.get("/team").text)
    assert "Recorded by the facilitator; it can no longer be changed." in page
    late = client.post("/team/answer", json=_answer(), headers={"X-CSRF-Token": token})
    assert late.status_code == 422 and "can no longer be changed" in late.json()["message"]
    room.session.close()


def test_recording_directly_records_the_decision_in_the_same_action() -> None:
    room = _started(record=True)
    client = room.client("us")
    sent = client.post(
        "/team/answer", json=_answer(option_id="pressure"), headers={"X-CSRF-Token": csrf(client)}
    )
    assert sent.json()["ok"], sent.text
    record = room.session.state.decisions["opening"].records["us"]
    assert record.option_id == "pressure" and record.rationale == "a joint cell works"
    room.session.close()


def test_recording_directly_a_team_may_change_its_answer_until_the_facilitator_locks_it() -> None:
    room = _started(record=True)
    client = room.client("us")
    token = csrf(client)
    assert client.post("/team/answer", json=_answer(), headers={"X-CSRF-Token": token}).json()["ok"]
    page = shown_text(client.get("/team").text)
    assert "Recorded. You may still change it until the facilitator locks it." in page
    room.session.apply(LockRoomAnswers(decision_id="opening"))
    room.publish()
    assert room.session.state.timeline[-1].text.endswith("answers from the room locked")
    page = shown_text(client.get("/team").text)
    assert "Locked by the facilitator; it can no longer be changed." in page
    late = client.post(
        "/team/answer", json=_answer(option_id="pressure"), headers={"X-CSRF-Token": token}
    )
    assert late.status_code == 422 and "can no longer be changed" in late.json()["message"]
    assert room.session.state.decisions["opening"].records["us"].option_id == "partner"
    with pytest.raises(CommandError, match="already closed"):
        room.session.apply(LockRoomAnswers(decision_id="opening"))
    room.session.apply(Undo())  # the facilitator unlocks it again
    room.publish()
    assert "opening" not in room.session.state.room_locked
    again = client.post(
        "/team/answer", json=_answer(option_id="pressure"), headers={"X-CSRF-Token": token}
    )
    assert again.json()["ok"], again.text
    room.session.close()


def test_a_resent_answer_is_saved_once() -> None:
    room = _started()
    client = room.client("us")
    token = csrf(client)
    for _ in range(3):
        response = client.post(
            "/team/answer", json=_answer(submission="page-1"), headers={"X-CSRF-Token": token}
        )
        assert response.json()["ok"]
    kinds = [e.kind for e in room.session.events]
    assert kinds.count("room_answer_submitted") == 1
    # Another device of the team sends a change; the first page, unsure it was heard, resends
    # its older answer: it is already saved, so the change stands.
    newer = _answer(option_id="pressure", submission="page-2")
    assert client.post("/team/answer", json=newer, headers={"X-CSRF-Token": token}).json()["ok"]
    again = client.post(
        "/team/answer", json=_answer(submission="page-1"), headers={"X-CSRF-Token": token}
    )
    assert again.json()["ok"]
    assert room.session.state.room_answer("opening", "us").option_id == "pressure"  # type: ignore[union-attr]
    room.session.close()


def test_forged_or_missing_csrf_tokens_and_foreign_origins_are_refused() -> None:
    room = _started()
    client = room.client("us")
    other = room.client("mexico")
    for headers in ({}, {"X-CSRF-Token": "0" * 64}, {"X-CSRF-Token": csrf(other)}):
        response = client.post("/team/answer", json=_answer(), headers=headers)
        assert response.status_code == 403
    foreign = client.post(
        "/team/answer",
        json=_answer(),
        headers={"X-CSRF-Token": csrf(client), "Origin": "http://evil.example"},
    )
    assert foreign.status_code == 403
    assert room.session.state.room_answers == {}
    room.session.close()


def test_wrong_and_revoked_codes_are_turned_away() -> None:
    room = _started()
    stranger = room.client()
    assert stranger.get("/j/not-a-code").status_code == 403
    assert stranger.get("/team").status_code == 403
    assert stranger.get("/team/view").status_code == 403
    client = room.client("us")
    token = csrf(client)
    del room.codes["us"]
    room.publish()
    assert client.get("/team").status_code == 403
    refused = client.post("/team/answer", json=_answer(), headers={"X-CSRF-Token": token})
    assert refused.status_code == 403
    assert room.session.state.room_answers == {}
    room.session.close()


def test_the_join_link_sets_a_strict_http_only_cookie_and_leaves_the_code_out_of_the_next_page() -> (
    None
):
    room = _started()
    client = room.client()
    response = client.get(f"/j/{room.codes['us']}")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert 'content="0;url=/team"' in response.text
    assert room.codes["us"] not in client.get("/team").text
    room.session.close()


def test_oversized_fields_and_bodies_are_refused_with_a_message() -> None:
    room = _started()
    client = room.client("us")
    token = csrf(client)
    long = client.post(
        "/team/answer",
        json=_answer(rationale="x" * (MAX_TEXT + 1)),
        headers={"X-CSRF-Token": token},
    )
    assert long.status_code == 413 and "keep it under" in long.json()["message"]
    huge = client.post(
        "/team/answer",
        content=json.dumps(_answer(pad="y" * MAX_BODY)),
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
    )
    assert huge.status_code == 413
    many = client.post(
        "/team/answer",
        json=_answer(option_id=None, allocation={f"o{i}": 1 for i in range(100)}),
        headers={"X-CSRF-Token": token},
    )
    assert many.status_code == 413
    assert room.session.state.room_answers == {}
    room.session.close()


def test_a_code_that_sends_too_fast_is_slowed_down() -> None:
    room = _started()
    client = room.client("us")
    token = csrf(client)
    statuses = [
        client.post(
            "/team/answer", json={"decision_id": "x"}, headers={"X-CSRF-Token": token}
        ).status_code
        for _ in range(POSTS_PER_MINUTE + 5)
    ]
    assert 429 in statuses and statuses.index(429) >= POSTS_PER_MINUTE
    other = room.client("mexico")  # another team's code has its own allowance
    assert (
        other.post(
            "/team/answer", json=_answer(), headers={"X-CSRF-Token": csrf(other)}
        ).status_code
        != 429
    )
    room.session.close()


def test_what_teams_type_is_escaped_everywhere() -> None:
    room = _started(record=True)
    client = room.client("us")
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    sent = client.post(
        "/team/answer", json=_answer(rationale=evil), headers={"X-CSRF-Token": csrf(client)}
    )
    assert sent.json()["ok"]
    room.publish()
    for route in ("/team", "/team/view"):
        body = client.get(route).text
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "alert(1)" in body  # shown, as text
    room.session.close()


def test_the_projector_counts_answers_but_never_shows_them() -> None:
    room = _started()
    room.session.apply(EnterMove())  # move 2: a decision every team answers
    room.publish()
    client = room.client("us")
    decision = room.session.state.exercise.move(room.session.state.current_move or "").decisions[0]
    answer = {
        "decision_id": decision.id,
        "option_id": decision.options[0].id,
        "rationale": "our secret reasoning",
    }
    sent = client.post("/team/answer", json=answer, headers={"X-CSRF-Token": csrf(client)})
    assert sent.json()["ok"], sent.text
    projector = shown_text(room.client().get("/projector/view").text)
    assert "1 of 2 teams have answered" in projector
    assert "our secret reasoning" not in projector
    room.session.close()


def test_pages_carry_a_strict_content_security_policy() -> None:
    room = _started()
    response = room.client("us").get("/team")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    room.session.close()


def test_an_allocation_is_checked_like_the_facilitators_and_its_form_has_a_live_sum() -> None:
    session = new_session("toolbox-test")
    session.apply(EnterMove())
    room = Room(session, record=True)
    team = next(iter(room.codes))
    client = room.client(team)
    page = client.get("/team").text
    assert 'data-kind="allocation"' in page and 'data-budget="10"' in page
    assert "Placed: <output" in page
    decision = session.exercise.move("portfolio").decisions[0]
    first, second = decision.options[0].id, decision.options[1].id
    over = client.post(
        "/team/answer",
        json={
            "decision_id": "portfolio",
            "allocation": {o.id: o.max or 10 for o in decision.options},
            "rationale": "goal",
        },
        headers={"X-CSRF-Token": csrf(client)},
    )
    assert over.status_code == 422 and "budget" in over.json()["message"]
    cap = decision.options[0].max or 1
    good = client.post(
        "/team/answer",
        json={
            "decision_id": "portfolio",
            "allocation": {first: min(cap, 2), second: 1},
            "rationale": "goal",
        },
        headers={"X-CSRF-Token": csrf(client)},
    )
    assert good.status_code == 200, good.text
    assert session.state.decisions["portfolio"].records[team].allocation == {
        first: min(cap, 2),
        second: 1,
    }
    session.close()


def test_the_anonymous_feedback_form_opens_in_the_hot_wash_and_keeps_no_team() -> None:
    room = _started()
    client = room.client("mexico")
    early = client.post(
        "/team/feedback", json={"strengths": "x"}, headers={"X-CSRF-Token": csrf(client)}
    )
    assert early.status_code == 422 and "hot wash" in early.json()["message"]
    while room.session.state.status == "running":
        room.session.apply(EnterMove())
    room.publish()
    page = client.get("/team").text
    assert "Anonymous feedback" in page and 'name="rating-0"' in page
    sent = client.post(
        "/team/feedback",
        json={
            "ratings": {"0": 5, "1": 2},
            "strengths": "the map",
            "improvements": "more time",
            "submission": "f1",
        },
        headers={"X-CSRF-Token": csrf(client)},
    )
    assert sent.status_code == 200, sent.text
    feedback = room.session.state.room_feedback
    assert len(feedback) == 1 and feedback[0].ratings == {"0": 5, "1": 2}
    event = room.session.events[-1]
    assert event.kind == "room_feedback_given" and "mexico" not in event.model_dump_json()
    bad = client.post(
        "/team/feedback", json={"ratings": {"0": 9}}, headers={"X-CSRF-Token": csrf(client)}
    )
    assert bad.status_code == 422 and "1 to 5" in bad.json()["message"]
    room.session.close()
