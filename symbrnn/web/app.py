"""``symbrnn serve``: the checker and the derivations on a local web page (Starlette).

Everything is served from the package (KaTeX is vendored, with its licence): no
request leaves the machine. Endpoints are plain ``def`` functions, run in a thread
pool, so a slow request does not block the others. Nothing of a request reaches an
evaluator: answers go through the same parser as ``symbrnn check``, cells are the
built-in ones only (never a file), sheets are the built-in ones only (never an upload),
bodies and sizes are bounded and beyond the bound the answer is a 4xx with one message.

>>> from starlette.testclient import TestClient
>>> client = TestClient(create_app())
>>> client.post("/api/check", json={"quantity": "dh_2/dh_1", "answer": "Diag(sigma'(a_2)) W"}).json()["outcome"]
'equivalent'
"""

from __future__ import annotations

import contextlib
import functools
import json

from symbrnn.errors import LANGS, SymbrnnError
from symbrnn.io import to_json_value
from symbrnn.judge.question import MAX_SEED
from symbrnn.web.exchange import body_json, error_response, query
from symbrnn.web.messages import RequestError, page_words, say

SHEET = "td5"  # the built-in sheet the page (and a TD session) serves
MAX_T = 50  # steps the explorer expands
PAGES = ("check", "expand", "params", "sheet", "spectral")
FIRST_TERMS = 24  # terms of an expansion rendered at once; the rest as they scroll into view


def cells() -> dict[str, tuple[str, ...]]:
    """The built-in cells the page offers, each with the options it takes (the registry's)."""
    from symbrnn.engine.cells import CELLS

    return {c.name: c.options for c in CELLS.values()}


def activations() -> tuple[str, ...]:
    """The activations the page offers: the engine's table, in its order."""
    from symbrnn.engine.activations import ACTIVATIONS

    return tuple(ACTIVATIONS)


def bounded_activations() -> tuple[str, ...]:
    """The activations with a known γ = sup|φ'| (what the spectral page needs)."""
    from symbrnn.engine import activations

    return activations.bounded_activations()


def _lang(data) -> str:
    """The language of an API answer: the page's (``lang``), else English (as the command
    line speaks)."""
    lang = data.get("lang", "en") if hasattr(data, "get") else "en"
    return lang if lang in LANGS else "en"


def _choice(value, allowed, name):
    if value not in allowed:
        raise RequestError("web.choice", name=name, choices=", ".join(map(str, allowed)))
    return value


def _int(value, name, lo, hi):
    try:
        out = int(str(value).strip())
    except ValueError:
        out = None
    if out is None or not lo <= out <= hi:
        if name == "T":
            raise RequestError("web.T_range", lo=lo, hi=hi)
        raise RequestError("web.integer", name=name, lo=lo, hi=hi)
    return out


def _seed(value):
    return None if value in (None, "") else _int(value, "variant_seed", 0, MAX_SEED)


def _cell_choice(data) -> dict:
    """The cell and its options of a request, read as a class CSV or a sheet's check is."""
    from symbrnn.engine.cells import LEMMA, OPTIONS, chosen_options

    chosen = chosen_options({k: data.get(k) for k in ("cell", *OPTIONS)})
    _choice(chosen["cell"], (*cells(), LEMMA), "cell")  # the lemma: II.1
    _activation(chosen["activation"])
    return chosen


def _cell(data):
    from symbrnn.engine.cells import make_cell

    chosen = _cell_choice(data)
    return make_cell(chosen.pop("cell"), allow_files=False, **chosen)


def _sheet():
    """The served sheet, loaded once (``sheets.load`` keeps it)."""
    from symbrnn.sheets import load

    return load(SHEET)


@functools.cache
def _questions() -> tuple[str, ...]:
    """The checkable questions of the served sheet."""
    return tuple(_sheet().checks)


def _activation(value):
    return None if value is None else _choice(value, activations(), "activation")


