"""Every word of the web page, in French and in English: labels, errors, spectral sentences.

A page is rendered in one language (``?lang=fr``, the default, or ``?lang=en``) and every
API answer it shows speaks that language: the checker's verdicts and diagnoses come
translated from ``judge/messages.py``; what the page adds is here. A test checks that both
languages have every key with the same parameters.

>>> word("copy", "fr")
'Copier le LaTeX'
>>> RequestError("web.T_range", lo=1, hi=30).text("fr")
'T doit être un entier de 1 à 30'
"""

from __future__ import annotations

from symbrnn.errors import InputError, spell

# the page's field where the library names an option (the page chooses a question, not a sheet)
FIELDS = {"sheet": "question", "variant_seed": "variant"}


def field(name: str, value: str | None = None) -> str:
    """The page's spelling of an option the library names: its field, « T = 3 » with a value."""
    spelled = FIELDS.get(name, name)
    return spelled if value is None else f"{spelled} = {value}"


WORDS: dict[str, dict[str, str]] = {
    "check": {"fr": "Vérifier", "en": "Check"},
    "expand": {"fr": "Développer", "en": "Expand"},
    "params": {"fr": "Paramètres", "en": "Parameters"},
    "sheet": {"fr": "Feuille", "en": "Sheet"},
    "spectral": {"fr": "Spectre", "en": "Spectrum"},
    "nav": {"fr": "Pages", "en": "Pages"},
    "answer": {
        "fr": "Votre réponse (LaTeX ; une dérivation : une étape par ligne, « = » en tête)",
        "en": "Your answer (LaTeX; a derivation: one step per line, starting with “=”)",
    },
    "answer_keys": {
        "fr": "Ctrl+Entrée vérifie la réponse.",
        "en": "Ctrl+Enter checks the answer.",
    },
    "quantity": {"fr": "Quantité", "en": "Quantity"},
    "cell": {"fr": "Cellule", "en": "Cell"},
    "typed": {"fr": "Ce que vous avez tapé", "en": "What you typed"},
    "read": {"fr": "Ce que symbrnn a lu", "en": "What symbrnn read"},
    "step": {"fr": "étape {index}", "en": "step {index}"},
    "verdict": {"fr": "Verdict", "en": "Verdict"},
    "question": {"fr": "Question de la feuille", "en": "Sheet question"},
    "question_text": {"fr": "Énoncé", "en": "The question"},
    "variant": {
        "fr": "Variante (le numéro de votre feuille ; vide : la feuille commune)",
        "en": "Variant (the number on your sheet; empty: the common sheet)",
    },
    "variant_range": {
        "fr": "la variante est un entier de 0 à {hi}",
        "en": "the variant is an integer from 0 to {hi}",
    },
    "none": {"fr": "(aucune)", "en": "(none)"},
    "copy": {"fr": "Copier le LaTeX", "en": "Copy LaTeX"},
    "copied": {"fr": "LaTeX copié", "en": "LaTeX copied"},
    "download": {"fr": "Télécharger", "en": "Download"},
    "explain": {"fr": "Expliquer", "en": "Explain"},
    "analyse": {"fr": "Analyser", "en": "Analyse"},
    "answers": {"fr": "avec les réponses", "en": "with the answers"},
    "language": {"fr": "Langue de la feuille", "en": "Language of the sheet"},
    "page_language": {"fr": "Langue de la page", "en": "Language of the page"},
    "activation": {"fr": "Activation", "en": "Activation"},
    "bias": {"fr": "avec biais", "en": "with biases"},
    "reset_after": {
        "fr": "reset_after (tf.keras 2, Keras 3, PyTorch ; sans : Keras ≤ 2.3, le cours)",
        "en": "reset_after (tf.keras 2, Keras 3, PyTorch; without: Keras ≤ 2.3, the course's)",
    },
    "paths": {"fr": "Chemins", "en": "Paths"},
    "paths_all": {"fr": "tous", "en": "all"},
    "paths_direct": {"fr": "directs", "en": "direct"},
    "form": {"fr": "Forme", "en": "Form"},
    "form_power": {"fr": "puissances [Diag(σ′)W]ᵐ", "en": "powers [Diag(σ′)W]ᵐ"},
    "form_product": {"fr": "produits ∏", "en": "products ∏"},
    "T_field": {"fr": "T (nombre de pas, pour dL/d…)", "en": "T (number of steps, for dL/d…)"},
    "T_expand": {"fr": "T (au plus {limit})", "en": "T (at most {limit})"},
    "T_curve": {"fr": "T (longueur de la courbe)", "en": "T (length of the curve)"},
    "server_error": {
        "fr": "le serveur n'a pas donné de réponse lisible",
        "en": "the server gave no readable answer",
    },
    "working": {"fr": "Calcul en cours…", "en": "Working…"},
    "show_expected": {"fr": "Montrer la réponse attendue", "en": "Show the expected answer"},
    "expected": {"fr": "Réponse attendue", "en": "Expected answer"},
    "counterexample": {"fr": "Contre-exemple", "en": "Counterexample"},
    "entry": {
        "fr": "coefficient ({row}, {column}) : le vôtre {yours}, l'attendu {expected}",
        "en": "entry ({row}, {column}): yours {yours}, expected {expected}",
    },
    "entry_yours": {
        "fr": "coefficient ({row}, {column}) : le vôtre {yours}, qui n'est pas l'attendu",
        "en": "entry ({row}, {column}): yours {yours}, not the expected value",
    },
    "at_point": {
        "fr": "aux valeurs (n = {n}, d = {d}) :",
        "en": "at the values (n = {n}, d = {d}):",
    },
    "first_wrong": {"fr": "première étape fausse", "en": "first wrong step"},
    "terms_shown": {
        "fr": "{shown} termes affichés sur {total} ; la suite s'affiche en défilant",
        "en": "{shown} of {total} terms shown; the rest appear as you scroll",
    },
    "general_form": {"fr": "Forme générale", "en": "General form"},
    "terms": {"fr": "Les termes", "en": "The terms"},
    "summary": {"fr": "Résumé Keras ou PyTorch collé", "en": "A pasted Keras or PyTorch summary"},
    "W_json": {"fr": "W (lignes entre crochets)", "en": "W (rows in brackets)"},
    "scale": {"fr": "Échelle de W : W × {scale}", "en": "Scale of W: W × {scale}"},
    "curve_alt": {"fr": "‖∂h_T/∂h_1‖₂ en fonction de T", "en": "‖∂h_T/∂h_1‖₂ against T"},
    "eigenvalues": {"fr": "valeurs propres : {values}", "en": "eigenvalues: {values}"},
    "singular_values": {
        "fr": "valeurs singulières : {values}",
        "en": "singular values: {values}",
    },
    "sheet_hint": {
        "fr": "Le document LaTeX (.tex) ou compilé (.pdf) ; la variante donne d'autres tailles.",
        "en": "The LaTeX document (.tex) or compiled (.pdf); a variant gives other sizes.",
    },
    "explained": {"fr": "expliqué", "en": "explained"},
    "not_explained": {"fr": "non expliqué", "en": "not explained"},
    "total": {"fr": "total", "en": "total"},
}

