"""The room: teams answer from their own devices, served by the laptop that holds the session.

- `codes`: each team's join code, kept beside the journal (never in it);
- `address`: the laptop's address on the local network, found without sending a packet;
- `views`: what each team's page and the projector page may show, built by the holder from
  the participant views (`ttx.report.participant`, `ttx.session.room`);
- `submissions`: what a page sends, turned into session commands by the holder;
- `limits`: the size and rate limits every request meets;
- `web`: the Starlette app (team pages, projector page, static files);
- `process`: the web server's own process (uvicorn), so the console never waits on it;
- `server`: `RoomServer`, the holder's handle on that process (start, stop, URLs, codes).

The process that holds the session is the journal's only writer: the web server forwards
each submission to it and answers the browser only once the events are committed.
"""
