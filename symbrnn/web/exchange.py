"""How the server reads a request (bounded) and says an error (one line, in the page's
language)."""

from __future__ import annotations

import json

from symbrnn.errors import SymbrnnError
from symbrnn.web.messages import RequestError, field, say

MAX_BODY = 10_000  # bytes of a request body


def error_response(exc, lang: str):
    """One line in the page's language, and where in the answer when it is known."""
    from starlette.responses import JSONResponse

    from symbrnn.judge.messages import JudgeError

    status, position = getattr(exc, "status", 400), getattr(exc, "position", None)
    if isinstance(exc, RequestError):
        text = exc.text(lang)
    elif isinstance(exc, JudgeError):
        text = exc.text(lang, field)
        position = exc.params.get("pos", position)
    elif lang == "en":
        text = exc.speak(field) if isinstance(exc, SymbrnnError) else str(exc)
    else:  # an error of a lower layer, said in English only: not on a French page
        text = say("web.refused", lang)
    return JSONResponse(
        {"error": text.splitlines()[0][:500] if text else "", "position": position},
        status_code=status,
    )


async def body_json(request) -> dict:
    """The JSON object of a request's body, read within MAX_BODY bytes."""
    size = request.headers.get("content-length")
    if size is not None and (not size.isdigit() or int(size) > MAX_BODY):
        raise RequestError("web.body_size", 413, limit=f"{MAX_BODY:,}")
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            raise RequestError("web.body_size", 413, limit=f"{MAX_BODY:,}")
    try:
        data = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise RequestError("web.body_json") from None
    if not isinstance(data, dict):
        raise RequestError("web.body_object")
    return data


async def query(request):
    """The query of a request, within MAX_BODY characters."""
    if len(str(request.url.query)) > MAX_BODY:
        raise RequestError("web.query_size", 414, limit=f"{MAX_BODY:,}")
    return request.query_params