MESSAGES: dict[str, dict[str, str]] = {
    "web.class_off": {
        "fr": "Ce serveur est en mode classe : les développements et les clés ne sont pas servis.",
        "en": "This server is in class mode: derivations and answer keys are not served.",
    },
    "web.class_no_key": {
        "fr": "ce serveur est en mode classe : il donne les énoncés, pas le corrigé",
        "en": "this server is in class mode: it hands out the questions, not the answer key",
    },
    "web.choice": {
        "fr": "{name} doit être l'un de : {choices}",
        "en": "{name} must be one of {choices}",
    },
    "web.integer": {
        "fr": "{name} doit être un entier de {lo} à {hi}",
        "en": "{name} must be an integer from {lo} to {hi}",
    },
    "web.T_range": {
        "fr": "T doit être un entier de {lo} à {hi}",
        "en": "T must be an integer from {lo} to {hi}",
    },
    "web.number": {
        "fr": "{name} doit être un nombre de {lo} à {hi}",
        "en": "{name} must be a number from {lo} to {hi}",
    },
    "web.body_object": {
        "fr": "le corps de la requête doit être un objet JSON",
        "en": "the body must be a JSON object",
    },
    "web.body_json": {
        "fr": "le corps de la requête doit être du JSON",
        "en": "the request body must be JSON",
    },
    "web.body_size": {
        "fr": "le corps de la requête dépasse {limit} octets",
        "en": "the request body is larger than {limit} bytes",
    },
    "web.query_size": {
        "fr": "la requête dépasse {limit} caractères",
        "en": "the query is longer than {limit} characters",
    },
    "web.answer_text": {"fr": "la réponse doit être un texte", "en": "answer must be a text"},
    "web.quantity_text": {
        "fr": "la quantité doit être un texte comme dh_3/dh_1",
        "en": "quantity must be a text such as dh_3/dh_1",
    },
    "web.question": {
        "fr": "la question {question} n'est pas vérifiable ; questions vérifiables : {choices}",
        "en": "question {question} cannot be checked; checkable questions: {choices}",
    },
    "web.too_much": {
        "fr": "la requête demande plus de travail qu'une page ne peut en faire",
        "en": "the request asks for more work than a page may",
    },
    "web.stopping": {
        "fr": "le serveur s'arrête : réessayez quand il sera relancé",
        "en": "the server is stopping: try again once it is restarted",
    },
    "web.summary_text": {
        "fr": "collez le résumé d'un modèle (summary() de Keras, ou un tableau)",
        "en": "text must be a pasted model summary (Keras summary(), or a table)",
    },
    "web.summary_rows": {
        "fr": "aucune ligne de couche dans le résumé ; une ligne ressemble à "
        "« lstm (LSTM)  (None, 5, 10)  560 »",
        "en": "no layer rows found in the summary; a row looks like "
        "“lstm (LSTM)  (None, 5, 10)  560”",
    },
    "web.matrix": {
        "fr": "W doit être une matrice carrée de nombres, au plus {limit}×{limit}, écrite "
        "ligne par ligne : [[0.5, 1], [0, 0.5]]",
        "en": "W must be a square matrix of numbers, at most {limit}×{limit}, written row by "
        "row: [[0.5, 1], [0, 0.5]]",
    },
    "web.refused": {
        "fr": "requête refusée : une entrée n'est pas valide",
        "en": "request refused: an input is not valid",
    },
    # -- what the spectral page says of W and of its curve --------------------------
    "spectral.vanishing_sure": {
        "fr": "γ·s₁(W) = {bound} < 1 : les gradients s'évanouissent à coup sûr "
        "(‖∂h_T/∂h_1‖ ≤ (γ s₁)^(T−1))",
        "en": "γ·s₁(W) = {bound} < 1: the gradients vanish for certain "
        "(‖∂h_T/∂h_1‖ ≤ (γ s₁)^(T−1))",
    },
    "spectral.vanishing_not_sure": {
        "fr": "γ·s₁(W) = {bound} ≥ 1 : la borne ne force pas l'évanouissement",
        "en": "γ·s₁(W) = {bound} ≥ 1: the bound does not force vanishing",
    },
    "spectral.curve_decays": {
        "fr": "la courbe calculée décroît : de {first} à T = 1 à {last} à T = {T}",
        "en": "the computed curve decays: from {first} at T = 1 to {last} at T = {T}",
    },
    "spectral.curve_grows": {
        "fr": "la courbe calculée croît : de {first} à T = 1 à {last} à T = {T} (explosion)",
        "en": "the computed curve grows: from {first} at T = 1 to {last} at T = {T} (exploding)",
    },
    "spectral.curve_transient": {
        "fr": "la courbe calculée croît jusqu'à {peak} à T = {at} puis décroît jusqu'à {last} "
        "à T = {T} (croissance transitoire)",
        "en": "the computed curve grows to {peak} at T = {at}, then decays to {last} at "
        "T = {T} (transient growth)",
    },
    "spectral.curve_flat": {
        "fr": "la courbe calculée reste entre {low} et {high} jusqu'à T = {T}",
        "en": "the computed curve stays between {low} and {high} up to T = {T}",
    },
    "spectral.curve_zero": {
        "fr": "la courbe calculée s'annule à T = {at} : W est nilpotente ou φ′ s'annule",
        "en": "the computed curve is zero from T = {at}: W is nilpotent or φ′ is zero",
    },
    "spectral.radius": {
        "fr": "rayon spectral ρ(W) = {rho}, plus grande valeur singulière s₁(W) = {s1}, "
        "γ = sup|φ′| = {gamma}",
        "en": "spectral radius ρ(W) = {rho}, largest singular value s₁(W) = {s1}, "
        "γ = sup|φ′| = {gamma}",
    },
    "spectral.non_normal": {
        "fr": "W n'est pas normale (WWᵀ ≠ WᵀW) : ρ(W) seul ne décide pas",
        "en": "W is not normal (WWᵀ ≠ WᵀW): ρ(W) alone does not decide",
    },
    # -- a row of a pasted summary ------------------------------------------------
    "params.row": {
        "fr": "{name} ({type}) : {params} = {formula} — convention {convention}",
        "en": "{name} ({type}): {params} = {formula} — {convention} convention",
    },
    "params.row_any": {
        "fr": "{name} ({type}) : {params} = {formula}",
        "en": "{name} ({type}): {params} = {formula}",
    },
    "params.input": {
        "fr": "{name} (InputLayer) : pas de paramètres",
        "en": "{name} (InputLayer): no parameters",
    },
    "params.unexplained": {
        "fr": "✗ {name} ({type}) : {params} n'est produit par aucune convention connue",
        "en": "✗ {name} ({type}): {params} is not produced by any known convention",
    },
    "params.candidates": {
        "fr": "  (les conventions donnent : {figures})",
        "en": "  (the conventions give: {figures})",
    },
    "params.inferred": {
        "fr": "  (taille d'entrée déduite du nombre)",
        "en": "  (input size inferred from the count)",
    },
    "params.keras3": {
        "fr": "  (avec le même d = {d}, le défaut de Keras 3, reset_after=True, donnerait {params})",
        "en": "  (with the same d = {d}, Keras 3's default, reset_after=True, would give {params})",
    },
    "params.total": {
        "fr": "total : {total}{reported}",
        "en": "total: {total}{reported}",
    },
    "params.reported": {
        "fr": " (le résumé annonce {reported})",
        "en": " (the summary says {reported})",
    },
}


