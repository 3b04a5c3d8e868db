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

import threading
import time

from symbrnn.errors import SymbrnnError
from symbrnn.web.exchange import body_json, error_line, lang_of, query
from symbrnn.web.messages import RequestError, say, session_words
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
            allowed = level >= 1
            self.buckets[token] = (level - 1 if allowed else level, now)
            return allowed


class _Session:
    """A session's pages behind their tokens: who a token is, its rate limit, the pages."""

    def __init__(self, store: SessionStore, limit: RateLimit):
        from symbrnn.web.app import templates

        self.store, self.limit, self.pages = store, limit, templates()

    def render(self, template: str, lang: str, **context) -> str:
        return self.pages.get_template(template).render(lang=lang, w=session_words(lang), **context)

    def forbidden(self, request, as_json: bool):
        from starlette.responses import HTMLResponse, JSONResponse

        lang = lang_of(request.query_params)
        text = say("web.forbidden", lang)
        if as_json:
            return JSONResponse({"error": text}, 403, headers=PRIVATE)
        page = self.render("session_forbidden.html", lang, text=text)
        return HTMLResponse(page, 403, headers=PRIVATE)

    def who(self, request, teacher: bool):
        token = request.path_params.get("token", "")
        if teacher:
            return "teacher" if self.store.is_teacher(token) else None
        return self.store.student_by_token(token)

    def guarded(self, work, teacher=False, as_json=True, read=None):
        """The endpoint of ``work(request, person, data, lang)``: a token's person only, within
        its rate limit, run in the thread pool; a page (text) or JSON."""
        import anyio.to_thread
        from starlette.responses import HTMLResponse, JSONResponse

        async def endpoint(request):
            lang = lang_of(request.query_params)
            person = self.who(request, teacher)
            if person is None:
                return self.forbidden(request, as_json)
            try:
                if not self.limit.allow(request.path_params["token"]):
                    raise RequestError("web.too_fast", 429)
                params = await query(request)
                data = await read(request) if read else dict(params)
                lang = lang_of(data) if read else lang
                out = await anyio.to_thread.run_sync(
                    work, request, person, data, lang, abandon_on_cancel=True
                )
            except SymbrnnError as exc:
                error = exc
            except (MemoryError, RecursionError):
                error = RequestError("web.too_much", 413)
            else:
                if isinstance(out, str):
                    return HTMLResponse(out, headers=PRIVATE)
                return JSONResponse(out, headers=PRIVATE)
            status = getattr(error, "status", 400)
            return JSONResponse({"error": error_line(error, lang)}, status, headers=PRIVATE)

        return endpoint

    def student_page(self, request, student, data, lang):
        from symbrnn.web.app import questions

        page = "session_student.html"
        return self.render(page, lang, name=student.name, seed=student.seed, questions=questions())

    def links_page(self, request, _, data, lang):
        from symbrnn.web.session_links import links

        base = str(request.base_url).rstrip("/")
        return self.render("session_links.html", lang, students=links(self.store, base))

    def dashboard_page(self, request, _, data, lang):
        return self.render("session_dashboard.html", lang)

    def bad_token(self, request):
        return self.forbidden(request, request.url.path.rstrip("/").count("/") > 2)

    def routes(self) -> list:
        from starlette.routing import Route

        from symbrnn.web import session_views as views

        store, guarded = self.store, self.guarded
        question = guarded(lambda r, s, d, lang: views.question_of(s, d, lang))
        check = guarded(lambda r, s, d, lang: views.submit(store, s, d, lang), read=body_json)
        dashboard = guarded(lambda r, t, d, lang: views.dashboard(store), teacher=True)
        wrong = ("/s", "/t", "/s/{rest:path}", "/t/{rest:path}")
        return [
            Route("/s/{token}", guarded(self.student_page, as_json=False)),
            Route("/s/{token}/api/question", question),
            Route("/s/{token}/api/check", check, methods=["POST"]),
            Route("/t/{token}", guarded(self.dashboard_page, teacher=True, as_json=False)),
            Route("/t/{token}/api/dashboard", dashboard),
            Route("/t/{token}/links", guarded(self.links_page, teacher=True, as_json=False)),
            *(Route(path, self.bad_token) for path in wrong),
        ]


def create_session_app(store: SessionStore, warm: bool = False, limit: RateLimit | None = None):
    """The class-mode application with the session's routes in front (see the module)."""
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from symbrnn.web.app import create_app

    inner = create_app(class_mode=True, warm=warm)
    routes = [*_Session(store, limit or RateLimit()).routes(), Mount("/", app=inner)]
    return Starlette(routes=routes, lifespan=lambda app: inner.router.lifespan_context(inner))