def _check_options(data) -> dict:
    """The options of a check: from a sheet question (and its variant), or from the fields."""
    if not isinstance(data, dict):
        raise RequestError("web.body_object")
    answer = data.get("answer")
    if not isinstance(answer, str):
        raise RequestError("web.answer_text")
    question = data.get("question") or None
    if question:
        _choice(str(question), _questions(), "question")
        asked = _sheet().question(str(question), _seed(data.get("variant_seed")))
        data = {**data, "cell": asked.cell, **asked.cell_options, "quantity": asked.quantity}
        data |= {"T": asked.T, "hypothesis": dict(asked.hypothesis) or None}
        data["paths"] = asked.paths or data.get("paths")
    else:
        data = {**data, "hypothesis": None}
    quantity = data.get("quantity")
    if not isinstance(quantity, str) or not quantity:
        raise RequestError("web.quantity_text")
    T = data.get("T")
    hypothesis = data.get("hypothesis")
    return {
        **_cell_choice(data),
        "quantity": quantity[:200],
        "answer": answer,
        "T": None if T in (None, "") else _int(T, "T", 1, 30),
        "paths": _choice(data.get("paths") or "all", ("all", "direct"), "paths"),
        "layout": _choice(
            data.get("layout") or "either", ("numerator", "denominator", "either"), "layout"
        ),
        "hypothesis": tuple(sorted(hypothesis.items())) if hypothesis else None,
    }


def api_check(data: dict) -> dict:
    """The same JSON as ``symbrnn check --format json``, in the page's language.

    A class sends the same answers many times: a verdict is computed once per distinct
    request (the checker is deterministic) and kept in a bounded cache.
    """
    o = _check_options(data)
    return json.loads(_verdict(**o, lang=_lang(data)))


@functools.lru_cache(maxsize=4096)
def _verdict(*, cell, activation, bias, reset_after, lang, hypothesis, **o) -> str:
    from symbrnn.judge.check import check_answer

    verdict = check_answer(
        _cell({"cell": cell, "activation": activation, "bias": bias, "reset_after": reset_after}),
        o["quantity"],
        o["answer"],
        T=o["T"],
        paths=o["paths"],
        layout=o["layout"],
        lang=lang,
        hypothesis=dict(hypothesis) if hypothesis else None,
    )
    return json.dumps(verdict.as_json(), ensure_ascii=False)


def api_read(data: dict) -> dict:
    """What the parser understood, without judging: each step of a derivation as LaTeX
    (``steps``), the last one as ``latex``, and what had to be interpreted (``note``)."""
    from symbrnn.engine.quantity import parse_quantity
    from symbrnn.judge.answer_parser import parse_derivation
    from symbrnn.judge.check import reading_context
    from symbrnn.printing.latex import latex

    lang = _lang(data)
    o = _check_options(data)
    cell = _cell(o)
    try:
        q = parse_quantity(o["quantity"], allow_input=True)
    except SymbrnnError:
        raise RequestError("web.quantity_text") from None
    members = parse_derivation(o["answer"], cell, reading_context(q, o["T"]), q)
    steps = [{"index": m.index, "latex": latex(m.expr)} for m in members]
    notes = [n for m in members for n in m.notes]
    return {
        "latex": steps[-1]["latex"],
        "steps": steps,
        "note": "; ".join(dict.fromkeys(n.text(lang) for n in notes)),
    }


def api_question(params) -> dict:
    """A checkable question of the sheet as the student's variant words it (its LaTeX)."""
    from symbrnn.sheets.render import question_text

    question = _choice(params.get("id", ""), _questions(), "question")
    return question_text(
        SHEET, question, lang=_lang(params), variant_seed=_seed(params.get("variant_seed"))
    )


def api_expand(params) -> str:
    """The same JSON as ``symbrnn expand --format json`` (T at most 50)."""
    from symbrnn.engine.derived import expand
    from symbrnn.engine.quantity import parse_quantity
    from symbrnn.printing.expansion import iter_expansion_json

    cell = _cell(dict(params))
    quantity = params.get("quantity", "dL/dW")[:100]
    try:
        parse_quantity(quantity)
    except SymbrnnError:
        raise RequestError("web.quantity_text") from None
    T = _int(params.get("T", "3"), "T", 1, MAX_T)
    paths = _choice(params.get("paths", "all"), ("all", "direct"), "paths")
    result = expand(cell, quantity, T, paths=paths)
    return "".join(iter_expansion_json(result.expansion, result.params))