# the words of a TD session's pages (the student's, the teacher's dashboard and links)
SESSION_WORDS: dict[str, dict[str, str]] = {
    "session": {"fr": "Séance de TD", "en": "TD session"},
    "hello": {"fr": "Bonjour {name}", "en": "Hello {name}"},
    "your_variant": {"fr": "Votre variante : {seed}", "en": "Your variant: {seed}"},
    "loading": {"fr": "Chargement de la question…", "en": "Loading the question…"},
    "dashboard": {"fr": "Tableau de bord de la séance", "en": "Session dashboard"},
    "links": {"fr": "Liens des élèves", "en": "Students' links"},
    "print": {"fr": "Imprimer", "en": "Print"},
    "student_one": {"fr": "{count} élève", "en": "{count} student"},
    "student_many": {"fr": "{count} élèves", "en": "{count} students"},
    "right_of": {"fr": "juste : {right} sur {answered}", "en": "right: {right} of {answered}"},
    "mean_score": {"fr": "note moyenne : {score}", "en": "mean score: {score}"},
    "not_started": {"fr": "Pas encore commencé", "en": "Not started yet"},
    "everyone_started": {"fr": "tout le monde a commencé", "en": "everyone has started"},
    "groups": {"fr": "Réponses regroupées par sens", "en": "Answers grouped by meaning"},
    "status_correct": {"fr": "juste", "en": "right"},
    "status_wrong": {"fr": "faux", "en": "wrong"},
    "status_cannot judge": {"fr": "indécidable", "en": "cannot judge"},
    "status_malformed": {"fr": "illisible", "en": "unreadable"},
    "status_error": {"fr": "erreur", "en": "error"},
    "updated": {"fr": "mis à jour à {time}", "en": "updated at {time}"},
    "name": {"fr": "Nom", "en": "Name"},
    "link": {"fr": "Lien", "en": "Link"},
    "id": {"fr": "Identifiant", "en": "Id"},
    "variant_short": {"fr": "Variante", "en": "Variant"},
    "submissions": {"fr": "réponses reçues : {count}", "en": "answers received: {count}"},
    "stored": {"fr": "réponse enregistrée", "en": "answer saved"},
}

