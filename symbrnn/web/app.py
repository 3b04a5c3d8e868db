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
from symbrnn.web.exchange import body_json, bounded, choice, error_response, lang_of, query
from symbrnn.web.messages import RequestError, page_words, say

SHEET = "td5"  # the built-in sheet the page (and a TD session) serves
MAX_T = 50  # steps the explorer expands
LAYOUTS = ("numerator", "denominator", "either")
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


def _seed(value):
    return None if value in (None, "") else bounded(value, "variant_seed", 0, MAX_SEED)


def _cell_choice(data) -> dict:
    """The cell and its options of a request, read as a class CSV or a sheet's check is."""
    from symbrnn.engine.cells import LEMMA, OPTIONS, chosen_options

    chosen = chosen_options({k: data.get(k) for k in ("cell", *OPTIONS)})
    choice(chosen["cell"], (*cells(), LEMMA), "cell")  # the lemma: II.1
    if chosen["activation"] is not None:
        choice(chosen["activation"], activations(), "activation")
    return chosen


def _cell(data):
    from symbrnn.engine.cells import make_cell

    chosen = _cell_choice(data)
    return make_cell(chosen.pop("cell"), allow_files=False, **chosen)


@functools.cache
def questions() -> tuple[str, ...]:
    """The checkable questions of the served sheet (``sheets.load`` keeps it)."""
    from symbrnn.sheets import load

    return tuple(load(SHEET).checks)


def _check_options(data) -> dict:
    """The options of a check: from a sheet question (and its variant), or from the fields."""
    if not isinstance(data, dict):
        raise RequestError("web.body_object")
    answer = data.get("answer")
    if not isinstance(answer, str):
        raise RequestError("web.answer_text")
    question = data.get("question") or None
    if question:
        from symbrnn.sheets import load

        choice(str(question), questions(), "question")
        asked = load(SHEET).question(str(question), _seed(data.get("variant_seed")))
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
        "T": None if T in (None, "") else bounded(T, "T", 1, 30),
        "paths": choice(data.get("paths") or "all", ("all", "direct"), "paths"),
        "layout": choice(data.get("layout") or "either", LAYOUTS, "layout"),
        "hypothesis": tuple(sorted(hypothesis.items())) if hypothesis else None,
    }


def api_check(data: dict) -> dict:
    """The same JSON as ``symbrnn check --format json``, in the page's language.

    A class sends the same answers many times: a verdict is computed once per distinct
    request (the checker is deterministic) and kept in a bounded cache.
    """
    o = _check_options(data)
    return json.loads(_verdict(**o, lang=lang_of(data, "en")))


@functools.lru_cache(maxsize=4096)
def _verdict(*, quantity, answer, T, paths, layout, lang, hypothesis, **chosen) -> str:
    from symbrnn.judge.check import check_answer

    hypothesis = dict(hypothesis) if hypothesis else None
    options = {"T": T, "paths": paths, "layout": layout, "lang": lang, "hypothesis": hypothesis}
    verdict = check_answer(_cell(chosen), quantity, answer, **options)
    return json.dumps(verdict.as_json(), ensure_ascii=False)


def api_read(data: dict) -> dict:
    """What the parser understood, without judging: each step of a derivation as LaTeX
    (``steps``), the last one as ``latex``, and what had to be interpreted (``note``)."""
    from symbrnn.engine.quantity import parse_quantity
    from symbrnn.judge.answer_parser import parse_derivation
    from symbrnn.judge.check import reading_context
    from symbrnn.printing.latex import latex

    lang = lang_of(data, "en")
    o = _check_options(data)
    cell = _cell(o)
    try:
        q = parse_quantity(o["quantity"], allow_input=True)
    except SymbrnnError:
        raise RequestError("web.quantity_text") from None
    members = parse_derivation(o["answer"], cell, reading_context(q, o["T"]), q)
    steps = [{"index": m.index, "latex": latex(m.expr)} for m in members]
    note = "; ".join(dict.fromkeys(n.text(lang) for m in members for n in m.notes))
    return {"latex": steps[-1]["latex"], "steps": steps, "note": note}


def api_question(params) -> dict:
    """A checkable question of the sheet as the student's variant words it (its LaTeX)."""
    from symbrnn.sheets.render import question_text

    question = choice(params.get("id", ""), questions(), "question")
    seed, lang = _seed(params.get("variant_seed")), lang_of(params, "en")
    return question_text(SHEET, question, lang=lang, variant_seed=seed)


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
    T = bounded(params.get("T", "3"), "T", 1, MAX_T)
    paths = choice(params.get("paths", "all"), ("all", "direct"), "paths")
    result = expand(cell, quantity, T, paths=paths)
    return "".join(iter_expansion_json(result.expansion, result.params))


def api_spectral(params) -> dict:
    """W scaled by ``scale``: its eigenvalues, singular values, ‖∂h_T/∂h_1‖ for T = 1..N,
    and what they show, said in the page's language (``sentences``). Numeric only, so a
    slider can ask at every move."""
    from symbrnn.web.spectral import spectral_answer, spectral_inputs

    return spectral_answer(spectral_inputs(params), lang_of(params, "en"))


# what a class-mode server does not serve at all (what it does serve: web/allowlist.py)
CLASS_PAGES_OFF = ("expand", "params")


