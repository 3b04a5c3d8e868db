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

import json

from symbrnn.errors import InputError, SymbrnnError
from symbrnn.sheets.spec import MAX_SEED

MAX_BODY = 10_000  # bytes of a request body
MAX_T = 50  # steps the explorer expands
CELLS = ("rnn", "lstm", "gru")
ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity", "phi")
LANGS = ("fr", "en")
PAGES = ("check", "expand", "params", "sheet", "spectral")
CLASS_OFF = {
    "fr": "Ce serveur est en mode classe : les développements et les clés ne sont pas servis.",
    "en": "This server is in class mode: derivations and answer keys are not served.",
}

WORDS = {
    "fr": {
        "check": "Vérifier",
        "expand": "Développer",
        "params": "Paramètres",
        "sheet": "Feuille",
        "spectral": "Spectre",
        "answer": "Votre réponse (LaTeX)",
        "quantity": "Quantité",
        "cell": "Cellule",
        "typed": "Ce que vous avez tapé",
        "read": "Ce que symbrnn a lu",
        "verdict": "Verdict",
        "question": "Question de la feuille",
        "variant": "Variante (le numéro de votre feuille ; vide : la feuille commune)",
        "none": "(aucune)",
        "copy": "Copier le LaTeX",
        "download": "Télécharger",
        "explain": "Expliquer",
        "analyse": "Analyser",
        "answers": "avec les réponses",
        "language": "Langue",
        "seed": "Variante (graine)",
        "activation": "Activation",
        "bias": "avec biais",
        "paths": "Chemins",
        "form": "Forme",
    },
    "en": {
        "check": "Check",
        "expand": "Expand",
        "params": "Parameters",
        "sheet": "Sheet",
        "spectral": "Spectrum",
        "answer": "Your answer (LaTeX)",
        "quantity": "Quantity",
        "cell": "Cell",
        "typed": "What you typed",
        "read": "What symbrnn read",
        "verdict": "Verdict",
        "question": "Sheet question",
        "variant": "Variant (the number on your sheet; empty: the common sheet)",
        "none": "(none)",
        "copy": "Copy LaTeX",
        "download": "Download",
        "explain": "Explain",
        "analyse": "Analyse",
        "answers": "with the answers",
        "language": "Language",
        "seed": "Variant (seed)",
        "activation": "Activation",
        "bias": "with biases",
        "paths": "Paths",
        "form": "Form",
    },
}


class RequestError(InputError):
    """A request that cannot be served: 400 with one message (and a position for answers)."""

    def __init__(self, message, status=400, position=None):
        super().__init__(message)
        self.status, self.position = status, position


def _choice(value, allowed, name):
    if value not in allowed:
        raise RequestError(f"{name} must be one of {', '.join(map(str, allowed))}")
    return value


def _int(value, name, lo, hi):
    try:
        out = int(str(value))
    except ValueError:
        raise RequestError(f"{name} must be an integer from {lo} to {hi}") from None
    if not lo <= out <= hi:
        raise RequestError(f"{name} must be an integer from {lo} to {hi}")
    return out


def _cell(data: dict):
    from symbrnn.engine.cells import make_cell

    name = _choice(data.get("cell", "rnn"), (*CELLS, "lemma"), "cell")  # lemma: II.1
    activation = data.get("activation") or None
    if activation is not None:
        _choice(activation, ACTIVATIONS, "activation")
    return make_cell(
        name,
        activation=activation,
        bias=bool(data.get("bias", True)),
        reset_after=bool(data.get("reset_after", False)),
        allow_files=False,
    )


def _check_options(data: dict) -> dict:
    """The options of a check: from a sheet question, or from the fields."""
    if not isinstance(data, dict):
        raise RequestError("the body must be a JSON object")
    answer = data.get("answer")
    if not isinstance(answer, str):
        raise RequestError("answer must be a text")
    question = data.get("question") or None
    if question:
        from symbrnn.sheets.questions import check_options, question_check

        seed = data.get("variant_seed")
        seed = None if seed in (None, "") else _int(seed, "variant_seed", 0, MAX_SEED)
        options = question_check("td5", str(question)[:20], seed)
        data = {**data, "hypothesis": None, **check_options(options)}
        data["quantity"] = options["quantity"]
        data["T"] = options.get("T") or options.get("sheet_T")
    else:
        data = {**data, "hypothesis": None}
    quantity = data.get("quantity")
    if not isinstance(quantity, str) or not quantity:
        raise RequestError("quantity must be a text such as dh_3/dh_1")
    T = data.get("T")
    return {
        "cell": _cell(data),
        "quantity": quantity[:200],
        "answer": answer,
        "T": None if T in (None, "") else _int(T, "T", 1, 30),
        "paths": _choice(data.get("paths") or "all", ("all", "direct"), "paths"),
        "layout": _choice(
            data.get("layout") or "either", ("numerator", "denominator", "either"), "layout"
        ),
        "hypothesis": data.get("hypothesis"),
    }