MESSAGES.update(
    {
        "web.forbidden": {
            "fr": "Lien inconnu : demandez votre lien personnel à l'enseignant.",
            "en": "Unknown link: ask the teacher for your personal link.",
        },
        "web.too_fast": {
            "fr": "trop de requêtes en peu de temps : attendez quelques secondes",
            "en": "too many requests in a short time: wait a few seconds",
        },
        "web.answer_size": {
            "fr": "la réponse dépasse {limit} caractères",
            "en": "the answer is longer than {limit} characters",
        },
    }
)


def session_words(lang: str) -> dict[str, str]:
    """The words of a session's page in one language, with the page's own (``w[...]``)."""
    return page_words(lang) | {k: row.get(lang, row["fr"]) for k, row in SESSION_WORDS.items()}


def students(count: int, lang: str) -> str:
    """« 0 élève », « 1 élève », « 2 élèves »; "0 students", "1 student", "2 students"."""
    one = count < 2 if lang == "fr" else count == 1
    key = "student_one" if one else "student_many"
    return SESSION_WORDS[key][lang if lang in ("fr", "en") else "fr"].format(count=count)


def decimal(value: float, lang: str) -> str:
    """A score as the language writes it: 1,5 in French, 1.5 in English."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "fr" else text


def word(key: str, lang: str, **params) -> str:
    """A word of the page in ``lang`` (French when the language is unknown)."""
    row = WORDS[key]
    return row.get(lang, row["fr"]).format(**params)


def say(key: str, lang: str, **params) -> str:
    """A sentence of the page in ``lang``."""
    row = MESSAGES[key]
    return row.get(lang, row["en"]).format(**params)


def page_words(lang: str) -> dict[str, str]:
    """Every word of the page in one language, for a template (``w["copy"]``)."""
    return {key: row.get(lang, row["fr"]) for key, row in WORDS.items()}


class RequestError(InputError):
    """A request that cannot be served: a 4xx status with one message, said in the page's
    language (``str()`` is English, as the command line speaks)."""

    def __init__(self, key: str, status: int = 400, position: int | None = None, **params):
        self.key, self.status, self.position, self.params = key, status, position, params
        super().__init__(say(key, "en", **params))

    def text(self, lang: str) -> str:
        return spell(say(self.key, lang, **self.params), field)

    def __reduce__(self):  # raised in the worker process, said in the server's
        return (_request_error, (self.key, self.status, self.position, self.params))


def _request_error(key, status, position, params) -> RequestError:
    return RequestError(key, status, position, **params)
