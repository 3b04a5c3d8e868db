"""Every sentence the judge says, in French and in English, under a stable key.

A verdict, a diagnosis, a note or an error is a key and its parameters; the words are
chosen when it is shown, in the reader's language. A test checks that every key has
both languages with the same parameters.

>>> say("verdict.not_equivalent", "fr")
'✗ non équivalent'
>>> str(JudgeError("answer.empty"))
'the answer is empty'
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from symbrnn.errors import InputError, Spelling, plain, spell

MESSAGES: dict[str, dict[str, str]] = {
    # -- verdicts ------------------------------------------------------------------
    "verdict.equivalent": {"en": "✓ equivalent", "fr": "✓ équivalent"},
    "verdict.not_equivalent": {"en": "✗ not equivalent", "fr": "✗ non équivalent"},
    "verdict.cannot_judge": {"en": "? cannot judge", "fr": "? impossible de juger"},
    "label.expected": {"en": "expected", "fr": "attendu"},
    "label.yours": {"en": "yours", "fr": "votre réponse"},
    "label.note": {"en": "note", "fr": "remarque"},
    "label.diagnosis": {"en": "diagnosis", "fr": "diagnostic"},
    "label.counterexample": {"en": "counterexample", "fr": "contre-exemple"},
    "label.steps": {"en": "steps", "fr": "étapes"},
    "label.first_wrong_step": {
        "en": "first wrong step: {index}",
        "fr": "première étape fausse : {index}",
    },
    "label.course_form": {"en": "in the course's form", "fr": "sous la forme du cours"},
    # -- notes of an accepted or judged answer -----------------------------------
    "note.power_read": {
        "en": "[Diag(σ') W]^n read as the ordered product ∏_{{j=t−n+1}}^{{t}} Diag(σ'(a_j)) W "
        "(the course's abuse of notation: the Diag factors differ from step to step)",
        "fr": "[Diag(σ') W]^n lu comme le produit ordonné ∏_{{j=t−n+1}}^{{t}} Diag(σ'(a_j)) W "
        "(l'abus de notation du cours : les facteurs Diag changent d'un pas à l'autre)",
    },
    "note.denominator_layout": {
        "en": "your answer uses the denominator layout (the transpose, as Pascanu et al. 2013 "
        "write Wᵀ Diag(σ')); symbrnn writes the numerator layout",
        "fr": "votre réponse est écrite en convention dénominateur (la transposée, comme "
        "Pascanu et al. 2013 écrivent Wᵀ Diag(σ')) ; symbrnn écrit la convention numérateur",
    },
    "note.gradient_shape": {
        "en": "your answer is ∇_W L written with the shape of the parameter {param}; "
        "symbrnn writes ∂L/∂{param} as a row (numerator layout): the same derivative",
        "fr": "votre réponse est ∇_W L écrit avec la forme du paramètre {param} ; "
        "symbrnn écrit ∂L/∂{param} en ligne (convention numérateur) : la même dérivée",
    },
    "note.product_convention": {
        "en": "equivalent when ∏ is read with the factor j = lower bound on the left; symbrnn "
        "reads ∏_{{j=a}}^{{b}} with j = b on the left, as ∂h_t/∂h_k = ∂h_t/∂h_{{t-1}} ⋯ "
        "∂h_{{k+1}}/∂h_k",
        "fr": "équivalent si ∏ est lu avec le facteur j = borne inférieure à gauche ; symbrnn "
        "lit ∏_{{j=a}}^{{b}} avec j = b à gauche, comme ∂h_t/∂h_k = ∂h_t/∂h_{{t-1}} ⋯ "
        "∂h_{{k+1}}/∂h_k",
    },
    "note.hypothesis": {
        "en": "judged under the question's hypothesis {hypothesis}",
        "fr": "jugé sous l'hypothèse de la question {hypothesis}",
    },
    "note.several_T": {
        "en": "T is not given: the answer was judged at T = {values}",
        "fr": "T n'est pas donné : la réponse a été jugée pour T = {values}",
    },
    "note.right_after_wrong": {
        "en": "your last line is right, but step {index} is not: a mistake was made and then "
        "undone (or two mistakes cancel)",
        "fr": "votre dernière ligne est juste, mais l'étape {index} ne l'est pas : une erreur "
        "a été faite puis corrigée (ou deux erreurs se compensent)",
    },
    "note.carried": {
        "en": "this step follows from step {index} (the mistake is carried over)",
        "fr": "cette étape découle de l'étape {index} (l'erreur est reportée)",
    },
    "note.future_zero": {
        "en": "∂h_{t}/∂h_{k} is read as 0: with {k} > {t}, the future does not act on the past "
        "(did you mean ∂h_{k}/∂h_{t}?)",
        "fr": "∂h_{t}/∂h_{k} est lu comme 0 : avec {k} > {t}, le futur n'agit pas sur le passé "
        "(vouliez-vous écrire ∂h_{k}/∂h_{t} ?)",
    },
    "diag.EVERY_TERM": {
        "en": "every term (t, k) has the same mistake: {why}",
        "fr": "chaque terme (t, k) a la même erreur : {why}",
    },
    "note.element_level": {
        "en": "a member with free indices {indices} is read as the matrix of its ({indices}) "
        "entries",
        "fr": "un membre d'indices libres {indices} est lu comme la matrice de ses "
        "coefficients ({indices})",
    },
    # -- diagnoses: one per row of the table of edits (judge/diagnose.py) ---------------
    "diag.TRANSPOSE": {
        "en": "your answer is the transpose of the expected one (numerator layout: ∂u/∂v has "
        "one row per entry of u)",
        "fr": "votre réponse est la transposée du résultat attendu (convention numérateur : "
        "∂u/∂v a une ligne par coefficient de u)",
    },
    "diag.TRANSPOSE_ONE.extra": {
        "en": "a transpose too many: {matrix}ᵀ should be {matrix}",
        "fr": "une transposée de trop : {matrix}ᵀ devrait être {matrix}",
    },
    "diag.TRANSPOSE_ONE.missing": {
        "en": "a transpose too few: {matrix} should be {matrix}ᵀ",
        "fr": "une transposée manquante : {matrix} devrait être {matrix}ᵀ",
    },
    "diag.ORDER": {
        "en": "the factors are in the wrong order (matrix products do not commute): the "
        "factor of the latest step goes on the left",
        "fr": "les facteurs sont dans le mauvais ordre (le produit matriciel n'est pas "
        "commutatif) : le facteur du pas le plus récent va à gauche",
    },
    "diag.SIGMA_FOR_PRIME": {
        "en": "σ in place of σ′ (or the reverse): the Jacobian of φ(a) is Diag(φ′(a)), not "
        "Diag(φ(a))",
        "fr": "σ à la place de σ′ (ou l'inverse) : le jacobien de φ(a) est Diag(φ′(a)), pas "
        "Diag(φ(a))",
    },
    "diag.INDEX_ORDER": {
        "en": "the indices are swapped: {entry} should be {right} (row index first)",
        "fr": "les indices sont inversés : {entry} devrait être {right} (l'indice de ligne "
        "d'abord)",
    },
    "diag.ENTRY_RANGE": {
        "en": "an entry outside its matrix ({detail}): are the indices in the right order?",
        "fr": "un coefficient hors de sa matrice ({detail}) : les indices sont-ils dans le bon "
        "ordre ?",
    },
    "diag.WRONG_ACTIVATION": {
        "en": "the derivative of the wrong activation: use {activation}′",
        "fr": "la dérivée d'une autre activation : utilisez {activation}′",
    },
    "diag.ARGUMENT": {
        "en": "φ′ is taken at the pre-activation {right}, not at {yours}",
        "fr": "φ′ se prend en la pré-activation {right}, pas en {yours}",
    },
    "diag.ARGUMENT_PRODUCT": {
        "en": "φ′ is taken where φ is: at {right}, not at {yours}",
        "fr": "φ′ se prend là où φ est appliquée : en {right}, pas en {yours}",
    },
    "diag.PARAMETER": {
        "en": "{yours} in place of {right}: which matrix multiplies the vector you "
        "differentiate by?",
        "fr": "{yours} à la place de {right} : quelle matrice multiplie le vecteur par rapport "
        "auquel vous dérivez ?",
    },
    "diag.SQUARE": {
        "en": "{yours} should be {right}: tanh′ = 1 − tanh², the square is missing",
        "fr": "{yours} devrait être {right} : tanh′ = 1 − tanh², le carré manque",
    },
    "diag.INVERTED": {
        "en": "the terms k < t vanish: ∂{state}_k/∂{state}_t with k < t is 0 (the past does "
        "not depend on the future); the chain rule carries step k to step t with "
        "∂{state}_t/∂{state}_k",
        "fr": "les termes k < t s'annulent : ∂{state}_k/∂{state}_t avec k < t vaut 0 (le passé "
        "ne dépend pas du futur) ; la règle de la chaîne porte le pas k au pas t par "
        "∂{state}_t/∂{state}_k",
    },
    "diag.IMMEDIATE_STEP": {
        "en": "∂⁺{state}_t/∂{param} in place of ∂⁺{state}_k/∂{param}: the term (t, k) is the "
        "immediate derivative at step k, carried to step t by ∂{state}_t/∂{state}_k",
        "fr": "∂⁺{state}_t/∂{param} à la place de ∂⁺{state}_k/∂{param} : le terme (t, k) est la "
        "dérivée immédiate au pas k, portée au pas t par ∂{state}_t/∂{state}_k",
    },
    "diag.IN_TERM": {
        "en": "in the term {term}: {why}",
        "fr": "dans le terme {term} : {why}",
    },
    "diag.TIME_SHIFT": {
        "en": "every time index is off by {shift} (∂{state}_t/∂{state}_{{t−1}} is read at step t)",
        "fr": "tous les indices de temps sont décalés de {shift} (∂{state}_t/∂{state}_{{t−1}} se "
        "lit au pas t)",
    },
    "diag.TIME_ONE": {
        "en": "a time index is off: {yours} should be {right}",
        "fr": "un indice de temps est faux : {yours} devrait être {right}",
    },
    "diag.SUM_FOR_PRODUCT": {
        "en": "the steps are added, but the chain rule multiplies them: ∂h_t/∂h_k is the "
        "product of the one-step Jacobians",
        "fr": "les pas sont additionnés, mais la règle de la chaîne les multiplie : "
        "∂h_t/∂h_k est le produit des jacobiens d'un pas",
    },
    "diag.MISSING_DIAG": {
        "en": "the factors Diag(φ′(a_j)) are missing: each step of the chain rule is "
        "Diag(φ′(a_j)) W, not W alone",
        "fr": "les facteurs Diag(φ′(a_j)) manquent : chaque pas de la règle de la chaîne est "
        "Diag(φ′(a_j)) W, pas W seul",
    },
    "diag.WRONG_FACTORS": {
        "en": "factors {first} to {last} from the left are wrong: {yours} should be {expected}",
        "fr": "les facteurs n° {first} à {last} en partant de la gauche sont faux : {yours} "
        "devrait être {expected}",
    },
    "diag.BOUNDS": {
        "en": "product bounds: {product} should run from {index}={lo} to {hi}",
        "fr": "bornes du produit : {product} devrait aller de {index}={lo} à {hi}",
    },
    "diag.MISSING_PATH": {
        "en": "only the direct path through {state}: the paths through {others} are missing",
        "fr": "seul le chemin direct par {state} : les chemins par {others} manquent",
    },
    "diag.MISSING_GATE_PATH": {
        "en": "the path through {gate}_t is missing: {state}_t depends on {state}_{{t−1}} "
        "through {gate}_t too",
        "fr": "le chemin par {gate}_t manque : {state}_t dépend de {state}_{{t−1}} aussi par "
        "{gate}_t",
    },
    "diag.BIAS_MISSING": {
        "en": "missing bias {biases}: the pre-activation is W h_{{t−1}} + U x_t + b",
        "fr": "biais {biases} manquant : la pré-activation est W h_{{t−1}} + U x_t + b",
    },
    "diag.BIAS_EXTRA": {
        "en": "a bias {bias} that this cell does not have: its pre-activation is "
        "W h_{{t−1}} + U x_t",
        "fr": "un biais {bias} que cette cellule n'a pas : sa pré-activation est "
        "W h_{{t−1}} + U x_t",
    },
    "diag.WRONG_FACTOR": {
        "en": "factor {position} from the left is wrong: {yours} should be {expected}",
        "fr": "le facteur n° {position} en partant de la gauche est faux : {yours} devrait "
        "être {expected}",
    },
    "diag.MISSING_FACTOR": {
        "en": "a factor is missing at position {position} from the left: {expected}",
        "fr": "il manque un facteur en position {position} en partant de la gauche : {expected}",
    },
    "diag.EXTRA_FACTOR": {
        "en": "factor {position} from the left, {yours}, does not belong",
        "fr": "le facteur n° {position} en partant de la gauche, {yours}, est en trop",
    },
    "diag.MISSING_SUMMAND": {
        "en": "a term of the sum is missing (a path of the chain rule): {terms}",
        "fr": "il manque un terme de la somme (un chemin de la règle de la chaîne) : {terms}",
    },
    "diag.EXTRA_SUMMAND": {
        "en": "a term of the sum does not belong: {terms}",
        "fr": "un terme de la somme est en trop : {terms}",
    },
    "diag.MISSING_TERM": {
        "en": "missing term(s) for (t, k) = {terms}",
        "fr": "terme(s) manquant(s) pour (t, k) = {terms}",
    },
    "diag.EXTRA_TERM": {
        "en": "extra term(s) that do not belong: {terms}",
        "fr": "terme(s) en trop : {terms}",
    },
    "diag.WRONG_TERM": {
        "en": "the term (t, k) = ({t}, {k}) is wrong: {why}",
        "fr": "le terme (t, k) = ({t}, {k}) est faux : {why}",
    },
    "diag.WRONG_TERM_UNKNOWN": {
        "en": "the term (t, k) = ({t}, {k}) is wrong: {yours} should be {expected}",
        "fr": "le terme (t, k) = ({t}, {k}) est faux : {yours} devrait être {expected}",
    },
    "diag.SCALE": {
        "en": "your answer is {factor} times the expected one",
        "fr": "votre réponse vaut {factor} fois le résultat attendu",
    },
    "diag.SIGN": {
        "en": "the sign is wrong: your answer is the opposite of the expected one",
        "fr": "le signe est faux : votre réponse est l'opposée du résultat attendu",
    },
    "diag.BOUND_FOR_VALUE": {
        "en": "a bound is not the Jacobian: σ′ ≤ 1/4 gives ‖∂h_t/∂h_k‖ ≤ (‖W‖/4)^(t−k), but "
        "∂h_t/∂h_k itself keeps its factors Diag(σ′(a_j))",
        "fr": "une borne n'est pas le jacobien : σ′ ≤ 1/4 donne ‖∂h_t/∂h_k‖ ≤ (‖W‖/4)^(t−k), "
        "mais ∂h_t/∂h_k garde ses facteurs Diag(σ′(a_j))",
    },
    "diag.TWO_EDITS": {
        "en": "two mistakes: {first}; and {second}",
        "fr": "deux erreurs : {first} ; et {second}",
    },
    "diag.SHAPE_PRODUCT": {
        "en": "the product {left} {right} is not defined: {left} is {left_dims} and {right} "
        "is {right_dims}{hint}",
        "fr": "le produit {left} {right} n'est pas défini : {left} est {left_dims} et {right} "
        "est {right_dims}{hint}",
    },
    "diag.SHAPE_SUM": {
        "en": "the sum {left} + {right} is not defined: {left} is {left_dims} and {right} is "
        "{right_dims}",
        "fr": "la somme {left} + {right} n'est pas définie : {left} est {left_dims} et {right} "
        "est {right_dims}",
    },
    "diag.SHAPE_HINT_DIAG": {"en": " (a missing Diag?)", "fr": " (un Diag oublié ?)"},
    "diag.SHAPE_DIFFERS": {
        "en": "your answer is {yours}, the result is {expected}",
        "fr": "votre réponse est de taille {yours}, le résultat de taille {expected}",
    },
    "diag.SHAPE": {
        "en": "the expression is not defined for every n and d",
        "fr": "l'expression n'est pas définie pour tous n et d",
    },
    "diag.UNKNOWN": {
        "en": "no single edit explains the difference; compare with the expected result",
        "fr": "aucune modification simple n'explique l'écart ; comparez avec le résultat attendu",
    },
    # -- answers that cannot be read ----------------------------------------------------
    "answer.empty": {"en": "the answer is empty", "fr": "la réponse est vide"},
    "answer.empty_member": {
        "en": "member {index} of the derivation is empty (two '=' in a row?)",
        "fr": "le membre {index} de la dérivation est vide (deux « = » de suite ?)",
    },
    "answer.only_quantity": {
        "en": "the answer only names the quantity; write what it is equal to",
        "fr": "la réponse ne fait que nommer la quantité ; écrivez ce qu'elle vaut",
    },
    "answer.too_long": {
        "en": "the answer is longer than {limit} characters",
        "fr": "la réponse dépasse {limit} caractères",
    },
    "answer.too_many_members": {
        "en": "a derivation of more than {limit} members is too long to check",
        "fr": "une dérivation de plus de {limit} membres est trop longue à vérifier",
    },
    "answer.unexpected_char": {
        "en": "cannot read the answer at position {pos}: unexpected {char}",
        "fr": "réponse illisible à la position {pos} : {char} inattendu",
    },
    "answer.expected_token": {
        "en": "cannot read the answer at position {pos}: expected {want}, got {got}",
        "fr": "réponse illisible à la position {pos} : {want} attendu, {got} trouvé",
    },
    "answer.the_end": {"en": "the end", "fr": "la fin"},
    "answer.unclosed_brace": {
        "en": "cannot read the answer at position {pos}: this '{{' is never closed",
        "fr": "réponse illisible à la position {pos} : cette « {{ » n'est jamais fermée",
    },
    "answer.unclosed": {
        "en": "cannot read the answer at position {pos}: this {bracket} is never closed",
        "fr": "réponse illisible à la position {pos} : ce {bracket} n'est jamais fermé",
    },
    "answer.T_unbound": {
        "en": "T, the horizon, has no value here: give ⟨T⟩ (or ⟨sheet⟩, whose T is used), "
        "e.g. ⟨T=3⟩",
        "fr": "T, l'horizon, n'a pas de valeur ici : donnez ⟨T⟩ (ou ⟨sheet⟩, dont le T est "
        "utilisé), par exemple ⟨T=3⟩",
    },
    "answer.unclosed_bounds": {
        "en": "cannot read the answer at position {pos}: the bounds opened here are never closed",
        "fr": "réponse illisible à la position {pos} : les bornes ouvertes ici ne sont jamais "
        "fermées",
    },
    "answer.unexpected": {
        "en": "cannot read the answer at position {pos}: unexpected {got}",
        "fr": "réponse illisible à la position {pos} : {got} inattendu",
    },
    "answer.unknown_command": {
        "en": "cannot read the answer at position {pos}: unknown command {command}",
        "fr": "réponse illisible à la position {pos} : commande inconnue {command}",
    },
    "answer.unknown_function": {
        "en": "unknown function {name}",
        "fr": "fonction inconnue {name}",
    },
    "answer.bare_number": {
        "en": "cannot read the answer at position {pos}: a bare number {number} (a scalar "
        "factor is written before a matrix, e.g. 2 W)",
        "fr": "réponse illisible à la position {pos} : un nombre seul {number} (un facteur "
        "scalaire s'écrit devant une matrice, par exemple 2 W)",
    },
    "answer.step_not_bound": {
        "en": "the step {step} is not bound: give it a value, or bind it with "
        "\\prod_{{{step}=...}}^{{...}} or \\sum_{{{step}=...}}^{{...}}",
        "fr": "le pas {step} n'est pas lié : donnez-lui une valeur, ou liez-le par "
        "\\prod_{{{step}=...}}^{{...}} ou \\sum_{{{step}=...}}^{{...}}",
    },
    "answer.prime_without_step": {
        "en": "σ' without its step is read only inside [Diag(σ') W]^n; elsewhere write σ'(a_t)",
        "fr": "σ' sans son pas n'est lu que dans [Diag(σ') W]^n ; ailleurs écrivez σ'(a_t)",
    },
    "answer.needs_step": {
        "en": "{name} needs its time step, e.g. {name}_t or {name}_{{t-1}}",
        "fr": "{name} a besoin de son pas de temps, par exemple {name}_t ou {name}_{{t-1}}",
    },
    "answer.symbolic_power": {
        "en": "cannot check the power ^{{{exponent}}} at position {pos}: write the ordered "
        "product, e.g. \\prod_{{j=k+1}}^{{t}} \\operatorname{{Diag}}(\\sigma'(a_j)) W",
        "fr": "impossible de vérifier la puissance ^{{{exponent}}} à la position {pos} : "
        "écrivez le produit ordonné, par exemple \\prod_{{j=k+1}}^{{t}} "
        "\\operatorname{{Diag}}(\\sigma'(a_j)) W",
    },
    "answer.power_range": {
        "en": "cannot check the power ^{{{exponent}}}: powers from 0 to {limit} only",
        "fr": "impossible de vérifier la puissance ^{{{exponent}}} : puissances de 0 à "
        "{limit} seulement",
    },
    "answer.matrix_cell": {
        "en": "cannot read the answer at position {pos}: expected & or \\\\ or "
        "\\end{{pmatrix}} in the matrix opened at position {start}",
        "fr": "réponse illisible à la position {pos} : & ou \\\\ ou \\end{{pmatrix}} attendu "
        "dans la matrice ouverte à la position {start}",
    },
    "answer.matrix_rows": {
        "en": "the matrix at position {start} has rows of different lengths",
        "fr": "la matrice de la position {start} a des lignes de longueurs différentes",
    },
    "answer.function_argument": {
        "en": "cannot read the answer at position {pos}: write the argument of {function} "
        "(e.g. {function}(a_t)); the time step matters",
        "fr": "réponse illisible à la position {pos} : écrivez l'argument de {function} "
        "(par exemple {function}(a_t)) ; le pas de temps compte",
    },
    "answer.unknown_symbol": {
        "en": "unknown symbol {symbol}; this cell knows: {known}",
        "fr": "symbole inconnu {symbol} ; cette cellule connaît : {known}",
    },
    "answer.nested": {
        "en": "the answer is nested too deeply to read",
        "fr": "la réponse est trop imbriquée pour être lue",
    },
    "answer.not_matrices": {
        "en": "the answer does not make sense as matrices: {detail}",
        "fr": "la réponse n'a pas de sens en tant que matrices : {detail}",
    },
    "answer.product_body": {
        "en": "put the product in parentheses: \\prod_{{{index}=...}}^{{...}} (...) followed "
        "by the other factors",
        "fr": "mettez le produit entre parenthèses : \\prod_{{{index}=...}}^{{...}} (...) "
        "suivi des autres facteurs",
    },
    "answer.power_last_step": {
        "en": "[Diag(σ') W]^n needs to know its last step: write it after ∂L_t/∂h_t, or write "
        "the ordered product ∏_{{j=k+1}}^{{t}}",
        "fr": "[Diag(σ') W]^n doit connaître son dernier pas : écrivez-le après ∂L_t/∂h_t, ou "
        "écrivez le produit ordonné ∏_{{j=k+1}}^{{t}}",
    },
    "answer.power_ambiguous": {
        "en": "[..]^n cannot be checked for this cell: {state} without a step could be "
        "{state}_j or {state}_{{j-1}}; write the ordered product with its steps, e.g. "
        "\\prod_{{j=k+1}}^{{t}}",
        "fr": "[..]^n ne peut pas être vérifié pour cette cellule : {state} sans pas peut "
        "être {state}_j ou {state}_{{j-1}} ; écrivez le produit ordonné avec ses pas, par "
        "exemple \\prod_{{j=k+1}}^{{t}}",
    },
    "answer.partial_needs_step": {
        "en": "∂{name} needs its time step, e.g. ∂{name}_t",
        "fr": "∂{name} a besoin de son pas de temps, par exemple ∂{name}_t",
    },
    "answer.loss_by_state": {
        "en": "∂L/∂{state}: the loss is differentiated by a state, e.g. ∂L_t/∂h_t",
        "fr": "∂L/∂{state} : la perte se dérive par rapport à un état, par exemple ∂L_t/∂h_t",
    },
    "answer.delta_needs_T": {
        "en": "∂L/∂h_k (δ_k) needs the horizon: give ⟨T⟩",
        "fr": "∂L/∂h_k (δ_k) a besoin de l'horizon : donnez ⟨T⟩",
    },
    "answer.unknown_parameter": {
        "en": "unknown parameter {name}; this cell has: {known}",
        "fr": "paramètre inconnu {name} ; cette cellule a : {known}",
    },
    "answer.too_much_work": {
        "en": "the answer describes more than {limit} matrix products once its sums, products "
        "and powers are written out: too much to check",
        "fr": "la réponse décrit plus de {limit} produits matriciels une fois ses sommes, "
        "produits et puissances développés : trop pour être vérifiée",
    },
    "answer.sums_nested": {"en": "sums nested too deeply", "fr": "sommes trop imbriquées"},
    "answer.sum_too_long": {
        "en": "a sum of {count} terms is too long to check",
        "fr": "une somme de {count} termes est trop longue à vérifier",
    },
    "answer.sum_bounds": {
        "en": "sums are checked with number bounds: give them (or ⟨T⟩ for T), e.g. "
        "\\sum_{{k=1}}^{{3}}",
        "fr": "les sommes se vérifient avec des bornes numériques : donnez-les (ou ⟨T⟩ pour "
        "T), par exemple \\sum_{{k=1}}^{{3}}",
    },
    "answer.index": {
        "en": "cannot read the index {index} at position {pos}: {why}",
        "fr": "indice {index} illisible à la position {pos} : {why}",
    },
    "index.letters": {
        "en": "use integers, t, k, j, T, n, s, + and −",
        "fr": "utilisez des entiers, t, k, j, T, n, s, + et −",
    },
    "index.empty": {"en": "empty index", "fr": "indice vide"},
    "index.nested": {"en": "nested too deeply", "fr": "trop imbriqué"},
    "index.incomplete": {"en": "incomplete index", "fr": "indice incomplet"},
    "index.too_large": {"en": "at most {limit}", "fr": "au plus {limit}"},
    "index.unclosed": {"en": "unclosed '('", "fr": "« ( » non fermée"},
    "answer.free_index": {
        "en": "the index {index} is free on one side only: an element-level member gives the "
        "entry (i, j) with both i and j",
        "fr": "l'indice {index} n'est libre que d'un côté : un membre au niveau des "
        "coefficients donne le coefficient (i, j) avec i et j",
    },
    "answer.element_level": {
        "en": "cannot read the entry at position {pos}: {why}",
        "fr": "coefficient illisible à la position {pos} : {why}",
    },
    # -- notation as students write it (symbrnn/judge/student.py, spelling.py) ------------
    "answer.identity_size": {
        "en": "cannot read the answer at position {pos}: the identity's size is n (I_n) or d (I_d)",
        "fr": "réponse illisible à la position {pos} : la taille de l'identité est n (I_n) "
        "ou d (I_d)",
    },
    "answer.indicator": {
        "en": "cannot read the answer at position {pos}: an indicator compares with 0, "
        "as in 𝟙_{{a_t > 0}}",
        "fr": "réponse illisible à la position {pos} : une indicatrice compare à 0, "
        "comme 𝟙_{{a_t > 0}}",
    },
    "answer.second_derivative": {
        "en": "cannot read the answer at position {pos}: a derivative of order {order} "
        "(σ'') has no place in these Jacobians: write σ'",
        "fr": "réponse illisible à la position {pos} : une dérivée d'ordre {order} (σ'') "
        "n'a pas sa place dans ces Jacobiens : écrivez σ'",
    },
    "note.prime_transpose": {
        "en": "a prime after a matrix or a vector (W') was read as its transpose Wᵀ, as in "
        "MATLAB and R; write W^\\top to leave no doubt",
        "fr": "un prime après une matrice ou un vecteur (W') a été lu comme sa transposée Wᵀ, "
        "comme en MATLAB et en R ; écrivez W^\\top pour lever le doute",
    },
    "note.definition": {
        "en": "{definition} read as a definition and put in place of its name",
        "fr": "{definition} lu comme une définition et mis à la place de son nom",
    },
    "note.prime_at_step": {
        "en": "σ' without its step read at the quantity's step {step}, as σ'(a_{step})",
        "fr": "σ' sans son pas lu au pas {step} de la quantité, comme σ'(a_{step})",
    },
    "note.remark_skipped": {
        "en": "the remark {remark!r} was read as prose: it is not part of the answer",
        "fr": "la remarque {remark!r} a été lue comme du texte : elle ne fait pas partie de "
        "la réponse",
    },
    # -- the check's own options ---------------------------------------------------
    "check.too_long": {
        "en": "the answer takes more than {seconds} s to check: too much work (write out "
        "fewer terms)",
        "fr": "la réponse prend plus de {seconds} s à vérifier : trop de travail (développez "
        "moins de termes)",
    },
    "check.quantity": {
        "en": "cannot read the quantity {quantity}: write dL/d<parameter> (dL/dW, dL/dW_f), "
        "dh/dh, dc/dc, or with steps dh_3/dh_1, \\frac{{\\partial h_3}}{{\\partial h_1}}",
        "fr": "quantité {quantity} illisible : écrivez dL/d<paramètre> (dL/dW, dL/dW_f), "
        "dh/dh, dc/dc, ou avec les pas dh_3/dh_1, \\frac{{\\partial h_3}}{{\\partial h_1}}",
    },
    "check.quantity_order": {
        "en": "quantity {quantity}: ∂h_t/∂h_k needs k ≤ t",
        "fr": "quantité {quantity} : ∂h_t/∂h_k demande k ≤ t",
    },
    "check.no_param": {
        "en": "the cell {cell} has no parameter {param}; it has: {known}",
        "fr": "la cellule {cell} n'a pas de paramètre {param} ; ses paramètres : {known}",
    },
    "check.no_state": {
        "en": "the cell {cell} has no state {state}; its states: {known}",
        "fr": "la cellule {cell} n'a pas d'état {state} ; ses états : {known}",
    },
    "check.not_input": {
        "en": "{quantity}: {wrt} is not the input of this cell",
        "fr": "{quantity} : {wrt} n'est pas l'entrée de cette cellule",
    },
    "check.quantity_steps": {
        "en": "quantity {quantity}: give the steps, e.g. d{name}_3/d{name}_1",
        "fr": "quantité {quantity} : donnez les pas, par exemple d{name}_3/d{name}_1",
    },
    "check.needs_T": {
        "en": "dL/d... needs T, the number of steps: give ⟨T⟩",
        "fr": "dL/d... a besoin de T, le nombre de pas : donnez ⟨T⟩",
    },
    "check.T_range": {
        "en": "⟨T⟩ must be 1..{limit} for dL/d... (got {T})",
        "fr": "⟨T⟩ doit valoir de 1 à {limit} pour dL/d... ({T} donné)",
    },
    "check.steps_range": {"en": "at most {limit} steps", "fr": "au plus {limit} pas"},
    "check.layout": {
        "en": "unknown layout {layout}; choose one of: {choices}",
        "fr": "convention {layout} inconnue ; choisissez parmi : {choices}",
    },
    "check.paths": {
        "en": "unknown paths {paths}; choose all or direct",
        "fr": "chemins {paths} inconnus ; choisissez all ou direct",
    },
    "check.T_conflict": {
        "en": "⟨T={given}⟩ differs from the sheet's T = {sheet}: leave ⟨T⟩ out with ⟨sheet⟩, "
        "or give the same value",
        "fr": "⟨T={given}⟩ diffère du T = {sheet} de la feuille : omettez ⟨T⟩ avec ⟨sheet⟩, "
        "ou donnez la même valeur",
    },
    "check.lang": {
        "en": "unknown language {lang}; choose fr or en",
        "fr": "langue {lang} inconnue ; choisissez fr ou en",
    },
    # the short name of each answer note (the partial credit a key's marking guide prints):
    # words only, no symbol, so that LaTeX and HTML print them as they are
    "name.ARGUMENT": {
        "en": "the derivative taken at the state, not at the pre-activation",
        "fr": "la dérivée prise en l'état, pas en la pré-activation",
    },
    "name.BIAS_EXTRA": {
        "en": "a bias the cell does not have",
        "fr": "un biais que la cellule n'a pas",
    },
    "name.BIAS_MISSING": {"en": "a bias left out", "fr": "un biais oublié"},
    "name.BOUNDS": {"en": "wrong bounds of the product", "fr": "les bornes du produit fausses"},
    "name.BOUND_FOR_VALUE": {
        "en": "a bound given as the value",
        "fr": "une borne donnée pour la valeur",
    },
    "name.EXTRA_FACTOR": {"en": "a factor too many", "fr": "un facteur en trop"},
    "name.EXTRA_SUMMAND": {
        "en": "a term of the sum too many",
        "fr": "un terme de la somme en trop",
    },
    "name.EXTRA_TERM": {"en": "a term too many", "fr": "un terme en trop"},
    "name.INDEX_ORDER": {
        "en": "row and column indices swapped",
        "fr": "les indices de ligne et de colonne inversés",
    },
    "name.MISSING_DIAG": {"en": "the Diag factors left out", "fr": "les facteurs Diag oubliés"},
    "name.MISSING_FACTOR": {"en": "a factor left out", "fr": "un facteur oublié"},
    "name.MISSING_PATH": {"en": "a path left out", "fr": "un chemin oublié"},
    "name.MISSING_SUMMAND": {
        "en": "a term of the sum left out",
        "fr": "un terme de la somme oublié",
    },
    "name.MISSING_TERM": {
        "en": "a term of the double sum left out",
        "fr": "un terme de la double somme oublié",
    },
    "name.ORDER": {
        "en": "the factors in the wrong order",
        "fr": "les facteurs dans le mauvais ordre",
    },
    "name.RIGHT_AFTER_WRONG": {
        "en": "a right end after a wrong step",
        "fr": "une fin juste après une étape fausse",
    },
    "name.SCALE": {"en": "a wrong constant factor", "fr": "un facteur constant faux"},
    "name.SHAPE": {"en": "shapes that do not match", "fr": "des dimensions incompatibles"},
    "name.SIGMA_FOR_PRIME": {
        "en": "the activation in place of its derivative",
        "fr": "l'activation à la place de sa dérivée",
    },
    "name.SIGN": {"en": "the wrong sign", "fr": "le signe faux"},
    "name.SUM_FOR_PRODUCT": {
        "en": "a sum in place of a product",
        "fr": "une somme à la place d'un produit",
    },
    "name.TIME_ONE": {"en": "a wrong time index", "fr": "un indice de temps faux"},
    "name.TIME_SHIFT": {
        "en": "every time index shifted",
        "fr": "tous les indices de temps décalés",
    },
    "name.TRANSPOSE": {"en": "the result transposed", "fr": "le résultat transposé"},
    "name.TRANSPOSE_ONE": {
        "en": "one transpose too many or too few",
        "fr": "une transposée en trop ou en moins",
    },
    "name.TWO_EDITS": {"en": "two mistakes", "fr": "deux erreurs"},
    "name.UNKNOWN": {"en": "another mistake", "fr": "une autre erreur"},
    "name.WRONG_ACTIVATION": {
        "en": "the derivative of another activation",
        "fr": "la dérivée d'une autre activation",
    },
    "name.WRONG_FACTOR": {"en": "a wrong factor", "fr": "un facteur faux"},
    "name.WRONG_FACTORS": {"en": "several wrong factors", "fr": "plusieurs facteurs faux"},
    "name.WRONG_TERM": {
        "en": "a wrong term of the double sum",
        "fr": "un terme faux dans la double somme",
    },
}


@dataclass(frozen=True)
class Msg:
    """A sentence not yet said: its key and its parameters (a parameter may be a Msg)."""

    key: str
    params: tuple = ()

    @classmethod
    def of(cls, key: str, /, **params) -> Msg:
        if key not in MESSAGES:
            raise KeyError(f"no message {key!r}")
        return cls(key, tuple(sorted(params.items())))

    def text(self, lang: str = "en") -> str:
        return say(self.key, lang, **dict(self.params))


def say(key: str, lang: str = "en", /, **params) -> str:
    """The sentence of ``key`` in ``lang`` (fr or en), its parameters filled in."""
    words = MESSAGES[key]
    shown = {k: v.text(lang) if isinstance(v, Msg) else v for k, v in params.items()}
    return words.get(lang, words["en"]).format(**shown)


def placeholders(template: str) -> set[str]:
    """The parameter names a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class JudgeError(InputError):
    """An error of the judge (exit 2), said in either language.

    ``str()`` is English; :meth:`text` chooses the language.
    """

    def __init__(self, key: str, /, **params):
        if key not in MESSAGES:
            raise KeyError(f"no message {key!r}")
        self.key, self.params = key, params
        super().__init__(say(key, "en", **params))

    def text(self, lang: str = "en", spelling: Spelling = plain) -> str:
        """The message in ``lang``, its options spelled as the front end names them."""
        return spell(say(self.key, lang, **self.params), spelling)

    def __reduce__(self):  # raised in a worker process, said in the parent's language
        return (_judge_error, (type(self), self.key, self.params))