def sheet_tex(params: dict, class_mode: bool = False) -> tuple[str, str]:
    """The LaTeX of the key (``answers=1``) or of the questions alone (the default, and
    always in class mode), in the sheet's language ``sheet_lang`` (else ``lang``), with
    the file name it is downloaded under (without extension)."""
    from symbrnn.sheets.render import render_sheet

    lang = choice(params.get("sheet_lang") or params.get("lang", "fr"), LANGS, "lang")
    # a ticked checkbox sends its value; unticked, nothing
    answers = str(params.get("answers", "")).lower() in ("1", "true", "on", "yes")
    if answers and class_mode:
        raise RequestError("web.class_no_key", 403)
    seed = _seed(params.get("variant_seed") or None)
    tex = render_sheet(SHEET, lang=lang, answers=answers, variant_seed=seed)
    name = f"{SHEET}-{lang}{'' if answers else '-questions'}{'' if seed is None else f'-{seed}'}"
    return tex, name


def sheet_download(params, class_mode: bool, worker):
    """The sheet of :func:`sheet_tex` to download as .tex or .pdf (``format``): the LaTeX
    written in ``worker``, the PDF compiled here (``pdflatex`` is its own process)."""
    from starlette.responses import Response

    fmt = choice(params.get("format", "tex"), ("tex", "pdf"), "format")
    tex, name = worker.run(sheet_tex, dict(params), class_mode)
    content, media_type = tex.encode("utf-8"), "application/x-tex"
    if fmt == "pdf":
        from symbrnn.sheets.compile import compile_tex

        content, media_type = compile_tex(tex, f"{name}.tex"), "application/pdf"
    disposition = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    return Response(content, media_type=media_type, headers=disposition)


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
    from symbrnn.web.spectral import Drawings, spectral_inputs

    worker, drawings = Worker(), Drawings()

    @contextlib.asynccontextmanager
    async def lifespan(app):
        if warm:  # matplotlib's first drawing costs seconds: not a student's wait
            import anyio.to_thread

            await anyio.to_thread.run_sync(drawings.get, spectral_inputs({}))
            import gc

            gc.collect()  # the warm objects out of the collector's way: its full passes
            gc.freeze()  # (~90 ms each over the warm tables) were most of a warm p99
        yield
        worker.close()

    pages = templates()
    answer = functools.partial(_answer, class_mode=class_mode)

    def post(path, fn, name=None):
        return Route(path, _guarded(answer(path, fn, name), body_json), methods=["POST"])

    def get(path, fn, name=None, respond=None):
        return Route(path, _guarded(respond or answer(path, fn, name), query))

    def svg(q):
        return Response(drawings.get(spectral_inputs(q)), media_type="image/svg+xml")

    routes = [
        Route("/", lambda request: RedirectResponse(_home(request))),
        *(Route(f"/{name}", _page(pages, name, class_mode)) for name in PAGES),
        post("/api/check", api_check),
        post("/api/read", api_read),
        post("/api/params", lambda d: api_params(d, lang_of(d, "en")), "params"),
        get("/api/question", api_question),
        get("/api/expand", api_expand, "expand"),
        get("/api/spectral", api_spectral),
        get("/api/spectral.svg", None, respond=svg),
        get("/api/sheet", None, respond=lambda q: sheet_download(q, class_mode, worker)),
        Mount("/static", StaticFiles(packages=[("symbrnn.web", "static")]), name="static"),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


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

    from symbrnn.engine.activations import bounded_activations

    def render(request):
        lang = lang_of(request.query_params)
        if class_mode and name in CLASS_PAGES_OFF:
            return HTMLResponse(say("web.class_off", lang), status_code=403)
        html = pages.get_template(f"{name}.html").render(
            page=name,
            lang=lang,
            w=page_words(lang),
            cells=cells(),
            activations=activations(),
            bounded_activations=bounded_activations(),
            questions=questions(),
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
    from the route's allowlist; JSON written as text (an expansion) is sent as it is."""
    from starlette.responses import JSONResponse, Response

    from symbrnn.web.allowlist import class_json

    def endpoint(data):
        if class_mode and name in CLASS_PAGES_OFF:
            raise RequestError("web.class_off", 403)
        out = fn(data)
        if isinstance(out, str):
            return Response(out, media_type="application/json")
        return JSONResponse(to_json_value(class_json(path, out) if class_mode else out))

    return endpoint


def _guarded(fn, read):
    """An endpoint: the request read on the event loop, the work in a thread (a slow answer
    does not hold the others; abandoned, not waited for, when the server stops), every
    error one line in the page's language."""
    import asyncio

    import anyio.to_thread

    async def endpoint(request):
        lang = lang_of(request.query_params, "en")
        try:
            data = await read(request)
            lang = lang_of(data, "en")
            return await anyio.to_thread.run_sync(fn, data, abandon_on_cancel=True)
        except SymbrnnError as exc:
            return error_response(exc, lang)
        except (MemoryError, RecursionError):
            return error_response(RequestError("web.too_much", 413), lang)
        except asyncio.CancelledError:  # the server stops: the thread's work is abandoned
            return error_response(RequestError("web.stopping", 503), lang)

    return endpoint
