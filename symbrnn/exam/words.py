"""Every word of an exam, in French and in English: stems, instructions, count mistakes.

The formula options' mistakes are said by the checker's own messages
(``judge/messages.py``); what an exam adds is here. A test checks that both languages have
every key with the same parameters.

>>> word("count.NO_BIAS", "fr")
'les biais sont oubliés'
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    # -- stems: math goes in $…$, the formulas themselves come from the engine -----------
    "stem.jacobian": {
        "fr": "Laquelle de ces expressions est égale à ${quantity}$ ?",
        "en": "Which of these expressions equals ${quantity}$?",
    },
    "stem.input": {
        "fr": "Laquelle de ces expressions est égale au Jacobien ${quantity}$ ?",
        "en": "Which of these expressions equals the Jacobian ${quantity}$?",
    },
    "stem.gradient": {
        "fr": "Laquelle de ces expressions est égale à ${quantity}$ pour $T = {T}$, "
        "avec $L = \\sum_{{t=1}}^{{T}} L_t$ ?",
        "en": "Which of these expressions equals ${quantity}$ for $T = {T}$, "
        "with $L = \\sum_{{t=1}}^{{T}} L_t$?",
    },
    "stem.model": {"fr": "Le modèle :", "en": "The model:"},
    "stem.hypothesis": {
        "fr": "On suppose ${hypothesis}$ à chaque pas $t$.",
        "en": "Assume ${hypothesis}$ at every step $t$.",
    },
    "stem.direct": {
        "fr": "Seul le chemin direct ${path}$ est compté (les chemins par les autres états "
        "sont négligés).",
        "en": "Only the direct path ${path}$ is counted (the paths through the other states "
        "are left out).",
    },
    "stem.immediate": {
        "fr": "$\\partial^+ h_k/\\partial W$ désigne la dérivée immédiate ($h_{{k-1}}$ tenu fixe).",
        "en": "$\\partial^+ h_k/\\partial W$ is the immediate derivative ($h_{{k-1}}$ held fixed).",
    },
    "stem.count": {
        "fr": "Un modèle Keras lit des séquences de {timesteps} vecteurs de dimension "
        "{features} par {layers} couches {type} de {units} unités, puis une couche dense de "
        "{classes} sorties{options}. Combien de paramètres a sa couche récurrente "
        "n\\textsuperscript{{o}}~{layer} ?",
        "en": "A Keras model reads sequences of {timesteps} vectors of dimension {features} "
        "through {layers} {type} layers of {units} units, then a dense layer of {classes} "
        "outputs{options}. How many parameters does its recurrent layer number {layer} have?",
    },
    "stem.reset_after": {
        "fr": " (\\texttt{{reset\\_after={value}}})",
        "en": " (\\texttt{{reset\\_after={value}}})",
    },
    # -- the paper ----------------------------------------------------------------------
    "exam.title": {"fr": "{title} -- examen", "en": "{title} -- exam"},
    "exam.variant": {"fr": "Variante {seed}", "en": "Variant {seed}"},
    "exam.name": {"fr": "Nom et prénom :", "en": "Name:"},
    "exam.instructions": {
        "fr": "Une seule réponse est juste par question : cochez une case, au stylo noir ou "
        "bleu, sans déborder.",
        "en": "Exactly one answer is right per question: tick one box, in black or blue ink, "
        "inside the box.",
    },
    "exam.then": {"fr": " puis ", "en": " then "},
    "exam.question": {"fr": "question {id} de la feuille", "en": "question {id} of the sheet"},
    # -- Moodle feedback ----------------------------------------------------------------
    "feedback.right": {
        "fr": "Oui : c'est le résultat du cours.",
        "en": "Yes: the course's result.",
    },
    "feedback.wrong": {"fr": "Non : {mistake}.", "en": "No: {mistake}."},
    "feedback.essay": {"fr": "Corrigé", "en": "Answer key"},
    "figure_in_key": {
        "fr": "(figure : voir le corrigé en PDF)",
        "en": "(figure: see the PDF answer key)",
    },
    # -- the count mistakes (each a named wrong option of a count question) ---------------
    "count.NO_BIAS": {"fr": "les biais sont oubliés", "en": "the biases are forgotten"},
    "count.NO_RECURRENT": {
        "fr": "les matrices récurrentes $W$ ($n\\times n$) sont oubliées",
        "en": "the recurrent matrices $W$ ($n\\times n$) are forgotten",
    },
    "count.ONE_BLOCK": {
        "fr": "un seul jeu de poids est compté, comme pour une SimpleRNN (la cellule en a "
        "{blocks})",
        "en": "a single set of weights is counted, as for a SimpleRNN (the cell has {blocks})",
    },
    "count.INPUT_SIZE": {
        "fr": "$d = {features}$ (la dimension des données) pour une couche qui lit la couche "
        "précédente ($d = {previous}$)",
        "en": "$d = {features}$ (the data's dimension) for a layer that reads the layer "
        "before it ($d = {previous}$)",
    },
    "count.PYTORCH": {
        "fr": "le décompte de PyTorch (deux biais par porte, \\texttt{{bias\\_ih}} et "
        "\\texttt{{bias\\_hh}}), pas celui de Keras",
        "en": "PyTorch's count (two biases per gate, \\texttt{{bias\\_ih}} and "
        "\\texttt{{bias\\_hh}}), not Keras'",
    },
    "count.KERAS3_GRU": {
        "fr": "le défaut de Keras~3 (\\texttt{{reset\\_after=True}}, un second biais par "
        "porte), pas le modèle de l'énoncé",
        "en": "Keras~3's default (\\texttt{{reset\\_after=True}}, a second bias per gate), "
        "not the model of the question",
    },
    # -- grading the scanned copies -----------------------------------------------------
    "scan.blank": {"fr": "aucune case cochée", "en": "no box ticked"},
    "scan.several": {
        "fr": "plusieurs cases cochées : {boxes}",
        "en": "several boxes ticked: {boxes}",
    },
    "scan.unknown_box": {
        "fr": "case {box} : la question n'a que {count} réponses",
        "en": "box {box}: the question has only {count} answers",
    },
}


def word(key: str, lang: str, /, **params) -> str:
    """A word of the exam in ``lang`` (fr or en), its parameters filled in."""
    row = WORDS[key]
    return row.get(lang, row["en"]).format(**params)
