"""The room's web app (Starlette): team pages, the projector page, static files. No facilitator control.

A device joins with its team's code (`/j/<code>`): the answer sets an HttpOnly,
SameSite=Strict cookie and sends the browser on to `/team`, so the code does not stay in
later addresses. Every team route serves only that team's data, as the holder pushed it
(`Hub.teams`); the projector page serves only `Hub.projector`. Every form carries a CSRF
token (an HMAC of the team's code), every request meets the size and rate limits of
`ttx.room.limits`, and every template escapes (Jinja autoescape).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from ttx.room.limits import (
    MAX_BODY,
    POSTS_PER_MINUTE,
    READS_PER_MINUTE,
    RateLimiter,
    Refused,
    answer_payload,
    feedback_payload,
)

HERE = Path(__file__).resolve().parent
COOKIE = "ttx_room"
CSRF_HEADER = "x-csrf-token"
STATIC = {"room.js": "text/javascript", "room.css": "text/css"}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
Forward = Callable[[str, str, dict[str, Any]], Awaitable[tuple[str, str]]]
"""(kind, team id, payload) → (status "saved" / "refused" / "failed", message), from the holder."""


def _finalize(value: Any) -> Any:
    return "" if value is None else value


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The room's Jinja environment: autoescape on for every template, strict about missing names."""
    return Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: Any) -> str:
    """One of the room's templates, filled."""
    return environment().get_template(template).render(**context)


class Hub:
    """What the web server knows: the codes, each team's view, the projector's view (all pushed by the holder)."""

    def __init__(self, forward: Forward, secret: bytes) -> None:
        self.forward = forward
        self.secret = secret
        self.codes: dict[str, str] = {}
        """join code → team id."""
        self.teams: dict[str, dict[str, Any]] = {}
        self.projector: dict[str, Any] = {}
        self.address = ""
        """The room's address (no code), for the projector page."""
        self.version = 0
        self.published = time.monotonic()
        self.last_request = time.monotonic()
        self.posts = RateLimiter(POSTS_PER_MINUTE)
        self.reads = RateLimiter(READS_PER_MINUTE)
        self.joins = RateLimiter(POSTS_PER_MINUTE)

    def update(self, message: dict[str, Any]) -> None:
        """Take what the holder pushed: views, codes, the address (any of them)."""
        if "codes" in message:
            self.codes = {code: team for team, code in message["codes"].items()}
        if "teams" in message:
            self.teams = message["teams"]
            self.published = time.monotonic()  # when the clocks in the views were read
        if "projector" in message:
            self.projector = message["projector"]
        if "address" in message:
            self.address = message["address"]
        self.version += 1

    def csrf(self, code: str) -> str:
        """The CSRF token of a join code's pages."""
        return hmac.new(self.secret, b"csrf:" + code.encode(), hashlib.sha256).hexdigest()

    def clock(self, data: dict[str, Any]) -> dict[str, Any]:
        """The clock as pushed, brought up to now."""
        clock = dict(data.get("clock") or {})
        if clock.get("running"):
            clock["elapsed"] = clock.get("elapsed", 0) + time.monotonic() - self.published
        return clock


