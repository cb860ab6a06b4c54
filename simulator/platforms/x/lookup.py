"""`GET /2/users/by/username/:username`: a public user by handle (how competitors are looked up).

A handle maps to a stable numeric user id (`user_id_for`), whose world account answers
`/2/users/:id` and `/2/users/:id/tweets` like any other. A gone handle (`simulator.competitors`:
deleted, suspended or renamed) answers as X does: HTTP 200 with no `data` and one
"Not Found Error" in `errors[]`.
"""

from __future__ import annotations

import hashlib
import re

from simulator.competitors import is_gone
from simulator.platforms.x import api
from simulator.platforms.x import common as c
from simulator.routing import Request, Response

# X allows 15 characters; simulator handles may be longer so the `gone_YYYYMMDD` rule fits in one.
SIM_HANDLE = re.compile(r"^[A-Za-z0-9_]{1,50}$")


def user_id_for(username: str) -> str:
    """The simulated user id of a handle (19 digits at most, as X ids are)."""
    return str(10**17 + int(hashlib.sha1(f"x-user-{username.lower()}".encode()).hexdigest(), 16) % (8 * 10**17))


def by_username(req: Request) -> Response:
    username = req.params["username"]
    if not SIM_HANDLE.match(username):
        return api.invalid("username", [username], f"The `username` query parameter value [{username}] does not "
                                                   "match ^[A-Za-z0-9_]{1,15}$")
    if is_gone(username, req.state.world.now):
        c.note_clock(req)
        if c.caller(req) is None:
            return c.unauthorized()
        return Response(200, {"errors": [{
            "value": username, "detail": f"Could not find user with username: [{username}].",
            "title": "Not Found Error", "resource_type": "user", "parameter": "username",
            "resource_id": username, "type": c.RESOURCE_NOT_FOUND}]}, c.rate_headers(req, "users"))
    answer = api.user(req, user_id_for(username))
    if answer.status == 200 and "data" in (answer.body or {}):
        answer.body["data"]["username"] = username
    return answer
