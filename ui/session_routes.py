"""The console's own HTTP routes, beside Streamlit's: trade a sign-in ticket for a cookie.

Mounted by :mod:`ui.server` (what ``crisiscell ui`` serves). ``POST /auth/remember``
takes a one-time ticket (:mod:`agent.auth.remember`) and answers with the session as an
``HttpOnly; SameSite=Strict`` cookie (``Secure`` over HTTPS); ``POST /auth/forget``
clears it. Neither reveals anything: both answer 204, or 400 for a bad ticket.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agent.auth.remember import COOKIE, TICKETS
from agent.auth.session import idle_timeout_s

MAX_BODY = 256


def _secure(request: Request) -> bool:
    """Whether the browser reached us over HTTPS (directly or through a proxy that says so)."""
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


async def remember(request: Request) -> Response:
    """Set the session cookie for a valid ticket; a spent or unknown one gets nothing."""
    body = (await request.body())[:MAX_BODY].decode("ascii", errors="ignore").strip()
    token = TICKETS.redeem(body) if body else None
    if token is None:
        return Response(status_code=400)
    response = Response(status_code=204)
    response.set_cookie(
        COOKIE, token, max_age=int(idle_timeout_s()), path="/", httponly=True,
        samesite="strict", secure=_secure(request),
    )
    return response


async def forget(request: Request) -> Response:
    """Clear the session cookie (the session itself is revoked by the sign-out)."""
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict",
                           secure=_secure(request))
    return response


ROUTES = [
    Route("/auth/remember", remember, methods=["POST"]),
    Route("/auth/forget", forget, methods=["POST"]),
]