def _judge_error(cls, key, params):
    return cls(key, **params)


# Named Jacobians and the general case (t, k, T left free), judged at instances.
MESSAGES.update(
    {
        "answer.jacobian_pair": {
            "en": "∂{num}/∂{den}: both must be quantities of the cell (a state such as h or "
            "c, a gate, a pre-activation)",
            "fr": "∂{num}/∂{den} : les deux doivent être des grandeurs de la cellule (un état "
            "comme h ou c, une porte, une pré-activation)",
        },
    }
)
MESSAGES.update(
    {
        "note.general_judged": {
            "en": "an identity in {letters}: judged at {instances}",
            "fr": "une identité en {letters} : jugée en {instances}",
        },
        "note.general_fails": {
            "en": "wrong at {instance}: the answer must hold for every {letters} (t ≥ k, "
            "t = k included)",
            "fr": "fausse en {instance} : la réponse doit valoir pour tous {letters} (t ≥ k, "
            "t = k compris)",
        },
    }
)

# A class CSV read as RFC 4180 says: where a row comes from, and what is wrong with it.
MESSAGES.update(
    {
        "csv.at": {"en": "{file}, line {line}", "fr": "{file}, ligne {line}"},
        "csv.not_utf8": {
            "en": "{file}: not UTF-8 text (byte {byte}); export the CSV as UTF-8",
            "fr": "{file} : pas un texte UTF-8 (octet {byte}) ; exportez le CSV en UTF-8",
        },
        "csv.columns": {
            "en": "{file}: missing column(s) {missing}; need student, answer and quantity "
            "(or question)",
            "fr": "{file} : colonne(s) manquante(s) {missing} ; il faut student, answer et "
            "quantity (ou question)",
        },
        "csv.column_twice": {
            "en": "{file}: the column {column} is named twice in the header",
            "fr": "{file} : la colonne {column} est nommée deux fois dans l'en-tête",
        },
        "csv.unclosed": {
            "en": '{at}: a quoted field is never closed (a " is missing)',
            "fr": "{at} : un champ entre guillemets n'est jamais refermé (il manque un \")",
        },
        "csv.after_quote": {
            "en": '{at}: a quoted field goes on after its closing quote; inside quotes, write a " '
            'as ""',
            "fr": "{at} : un champ entre guillemets continue après son guillemet fermant ; entre "
            'guillemets, un " s\'écrit ""',
        },
        "csv.too_long": {
            "en": "{at}: a field is longer than {limit:,} characters",
            "fr": "{at} : un champ dépasse {limit:,} caractères",
        },
        "csv.csv": {"en": "{at}: {reason}", "fr": "{at} : {reason}"},
        "csv.fields": {
            "en": "{at}: {count} fields, the header has {header}; quote a field that holds the "
            'separator {sep} ("a{sep}b")',
            "fr": "{at} : {count} champs, l'en-tête en a {header} ; mettez entre guillemets un "
            'champ qui contient le séparateur {sep} ("a{sep}b")',
        },
        "csv.rows": {
            "en": "more than {limit:,} answers; grade the class in parts",
            "fr": "plus de {limit:,} réponses ; corrigez la classe en plusieurs fois",
        },
        "csv.not_found": {"en": "file not found: {file}", "fr": "fichier introuvable : {file}"},
        "csv.no_csv": {"en": "no .csv file in {file}", "fr": "aucun fichier .csv dans {file}"},
        "csv.duplicate": {
            "en": "warning: {at}: {student} answers {question} again (first at {first}); the "
            "answer of line {line} is kept",
            "fr": "attention : {at} : {student} répond de nouveau à {question} (déjà {first}) ; "
            "la réponse de la ligne {line} est gardée",
        },
    }
)