def _lang(data: dict) -> str:
    """The language of an API answer: the page's, else English (as the command line)."""
    lang = data.get("lang", "en") if isinstance(data, dict) else "en"
    return lang if lang in LANGS else "en"


def api_check(data: dict) -> dict:
    """The same JSON as ``symbrnn check --format json``, in the page's language."""
    from symbrnn.judge.check import check_answer
    from symbrnn.judge.messages import JudgeError

    lang = _lang(data)
    o = _check_options(data)
    try:
        verdict = check_answer(
            o["cell"],
            o["quantity"],
            o["answer"],
            T=o["T"],
            paths=o["paths"],
            layout=o["layout"],
            lang=lang,
            hypothesis=o["hypothesis"],
        )
    except JudgeError as exc:
        raise RequestError(exc.text(lang)) from None
    return verdict.as_json()


def api_read(data: dict) -> dict:
    """What the parser understood ("as read"), as LaTeX, without judging."""
    from symbrnn.engine.quantity import parse_quantity
    from symbrnn.judge.answer_parser import parse_answer
    from symbrnn.judge.messages import JudgeError
    from symbrnn.printing.latex import latex

    lang = _lang(data)
    o = _check_options(data)
    q = parse_quantity(o["quantity"])
    context = {"t": q.t, "k": q.k} if q.kind == "jacobian" else {"T": o["T"]}
    if q.kind == "jacobian" and o["T"]:
        context["T"] = o["T"]
    notes: list = []
    try:
        expr = parse_answer(o["answer"], o["cell"], context, notes)
    except JudgeError as exc:
        raise RequestError(exc.text(lang)) from None
    return {"latex": latex(expr), "note": "; ".join(n.text(lang) for n in notes)}


def api_expand(params) -> str:
    """The same JSON as ``symbrnn expand --format json`` (T at most 50)."""
    from symbrnn.engine.derive import Derivation
    from symbrnn.engine.expand import expand_gradient, expand_jacobian
    from symbrnn.engine.quantity import parse_quantity
    from symbrnn.printing.expansion import iter_expansion_json

    cell = _cell(dict(params))
    q = parse_quantity(params.get("quantity", "dL/dW")[:100])
    T = _int(params.get("T", "3"), "T", 1, MAX_T)
    paths = _choice(params.get("paths", "all"), ("all", "direct"), "paths")
    if q.kind == "gradient":
        exp = expand_gradient(cell, q.name, T, paths=paths)
    else:
        exp = expand_jacobian(cell, q.name, T, paths=paths)
    return "".join(iter_expansion_json(exp, Derivation(cell).params))


def api_params(data: dict) -> dict:
    """Every row of a pasted summary explained (``symbrnn params --explain --format json``)."""
    from symbrnn.counts.report import explain_json
    from symbrnn.counts.summary import explain_summary

    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise RequestError("text must be a pasted model summary")
    return explain_json(explain_summary(text), text)


def api_spectral(params) -> dict:
    """Eigenvalues, singular values, the verdict and ‖∂h_T/∂h_1‖ (``symbrnn spectral``)."""
    from symbrnn.numeric.spectral import analyse, norm_curve, parse_matrix

    W = parse_matrix(params.get("W", "[[0.5]]")[:2000])
    activation = _choice(params.get("activation", "sigmoid"), ACTIVATIONS[:4], "activation")
    T = _int(params.get("T", "30"), "T", 1, 500)
    info = analyse(W, activation)
    info["W"] = W.tolist()
    info["norms"] = norm_curve(W, activation, T)
    return info


def spectral_svg(params) -> bytes:
    import tempfile
    from pathlib import Path

    from symbrnn.sheets.plot import plot_norm_curves

    info = api_spectral(params)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "curve.svg"
        plot_norm_curves([info], str(path))
        return path.read_bytes()


# what a class-mode server never hands out: the key, the expected formula, the derivations
CLASS_HIDDEN = ("expected", "expected_latex", "expected_course_form", "expected_answer_latex")
CLASS_PAGES_OFF = ("expand", "params")


def _ticked(value) -> bool:
    """A form's checkbox: ticked sends its value; unticked sends nothing (so: False)."""
    return str(value).lower() in ("1", "true", "on", "yes")


def sheet_file(params, class_mode: bool = False) -> tuple[bytes, str, str]:
    """The key (``answers=1``) or the questions alone (the default, and always in class
    mode), as .tex or .pdf."""
    from symbrnn.sheets.render import render_sheet

    lang = _choice(params.get("lang", "fr"), LANGS, "lang")
    answers = _ticked(params.get("answers", ""))
    if answers and class_mode:
        raise RequestError(
            "this server is in class mode: it hands out the questions, not the answer key", 403
        )
    seed = params.get("variant_seed") or None
    seed = None if seed is None else _int(seed, "variant_seed", 0, MAX_SEED)
    fmt = _choice(params.get("format", "tex"), ("tex", "pdf"), "format")
    tex = render_sheet("td5", lang=lang, answers=answers, variant_seed=seed)
    name = f"td5-{lang}{'' if answers else '-questions'}{'' if seed is None else f'-{seed}'}"
    if fmt == "tex":
        return tex.encode("utf-8"), f"{name}.tex", "application/x-tex"
    from symbrnn.sheets.compile import compile_tex

    return compile_tex(tex, f"{name}.tex"), f"{name}.pdf", "application/pdf"