def api_spectral(params) -> dict:
    """W scaled by ``scale``: its eigenvalues, singular values, ‖∂h_T/∂h_1‖ for T = 1..N,
    and what they show, said in the page's language (``sentences``). Numeric only, so a
    slider can ask at every move."""
    from symbrnn.web.spectral import spectral_answer

    return spectral_answer(_spectral_inputs(params), _lang(params))


def _spectral_inputs(params) -> tuple:
    from symbrnn.web.spectral import spectral_inputs

    return spectral_inputs(params, _choice, _int, bounded_activations())


# what a class-mode server does not serve at all (what it does serve: web/allowlist.py)
CLASS_PAGES_OFF = ("expand", "params")


def _ticked(value) -> bool:
    """A form's checkbox: ticked sends its value; unticked sends nothing (so: False)."""
    return str(value).lower() in ("1", "true", "on", "yes")


def sheet_tex(params: dict, class_mode: bool = False) -> tuple[str, str]:
    """The LaTeX of the key (``answers=1``) or of the questions alone (the default, and
    always in class mode), in the sheet's language ``sheet_lang`` (else ``lang``), with
    the file name it is downloaded under (without extension)."""
    from symbrnn.sheets.render import render_sheet

    lang = _choice(params.get("sheet_lang") or params.get("lang", "fr"), LANGS, "lang")
    answers = _ticked(params.get("answers", ""))
    if answers and class_mode:
        raise RequestError("web.class_no_key", 403)
    seed = _seed(params.get("variant_seed") or None)
    tex = render_sheet(SHEET, lang=lang, answers=answers, variant_seed=seed)
    name = f"{SHEET}-{lang}{'' if answers else '-questions'}{'' if seed is None else f'-{seed}'}"
    return tex, name


def sheet_file(params, class_mode: bool = False, worker=None) -> tuple[bytes, str, str]:
    """The sheet of :func:`sheet_tex` as .tex or .pdf (``format``); the LaTeX is written in
    ``worker`` when one is given, the PDF compiled here (``pdflatex`` is its own process)."""
    fmt = _choice(params.get("format", "tex"), ("tex", "pdf"), "format")
    params = dict(params)
    tex, name = (
        worker.run(sheet_tex, params, class_mode) if worker else sheet_tex(params, class_mode)
    )
    if fmt == "tex":
        return tex.encode("utf-8"), f"{name}.tex", "application/x-tex"
    from symbrnn.sheets.compile import compile_tex

    return compile_tex(tex, f"{name}.tex"), f"{name}.pdf", "application/pdf"


def _home(request) -> str:
    """The checker, in the language the link asked for (``/?lang=en``); nothing else is kept."""
    lang = request.query_params.get("lang")
    return f"/check?lang={lang}" if lang in LANGS else "/check"