def _secure(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _page(html: str, status: int = 200) -> Response:
    return _secure(HTMLResponse(html, status_code=status))


def _json(data: Any, status: int = 200) -> Response:
    return _secure(JSONResponse(data, status_code=status))


def _problem(title: str, message: str, status: int) -> Response:
    return _page(render("problem.html", title=title, message=message), status)


def _client(request: Request) -> str:
    return request.client.host if request.client is not None else "?"


def team_fragments(hub: Hub, team_id: str) -> dict[str, Any]:
    """A team's view as the page applies it: HTML pieces (escaped by the templates) and the clock."""
    data = hub.teams.get(team_id)
    if data is None:
        return {
            "version": hub.version,
            "status": "closed",
            "content": "",
            "injects": "",
            "decisions": [],
            "feedback": "",
        }
    return {
        "version": hub.version,
        "status": data["status"],
        "clock": hub.clock(data),
        "content": render("team_content.html", v=data),
        "injects": render("team_injects.html", v=data),
        "decisions": [
            {
                "id": d["id"],
                "key": f"{d['id']}:{d['locked']}:{d['sent_seq']}:{d['recorded_seq']}",
                "html": render("team_decision.html", d=d),
            }
            for d in data["decisions"]
        ],
        "feedback": render("team_feedback.html", f=data["feedback"]) if data["feedback"] else "",
    }


def projector_fragments(hub: Hub) -> dict[str, Any]:
    """The projector's view as its page applies it."""
    data = hub.projector
    return {
        "version": hub.version,
        "status": data.get("status", "closed"),
        "clock": hub.clock(data),
        "content": render("projector_content.html", v=data, address=hub.address) if data else "",
    }


def build_app(hub: Hub) -> Starlette:
    """The Starlette app serving `hub`."""

    def team_of(request: Request) -> tuple[str, str] | Response:
        hub.last_request = time.monotonic()
        code = request.cookies.get(COOKIE, "")
        team = hub.codes.get(code) if code else None
        if team is None or team not in hub.teams:
            return _problem(
                "Not joined",
                "This device has no valid join code (it may have been revoked). "
                "Scan your team's card again, or ask the facilitator for a new one.",
                403,
            )
        if not hub.reads.allow(code):
            return _json({"ok": False, "message": "too many requests; wait a minute"}, 429)
        return team, code

    async def landing(request: Request) -> Response:
        hub.last_request = time.monotonic()
        return _page(render("landing.html"))

    async def join(request: Request) -> Response:
        hub.last_request = time.monotonic()
        code = request.path_params.get("code") or request.query_params.get("code", "")
        if not hub.joins.allow(_client(request)):
            return _problem("Too many tries", "Wait a minute, then scan the card again.", 429)
        team = hub.codes.get(code.strip())
        if team is None:
            return _problem(
                "Unknown code",
                "This join code is not valid (mistyped, or revoked by the facilitator). "
                "Check the card, or ask the facilitator for a new one.",
                403,
            )
        response = _page(render("joined.html"))
        response.set_cookie(COOKIE, code.strip(), httponly=True, samesite="strict", path="/")
        return response

    async def team_page(request: Request) -> Response:
        found = team_of(request)
        if isinstance(found, Response):
            return found
        team, code = found
        return _page(
            render(
                "team.html",
                csrf=hub.csrf(code),
                view=team_fragments(hub, team),
                briefing=render("team_briefing.html", v=hub.teams[team]),
                title=hub.teams[team].get("title", ""),
            )
        )

    async def team_view(request: Request) -> Response:
        found = team_of(request)
        if isinstance(found, Response):
            return found
        return _json(team_fragments(hub, found[0]))

    async def projector_page(request: Request) -> Response:
        hub.last_request = time.monotonic()
        if not hub.reads.allow("projector:" + _client(request)):
            return _json({"ok": False, "message": "too many requests"}, 429)
        return _page(render("projector.html", view=projector_fragments(hub)))

    async def projector_view(request: Request) -> Response:
        hub.last_request = time.monotonic()
        if not hub.reads.allow("projector:" + _client(request)):
            return _json({"ok": False, "message": "too many requests"}, 429)
        return _json(projector_fragments(hub))

    async def events(request: Request) -> Response:
        if request.url.path.startswith("/team"):
            found = team_of(request)
            if isinstance(found, Response):
                return found
        elif not hub.reads.allow("projector:" + _client(request)):
            return _json({"ok": False, "message": "too many requests"}, 429)

        async def stream() -> AsyncIterator[str]:
            seen = -1
            quiet = 0.0
            yield "retry: 3000\n\n"
            while True:
                if hub.version != seen:
                    seen = hub.version
                    quiet = 0.0
                    yield f"data: {seen}\n\n"
                await asyncio.sleep(0.25)
                quiet += 0.25
                if quiet >= 15:
                    quiet = 0.0
                    yield ": still here\n\n"

        response = StreamingResponse(stream(), media_type="text/event-stream")
        response.headers["X-Accel-Buffering"] = "no"
        return _secure(response)

    async def submit(request: Request) -> Response:
        found = team_of(request)
        if isinstance(found, Response):
            return found
        team, code = found
        token = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(token, hub.csrf(code)):
            return _json({"ok": False, "message": "the form is out of date; reload the page"}, 403)
        origin = request.headers.get("origin")
        if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
            return _json({"ok": False, "message": "sent from another site; refused"}, 403)
        if not hub.posts.allow(code):
            return _json({"ok": False, "message": "too many submissions; wait a minute"}, 429)
        kind = "feedback" if request.url.path.endswith("/feedback") else "answer"
        try:
            body = await request.body()
            if len(body) > MAX_BODY:
                raise Refused(413, "the answer is too large")
            try:
                raw = json.loads(body)
            except ValueError:
                raise Refused(400, "send the answer as JSON") from None
            payload = feedback_payload(raw) if kind == "feedback" else answer_payload(raw)
        except Refused as refused:
            return _json({"ok": False, "message": str(refused)}, refused.status)
        status, message = await hub.forward(kind, team, payload)
        code_of = {"saved": 200, "refused": 422}.get(status, 503)
        return _json({"ok": status == "saved", "message": message}, code_of)

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return _problem("Not found", "There is no such file.", 404)
        return _secure(FileResponse(HERE / "static" / name, media_type=STATIC[name]))

    async def favicon(request: Request) -> Response:
        return _secure(Response(status_code=204))

    async def not_found(request: Request, exc: Exception) -> Response:
        return _problem("Not found", "There is nothing at this address.", 404)

    async def too_large(request: Request, exc: Exception) -> Response:
        return _json({"ok": False, "message": "the request is too large"}, 413)

    routes = [
        Route("/", landing),
        Route("/join", join),
        Route("/j/{code}", join),
        Route("/team", team_page),
        Route("/team/view", team_view),
        Route("/team/events", events),
        Route("/team/answer", submit, methods=["POST"]),
        Route("/team/feedback", submit, methods=["POST"]),
        Route("/projector", projector_page),
        Route("/projector/view", projector_view),
        Route("/projector/events", events),
        Route("/static/{name}", static),
        Route("/favicon.ico", favicon),
    ]
    return Starlette(
        routes=routes,
        exception_handlers={404: not_found, 413: too_large},
        max_body_size=MAX_BODY,
    )
