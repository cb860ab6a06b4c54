"""`GET /rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED` (FINDER).

How a connected member's organizations are discovered after consent: one element per
organization the token's member administers (every organization of a connect grant; the one of a
bootstrap token), offset-paged like every Rest.li collection.
"""

from __future__ import annotations

from simulator.platforms.linkedin import common as c
from simulator.platforms.linkedin.oauth import person_id
from simulator.routing import Request, Response

ROLES = {"ADMINISTRATOR", "DIRECT_SPONSORED_CONTENT_POSTER", "RECRUITING_POSTER", "LEAD_GEN_FORMS_MANAGER",
         "ANALYST", "CURATOR", "CONTENT_ADMINISTRATOR"}
STATES = {"APPROVED", "REQUESTED", "REJECTED", "REVOKED"}


def organization_acls(req: Request) -> Response:
    problem = c.check_version(req)
    if problem is not None:
        return problem
    orgs = c.organizations_of(req)
    if not orgs:
        return c.error(401, "Invalid access token", "INVALID_ACCESS_TOKEN", 65600)
    if req.query.get("q") != "roleAssignee":
        return c.error(400, "Invalid query parameter: q", "ILLEGAL_ARGUMENT")
    role, state = req.query.get("role", "ADMINISTRATOR"), req.query.get("state", "APPROVED")
    if role not in ROLES or state not in STATES:
        return c.error(400, f"Invalid param: role={role}, state={state}", "ILLEGAL_ARGUMENT")
    try:
        start, count = int(req.query.get("start", 0)), int(req.query.get("count", 10))
    except ValueError:
        return c.error(400, "Invalid param: start/count", "ILLEGAL_ARGUMENT")
    grant = req.state.grants.valid(c.PLATFORM, req.bearer)
    person = grant.extra.get("person") if grant is not None else person_id(orgs)
    matching = list(orgs) if (role, state) == ("ADMINISTRATOR", "APPROVED") else []
    elements = [{"organization": c.ORG_PREFIX + org, "role": "ADMINISTRATOR", "state": "APPROVED",
                 "roleAssignee": f"urn:li:person:{person}"} for org in matching[start:start + count]]
    return Response(200, {"paging": c.paging(start, count, len(matching)), "elements": elements})