def create_app(class_mode: bool = False):
    """The Starlette application (no network access beyond the loopback client).

    In ``class_mode`` (a server open to a class) it never hands out an answer key, an
    expected formula or a derivation: /api/sheet serves the questions only, /api/check
    leaves out ``expected`` and ``expected_latex``, /expand and /params are off.
    """
    import jinja2
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    pages = jinja2.Environment(
        loader=jinja2.PackageLoader("symbrnn.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )

    def error(exc) -> JSONResponse:
        status = getattr(exc, "status", 400)
        body = {"error": str(exc).splitlines()[0][:500]}
        position = getattr(exc, "position", None)
        if position is None:
            import re

            m = re.search(r"at position (\d+)", str(exc))
            position = int(m[1]) if m else None
        body["position"] = position
        return JSONResponse(body, status_code=status)

    def guarded(fn):
        def endpoint(request: Request):
            try:
                return fn(request)
            except RequestError as exc:
                return error(exc)
            except SymbrnnError as exc:
                return error(exc)
            except (MemoryError, RecursionError):
                return error(RequestError("the request asks for more work than a page may", 413))

        return endpoint

    def body_json(request: Request) -> dict:
        import anyio

        size = request.headers.get("content-length")
        if size is not None and (not size.isdigit() or int(size) > MAX_BODY):
            raise RequestError(f"the request body is larger than {MAX_BODY:,} bytes", 413)
        raw = anyio.from_thread.run(request.body)
        if len(raw) > MAX_BODY:
            raise RequestError(f"the request body is larger than {MAX_BODY:,} bytes", 413)
        try:
            return json.loads(raw.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise RequestError("the request body must be JSON") from None

    def page(name):
        def render(request: Request):
            lang = request.query_params.get("lang", "fr")
            lang = lang if lang in LANGS else "fr"
            if class_mode and name in CLASS_PAGES_OFF:
                return HTMLResponse(CLASS_OFF[lang], status_code=403)
            html = pages.get_template(f"{name}.html").render(
                page=name,
                lang=lang,
                w=WORDS[lang],
                cells=CELLS,
                activations=ACTIVATIONS,
                class_mode=class_mode,
                pages=[p for p in PAGES if not (class_mode and p in CLASS_PAGES_OFF)],
            )
            return HTMLResponse(html)

        return render

    def query(request):
        params = request.query_params
        if len(str(request.url.query)) > MAX_BODY:
            raise RequestError(f"the query is longer than {MAX_BODY:,} characters", 414)
        return params

    def hide(verdict: dict) -> dict:
        return (
            {k: v for k, v in verdict.items() if k not in CLASS_HIDDEN} if class_mode else verdict
        )

    def off(name, fn):
        def endpoint(request):
            if class_mode and name in CLASS_PAGES_OFF:
                raise RequestError(CLASS_OFF["en"], 403)
            return fn(request)

        return endpoint

    routes = [
        Route("/", lambda request: RedirectResponse("/check")),
        *(Route(f"/{name}", page(name)) for name in PAGES),
        Route(
            "/api/check",
            guarded(lambda r: JSONResponse(hide(api_check(body_json(r))))),
            methods=["POST"],
        ),
        Route(
            "/api/read", guarded(lambda r: JSONResponse(api_read(body_json(r)))), methods=["POST"]
        ),
        Route(
            "/api/params",
            guarded(off("params", lambda r: JSONResponse(api_params(body_json(r))))),
            methods=["POST"],
        ),
        Route(
            "/api/expand",
            guarded(
                off(
                    "expand",
                    lambda r: Response(api_expand(query(r)), media_type="application/json"),
                )
            ),
        ),
        Route("/api/spectral", guarded(lambda r: JSONResponse(_finite(api_spectral(query(r)))))),
        Route(
            "/api/spectral.svg",
            guarded(lambda r: Response(spectral_svg(query(r)), media_type="image/svg+xml")),
        ),
        Route("/api/sheet", guarded(lambda r: _download(*sheet_file(query(r), class_mode)))),
        Mount("/static", StaticFiles(packages=[("symbrnn.web", "static")]), name="static"),
    ]
    return Starlette(routes=routes)


def _finite(data):
    from symbrnn.io import to_json_value

    return to_json_value(data)


def _download(content: bytes, filename: str, media_type: str):
    from starlette.responses import Response

    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
