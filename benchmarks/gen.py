"""Generated exercises of a chosen size, for benchmarks."""

from __future__ import annotations

from typing import Any

import yaml

WORDS = [
    "policy",
    "partner",
    "trust",
    "border",
    "finance",
    "retaliation",
    "oversight",
    "authority",
    "cooperation",
    "sovereignty",
    "interdiction",
    "evidence",
    "mandate",
    "budget",
    "risk",
]


def text(n: int, seed: int) -> str:
    """`n` words of filler text, deterministic for a seed."""
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(n))


def exercise(
    teams: int = 4,
    moves: int = 4,
    injects: int = 5,
    decisions: int = 2,
    options: int = 4,
    words: int = 40,
) -> dict[str, Any]:
    """A valid exercise with the given counts, as plain data."""
    team_ids = [f"team_{i}" for i in range(teams)]
    ex: dict[str, Any] = {
        "format": 1,
        "id": "generated",
        "title": "Generated exercise",
        "date": "2026-01-01",
        "summary": text(words, 1),
        "duration_minutes": 30 * moves,
        "objectives": [
            {"id": "obj_a", "text": "Objective A"},
            {"id": "obj_b", "text": "Objective B"},
        ],
        "sources": [{"id": "src", "title": "A source", "publisher": "Somebody"}],
        "state": [{"id": "trust", "label": "Trust", "min": 0, "max": 5, "start": 3}],
        "teams": [
            {
                "id": t,
                "name": f"Team {i}",
                "briefing": text(words, i),
                "roles": [{"title": f"Role {r}", "brief": text(10, r)} for r in range(3)],
            }
            for i, t in enumerate(team_ids)
        ],
        "moves": [],
        "evaluation": {
            "criteria": [
                {"id": "c_a", "objective": "obj_a", "text": "A"},
                {"id": "c_b", "objective": "obj_b", "text": "B"},
            ]
        },
    }
    for m in range(moves):
        ex["moves"].append(
            {
                "id": f"m{m}",
                "title": f"Move {m}",
                "scenario_time": f"Month {m}",
                "minutes": 30,
                "narrative": text(words, m),
                "facilitator_notes": text(words, m + 1),
                "expected_points": [text(12, m + k) for k in range(3)],
                "sources": ["src"],
                "injects": [
                    {
                        "id": f"m{m}_i{i}",
                        "title": f"Inject {i}",
                        "at": i * 3,
                        "from": "Desk",
                        "medium": "cable",
                        "to": "all" if i % 2 else [team_ids[i % teams]],
                        "body": text(words, m * 10 + i),
                        "sources": ["src"],
                    }
                    for i in range(injects)
                ],
                "questions": [{"text": text(15, m), "objectives": ["obj_a", "obj_b"]}],
                "decisions": [
                    {
                        "id": f"m{m}_d{d}",
                        "prompt": text(12, d),
                        "resolve": "majority",
                        "objectives": ["obj_a"],
                        "options": [
                            {
                                "id": f"o{o}",
                                "label": f"Option {o}",
                                "detail": text(20, o),
                                "cost": text(8, o),
                                "consequence": text(20, o + 1),
                                "effects": {"trust": 1 if o % 2 else -1},
                            }
                            for o in range(options)
                        ],
                    }
                    for d in range(decisions)
                ],
            }
        )
    return ex


def exercise_of_bytes(target: int) -> str:
    """YAML text of a valid exercise of about `target` bytes."""
    moves = 1
    while True:
        text_ = yaml.safe_dump(exercise(moves=moves), sort_keys=False, allow_unicode=True)
        if len(text_) >= target:
            return text_
        moves = max(moves + 1, int(moves * target / len(text_)))
