"""Sharing out one pool of units (format 2): merging proposals, and settling requests.

`largest_remainder` merges the teams' proposals for a split (`resolve: largest_remainder`);
`pro_rata` settles the teams' requests from a contested pool (`resolve: pro_rata`).
In both, no unit vanishes.

Merging proposals:
Each option's share is the mean of the proposals; every option first gets the whole
part of its share, and the units left over go one each to the options with the largest
fractional parts (ties: the option listed first). So no unit vanishes: the outcome spends
exactly the mean of what the proposals spent, rounded to a whole unit (half up) — the
whole pool whenever every proposal spends it all. Per-option caps (`max`) are kept:
a unit an option cannot take goes to the next largest remainder.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction


def largest_remainder(
    proposals: Sequence[Mapping[str, int]],
    options: Sequence[str],
    caps: Mapping[str, int | None] | None = None,
) -> dict[str, int]:
    """The merged split of the proposals over `options` (every option present, in order)."""
    if not proposals:
        return {o: 0 for o in options}
    count = len(proposals)
    shares = {o: Fraction(sum(int(p.get(o, 0)) for p in proposals), count) for o in options}
    spent = sum(shares.values(), Fraction(0))
    target = int(spent + Fraction(1, 2))  # the mean spent, half up
    caps = caps or {}
    result = {o: int(shares[o]) for o in options}
    left = target - sum(result.values())
    order = sorted(options, key=lambda o: (-(shares[o] - int(shares[o])), options.index(o)))
    while left > 0:
        taken = False
        for option in order:
            cap = caps.get(option)
            if cap is None or result[option] < cap:
                result[option] += 1
                left -= 1
                taken = True
                if left == 0:
                    break
        if not taken:  # every option is at its cap: nothing more can be placed
            break
    return result


def pro_rata(
    requests: Mapping[str, Mapping[str, int]], total: int, teams: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Each team's grant from a contested pool of `total` units, option by option.

    Requests that fit the pool are granted as they are. Otherwise every (team, option)
    request is scaled by total / requested: each gets the whole part of its share, and
    the units left go one each to the largest fractional parts (ties: the team, then the
    option listed first). Units in = units out: the grants add up to exactly
    min(total, everything requested), and no grant exceeds its request.
    """
    cells = [
        (team, option, int(points))
        for team in teams
        for option, points in requests.get(team, {}).items()
    ]
    requested = sum(points for _, _, points in cells)
    grants: dict[str, dict[str, int]] = {team: {} for team in teams}
    if requested <= total:
        for team, option, points in cells:
            grants[team][option] = points
        return grants
    shares = [Fraction(points * total, requested) for _, _, points in cells]
    whole = [int(share) for share in shares]
    left = total - sum(whole)
    order = sorted(range(len(cells)), key=lambda i: (-(shares[i] - whole[i]), i))
    for index in order[:left]:
        whole[index] += 1
    for (team, option, _), points in zip(cells, whole, strict=True):
        grants[team][option] = points
    return grants
