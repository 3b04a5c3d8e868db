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
    "stem.power": {
        "fr": "Avec la notation du cours $[\\mathrm{{Diag}}(\\cdot)\\,W]^{{m}}$ (un produit "
        "ordonné dont les facteurs changent d'un pas à l'autre), laquelle de ces expressions "
        "est égale à ${quantity}$ ?",
        "en": "With the course's notation $[\\mathrm{{Diag}}(\\cdot)\\,W]^{{m}}$ (an ordered "
        "product whose factors change from step to step), which of these expressions equals "
        "${quantity}$?",
    },
    "stem.direct_value": {
        "fr": "Que vaut ${path}$, le produit des Jacobiens le long du chemin direct de la "
        "mémoire, sous cette hypothèse ?",
        "en": "What is the product of the Jacobians along the memory's direct path ${path}$ "
        "under this hypothesis?",
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
    "exam.essays": {"fr": "questions ouvertes", "en": "essays"},
    "exam.essay": {"fr": "— question ouverte", "en": "— essay"},
    "exam.then": {"fr": " puis ", "en": " then "},
    "exam.question": {"fr": "question {id} de la feuille", "en": "question {id} of the sheet"},
    # -- Moodle feedback ----------------------------------------------------------------
    "feedback.right": {"fr": "Oui : {why}", "en": "Yes: {why}"},
    "right.input": {
        "fr": "composante par composante, $\\partial u_i/\\partial v_j$ est la dérivée de "
        "l'activation en $(Av)_i$ fois $A_{{ij}}$, soit la ligne $i$ de $A$ pondérée.",
        "en": "entry by entry, $\\partial u_i/\\partial v_j$ is the activation's derivative "
        "at $(Av)_i$ times $A_{{ij}}$: row $i$ of $A$, weighted.",
    },
    "right.gradient": {
        "fr": "un terme par couple $k \\le t$ : $\\partial L_t/\\partial h_t$, puis le "
        "produit ordonné des Jacobiens d'un pas, puis la dérivée immédiate.",
        "en": "one term per pair $k \\le t$: $\\partial L_t/\\partial h_t$, then the ordered "
        "product of one-step Jacobians, then the immediate derivative.",
    },
    "right.jacobian": {
        "fr": "la règle de la chaîne multiplie les {steps} Jacobiens d'un pas, le plus récent "
        "à gauche.",
        "en": "the chain rule multiplies the {steps} one-step Jacobians, the latest on the left.",
    },
    "right.power": {
        "fr": "{steps} Jacobiens d'un pas, écrits comme la puissance {steps} (un abus de "
        "notation : chaque facteur a son propre pas).",
        "en": "{steps} one-step Jacobians, written as the power {steps} (an abuse of notation: "
        "each factor has its own step).",
    },
    "right.held": {
        "fr": "le long du chemin direct chaque pas contribue $\\mathrm{{Diag}}(f_j)$, et avec "
        "$f_j = 1$ chacun des {steps} facteurs vaut $I$ (exact même tous chemins comptés).",
        "en": "along the direct path each step contributes $\\mathrm{{Diag}}(f_j)$, and with "
        "$f_j = 1$ each of the {steps} factors is $I$ (exact even with every path counted).",
    },
    "right.paths": {
        "fr": "tous les chemins comptés : le direct par la mémoire et ceux qui passent par "
        "$h_{{t-1}}$ (à travers chaque porte et le candidat).",
        "en": "every path counted: the direct one along the memory and those through "
        "$h_{{t-1}}$ (through each gate and the candidate).",
    },
    "right.count": {
        "fr": "{blocks} bloc(s) de $n d + n^2 + n$ avec $n = {units}$ et $d = {input}$, la "
        "taille de ce que la couche lit.",
        "en": "{blocks} block(s) of $n d + n^2 + n$ with $n = {units}$ and $d = {input}$, the "
        "size of what the layer reads.",
    },
    # -- the exam's own mistakes (those the checker's table does not make) --------------
    "mistake.TOTAL_FOR_IMMEDIATE": {
        "fr": "la dérivée totale $\\mathrm{{d}}h_k/\\mathrm{{d}}W$ à la place de la dérivée "
        "immédiate $\\partial^+ h_k/\\partial W$ : les pas antérieurs sont comptés deux fois",
        "en": "the total derivative $\\mathrm{{d}}h_k/\\mathrm{{d}}W$ in place of the immediate "
        "$\\partial^+ h_k/\\partial W$: the earlier steps are counted twice",
    },
    "mistake.GATE_FOR_GATE": {
        "fr": "le produit d'une autre porte : le long de la mémoire, chaque pas contribue la "
        "porte d'oubli $\\mathrm{{Diag}}(f_j)$",
        "en": "another gate's product: along the memory, each step contributes the forget "
        "gate $\\mathrm{{Diag}}(f_j)$",
    },
    "mistake.ZERO_FOR_IDENTITY": {
        "fr": "c'est le gradient par rapport à $W_f$ qui est nul (une porte constante "
        "n'apprend rien) ; le signal le long de $c$ passe sans atténuation",
        "en": "it is the gradient by $W_f$ that is zero (a constant gate learns nothing); the "
        "signal along $c$ goes through unattenuated",
    },
    "warn.few_options": {
        "fr": "question {id} : {count} options seulement (les erreurs connues qui s'appliquent "
        "à cette question ne donnent pas plus d'options fausses prouvées)",
        "en": "question {id}: only {count} options (the known mistakes that apply to this "
        "question give no more proven-wrong options)",
    },
    "exam.number": {
        "fr": "Codez votre numéro d'étudiant ci-contre :",
        "en": "Code your student number here:",
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
    "scan.other": {
        "fr": "une réponse qui n'est aucune des options",
        "en": "a response that is none of the options",
    },
}


def word(key: str, lang: str, /, **params) -> str:
    """A word of the exam in ``lang`` (fr or en), its parameters filled in."""
    row = WORDS[key]
    return row.get(lang, row["en"]).format(**params)
