"""A TD session on the local web page: ``symbrnn serve --class --session FILE --roster CSV``.

The class-mode server (``web.app``), with a session's routes in front of it:

- ``/s/TOKEN``: a student's page (their variant, the questions, a check per question),
  ``/s/TOKEN/api/question`` and ``/s/TOKEN/api/check`` (stored before it is answered);
- ``/t/TOKEN``: the teacher's live dashboard, ``/t/TOKEN/api/dashboard`` its JSON,
  ``/t/TOKEN/links`` the printable page of the students' links (with QR codes).

A token is the whole authority: a student's opens their page only, the teacher's (printed
at start, never in a student's page) the dashboard. A wrong or missing token is one 403;
each token has its rate limit; bodies are bounded; the session file is never served.
"""

from __future__ import annotations

import contextlib
import threading
import time

from symbrnn.errors import LANGS, SymbrnnError
from symbrnn.web.exchange import body_json, query
from symbrnn.web.messages import RequestError
from symbrnn.web.session_store import SessionStore

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


class RateLimit:
    """A bucket of ``burst`` requests per token, refilled at ``rate`` a second."""

    def __init__(self, burst: float = 40, rate: float = 2.0):
        self.burst, self.rate = burst, rate
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def allow(self, token: str) -> bool:
        now = time.monotonic()
        with self.lock:
            level, then = self.buckets.get(token, (self.burst, now))
            level = min(self.burst, level + (now - then) * self.rate)
            if level < 1:
                self.buckets[token] = (level, now)
                return False
            self.buckets[token] = (level - 1, now)
            return True


def _lang(params) -> str:
    lang = params.get("lang", "fr") if hasattr(params, "get") else "fr"
    return lang if lang in LANGS else "fr"


def _text(exc, lang: str) -> str:
    """One line in the page's language."""
    from symbrnn.judge.messages import JudgeError
    from symbrnn.web.messages import field, say

    if isinstance(exc, RequestError):
        text = exc.text(lang)
    elif isinstance(exc, JudgeError):
        text = exc.text(lang, field)
    elif lang == "en":
        text = str(exc)
    else:
        text = say("web.refused", lang)
    return (text.splitlines() or [""])[0][:500]


def create_session_app(store: SessionStore, warm: bool = False, limit: RateLimit | None = None):
    """The class-mode application with the session's routes in front (see the module)."""
    import anyio.to_thread
    import jinja2
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse
    from starlette.routing import Mount, Route

    from symbrnn.web import session_views as views
    from symbrnn.web.app import create_app
    from symbrnn.web.messages import say, session_words

    inner = create_app(class_mode=True, warm=warm)
    limit = limit or RateLimit()
    pages = jinja2.Environment(
        loader=jinja2.PackageLoader("symbrnn.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app):
        async with inner.router.lifespan_context(inner):
            yield

    def forbidden(request, as_json: bool):
        lang = _lang(request.query_params)
        if as_json:
            return JSONResponse({"error": say("web.forbidden", lang)}, 403, headers=PRIVATE)
        return HTMLResponse(
            pages.get_template("session_forbidden.html").render(
                lang=lang, w=session_words(lang), text=say("web.forbidden", lang)
            ),
            403,
            headers=PRIVATE,
        )

    def who(request, teacher: bool):
        token = request.path_params.get("token", "")
        if teacher:
            return "teacher" if store.is_teacher(token) else None
        return store.student_by_token(token)

    def guarded(work, teacher=False, as_json=True, read=None):
        async def endpoint(request):
            lang = _lang(request.query_params)
            person = who(request, teacher)
            if person is None:
                return forbidden(request, as_json)
            if not limit.allow(request.path_params["token"]):
                return JSONResponse({"error": say("web.too_fast", lang)}, 429, headers=PRIVATE)
            try:
                params = await query(request)
                data = await read(request) if read else dict(params)
                lang = _lang(data) if read else lang
                out = await anyio.to_thread.run_sync(
                    work, request, person, data, lang, abandon_on_cancel=True
                )
            except SymbrnnError as exc:
                status = getattr(exc, "status", 400)
                return JSONResponse({"error": _text(exc, lang)}, status, headers=PRIVATE)
            except (MemoryError, RecursionError):
                error = RequestError("web.too_much", 413)
                return JSONResponse({"error": _text(error, lang)}, 413, headers=PRIVATE)
            if isinstance(out, str):
                return HTMLResponse(out, headers=PRIVATE)
            return JSONResponse(out, headers=PRIVATE)

        return endpoint

    def render(template, request, lang, **context):
        return pages.get_template(template).render(lang=lang, w=session_words(lang), **context)

    def student_page(request, student, data, lang):
        return render(
            "session_student.html",
            request,
            lang,
            name=student.name,
            seed=student.seed,
            questions=views.questions(),
        )

    def dashboard_page(request, _, data, lang):
        return render("session_dashboard.html", request, lang)

    def links_page(request, _, data, lang):
        from symbrnn.web.session_links import links

        base = str(request.base_url).rstrip("/")
        return render("session_links.html", request, lang, students=links(store, base))

    def bad_token(request):
        return forbidden(request, request.url.path.rstrip("/").count("/") > 2)

    routes = [
        Route("/s/{token}", guarded(student_page, as_json=False)),
        Route(
            "/s/{token}/api/question",
            guarded(lambda r, s, d, lang: views.question_of(s, d, lang)),
        ),
        Route(
            "/s/{token}/api/check",
            guarded(lambda r, s, d, lang: views.submit(store, s, d, lang), read=body_json),
            methods=["POST"],
        ),
        Route("/t/{token}", guarded(dashboard_page, teacher=True, as_json=False)),
        Route(
            "/t/{token}/api/dashboard",
            guarded(lambda r, t, d, lang: views.dashboard(store), teacher=True),
        ),
        Route("/t/{token}/links", guarded(links_page, teacher=True, as_json=False)),
        Route("/s", bad_token),
        Route("/t", bad_token),
        Route("/s/{rest:path}", bad_token),
        Route("/t/{rest:path}", bad_token),
        Mount("/", app=inner),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