def create_app(class_mode: bool = False, warm: bool = False):
    """The Starlette application (no network access beyond the loopback client).

    In ``class_mode`` (a server open to a class) it never hands out an answer key, an
    expected formula or a derivation: every JSON answer is built from the fields listed
    for its route (``web.allowlist``), /api/sheet serves the questions only, /expand and
    /params are off. ``warm``: the first drawing is made before the first request.
    """
    from starlette.applications import Starlette
    from starlette.responses import RedirectResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from symbrnn.web.lifecycle import Worker
    from symbrnn.web.params import api_params
    from symbrnn.web.spectral import Drawings

    worker, drawings = Worker(), Drawings()

    @contextlib.asynccontextmanager
    async def lifespan(app):
        if warm:  # matplotlib's first drawing costs seconds: not a student's wait
            import anyio.to_thread

            await anyio.to_thread.run_sync(drawings.get, _spectral_inputs({}))
        yield
        worker.close()

    pages = templates()
    answer = functools.partial(_answer, class_mode=class_mode)

    def post(path, fn, name=None):
        return Route(
            path, _guarded(answer(path, fn, name), body_json, class_mode), methods=["POST"]
        )

    def get(path, fn, name=None, respond=None):
        endpoint = respond if respond is not None else answer(path, fn, name)
        return Route(path, _guarded(endpoint, query, class_mode))

    def svg(q):
        return Response(drawings.get(_spectral_inputs(q)), media_type="image/svg+xml")

    routes = [
        Route("/", lambda request: RedirectResponse(_home(request))),
        *(Route(f"/{name}", _page(pages, name, class_mode)) for name in PAGES),
        post("/api/check", api_check),
        post("/api/read", api_read),
        post("/api/params", lambda d: api_params(d, _lang(d)), "params"),
        get("/api/question", api_question),
        get("/api/expand", None, respond=functools.partial(_expansion, class_mode=class_mode)),
        get("/api/spectral", api_spectral),
        get("/api/spectral.svg", None, respond=svg),
        get("/api/sheet", None, respond=lambda q: _download(*sheet_file(q, class_mode, worker))),
        Mount("/static", StaticFiles(packages=[("symbrnn.web", "static")]), name="static"),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def _expansion(q, class_mode: bool):
    """/api/expand's JSON, written as it is derived; off in class mode (it is the key)."""
    from starlette.responses import Response

    if class_mode:
        raise RequestError("web.class_off", 403)
    return Response(api_expand(q), media_type="application/json")


def templates():
    """The page templates: Jinja with autoescape, an unknown name an error."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("symbrnn.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _page(pages, name: str, class_mode: bool):
    """The endpoint of a page, in the language the link asks for (French by default)."""
    from starlette.responses import HTMLResponse

    def render(request):
        lang = request.query_params.get("lang", "fr")
        lang = lang if lang in LANGS else "fr"
        if class_mode and name in CLASS_PAGES_OFF:
            return HTMLResponse(say("web.class_off", lang), status_code=403)
        html = pages.get_template(f"{name}.html").render(
            page=name,
            lang=lang,
            w=page_words(lang),
            cells=cells(),
            activations=activations(),
            bounded_activations=bounded_activations(),
            questions=_questions(),
            max_T=MAX_T,
            max_seed=MAX_SEED,
            first_terms=FIRST_TERMS,
            class_mode=class_mode,
            pages=[p for p in PAGES if not (class_mode and p in CLASS_PAGES_OFF)],
            query=request.url.query,
        )
        return HTMLResponse(html)

    return render


def _answer(path, fn, name=None, *, class_mode: bool):
    """A JSON route: in class mode, off (``name`` in CLASS_PAGES_OFF) or its answer built
    from the route's allowlist."""
    from starlette.responses import JSONResponse

    from symbrnn.web.allowlist import class_json

    def endpoint(data):
        if class_mode and name in CLASS_PAGES_OFF:
            raise RequestError("web.class_off", 403)
        out = fn(data)
        return JSONResponse(to_json_value(class_json(path, out) if class_mode else out))

    return endpoint


def _guarded(fn, read, class_mode: bool):
    """An endpoint: the request read on the event loop, the work in a thread (a slow answer
    does not hold the others; abandoned, not waited for, when the server stops), every
    error one line in the page's language."""
    import asyncio

    import anyio.to_thread

    async def endpoint(request):
        lang = _lang(request.query_params)
        try:
            data = await read(request)
            lang = _lang(data)
            return await anyio.to_thread.run_sync(fn, data, abandon_on_cancel=True)
        except SymbrnnError as exc:
            return error_response(exc, lang)
        except (MemoryError, RecursionError):
            return error_response(RequestError("web.too_much", 413), lang)
        except asyncio.CancelledError:  # the server stops: the thread's work is abandoned
            return error_response(RequestError("web.stopping", 503), lang)

    return endpoint


def _download(content: bytes, filename: str, media_type: str):
    from starlette.responses import Response

    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=media_type, headers=disposition)
