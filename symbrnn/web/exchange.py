"""How the server reads a request (bounded, each field checked), answers the same request
asked together only once, and says an error (one line, in the page's language)."""

from __future__ import annotations

import concurrent.futures
import json
import threading

from symbrnn.errors import LANGS, SymbrnnError
from symbrnn.web.messages import RequestError, field, say

MAX_BODY = 10_000  # bytes of a request body


def lang_of(data, default: str = "fr") -> str:
    """The language a request asks for (``lang``), else ``default``."""
    lang = data.get("lang", default) if hasattr(data, "get") else default
    return lang if lang in LANGS else default


def choice(value, allowed, name):
    """``value`` when it is one of ``allowed``, else a 400 naming the choices."""
    if value not in allowed:
        raise RequestError("web.choice", name=name, choices=", ".join(map(str, allowed)))
    return value


def bounded(value, name, lo, hi, kind=int):
    """A number of a form (``kind`` int or float) from ``lo`` to ``hi``, else a 400."""
    try:
        out = kind(str(value).strip())
    except ValueError:
        out = None
    if out is None or not lo <= out <= hi:
        if name == "T":
            raise RequestError("web.T_range", lo=lo, hi=hi)
        raise RequestError("web.integer" if kind is int else "web.number", name=name, lo=lo, hi=hi)
    return out


def error_line(exc, lang: str) -> str:
    """An error as one line in the page's language (a lower layer's English only in English)."""
    from symbrnn.judge.messages import JudgeError

    if isinstance(exc, RequestError):
        text = exc.text(lang)
    elif isinstance(exc, JudgeError):
        text = exc.text(lang, field)
    elif isinstance(exc, SymbrnnError) and (exc.key is not None or lang == "en"):
        text = exc.text(lang, field)  # an error of the word book, in the page's language
    elif lang == "en":
        text = str(exc)
    else:
        text = say("web.refused", lang)
    return (text.splitlines() or [""])[0][:500]


def error_response(exc, lang: str):
    """The error's line, and where in the answer when it is known."""
    from starlette.responses import JSONResponse

    from symbrnn.judge.messages import JudgeError

    position = getattr(exc, "position", None)
    if isinstance(exc, JudgeError):
        position = exc.params.get("pos", position)
    body = {"error": error_line(exc, lang), "position": position}
    return JSONResponse(body, status_code=getattr(exc, "status", 400))


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


_flights: dict = {}
_flights_lock = threading.Lock()


def once(key, work):
    """``work()``, computed once for the requests that ask the same ``key`` at the same
    time (a class sends the same answer together: one judges it, the others wait for
    its verdict instead of judging it again each)."""
    with _flights_lock:
        flight = _flights.get(key)
        leader = flight is None
        if leader:
            flight = _flights[key] = concurrent.futures.Future()
    if leader:
        try:
            flight.set_result(work())
        except BaseException as exc:
            flight.set_exception(exc)
        finally:
            with _flights_lock:
                del _flights[key]
    return flight.result()
