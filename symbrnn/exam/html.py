"""A sheet's LaTeX text as the HTML of a Moodle question: math for MathJax, the rest as text.

Math is kept as LaTeX between ``\\( … \\)`` and ``\\[ … \\]`` (Moodle's MathJax filter
renders it); the text commands a sheet uses become HTML (``\\emph``, ``\\textbf``,
``\\texttt``, lists); a figure or a table that only LaTeX draws is replaced by a pointer to
the PDF key. Every piece of text is HTML-escaped: nothing of a sheet becomes markup of its own.

>>> to_html(r"Soit $u = \\sigma(Av)$, \\emph{donc} :")
'<p>Soit \\\\(u = \\\\sigma(Av)\\\\), <em>donc</em> :</p>'
"""

from __future__ import annotations

import html
import re

INLINE = {
    "emph": "em",
    "textit": "em",
    "textbf": "strong",
    "texttt": "code",
    "textsuperscript": "sup",
}
MATH = {"$$": "$$", "\\[": "\\]", "$": "$", "\\(": "\\)"}  # where math that opens so closes
FIGURES = ("tikzpicture", "tabular", "lstlisting", "verbatim", "figure", "table")
SYMBOLS = {
    "\\_": "_",
    "\\&": "&",
    "\\%": "%",
    "\\#": "#",
    "\\ldots": "…",
    "\\dots": "…",
    "\\,": "\u2009",
    "\\;": " ",
    "\\quad": "\u2003",
    "\\qquad": "\u2003\u2003",
    "~": "\u00a0",
    "---": "—",
    "--": "–",
}
_TOKEN = re.compile(
    r"\$\$|\$|\\\[|\\\(|\\begin\{([a-zA-Z*]+)\}|\\end\{([a-zA-Z*]+)\}|\\item\b|\\\\|"
    r"\\([a-zA-Z]+)\s*\{|\\[a-zA-Z]+\b\s*|\\[_&%#,;]|---|--|~|\{|\}|\n\s*\n"
)


def to_html(latex: str, figure: str = "(figure)") -> str:
    """The HTML of a text of a sheet (see the module's docstring); ``figure`` stands for
    what only LaTeX draws."""
    out, i, closers = [], 0, []
    while i < len(latex):
        m = _TOKEN.search(latex, i)
        if m is None:
            out.append(html.escape(latex[i:], quote=False))
            break
        out.append(html.escape(latex[i : m.start()], quote=False))
        token, i = m.group(0), m.end()
        if token in MATH:  # math stays LaTeX, between \\[ \\] (display) or \\( \\)
            end = _find(latex, MATH[token], i)
            math = html.escape(latex[i:end], quote=False)
            out.append(f"\\[{math}\\]" if token in ("$$", "\\[") else f"\\({math}\\)")
            i = end + len(MATH[token])
        elif m.group(1):  # \begin{env}
            env = m.group(1)
            if env in FIGURES or env.startswith("tikz"):
                end = latex.find(f"\\end{{{env}}}", i)
                i = len(latex) if end < 0 else end + len(f"\\end{{{env}}}")
                out.append(html.escape(figure, quote=False))
            elif env in ("itemize", "enumerate"):
                out.append("<ul>" if env == "itemize" else "<ol>")
            elif env == "center":
                out.append('<div style="text-align:center">')
        elif m.group(2):  # \end{env}
            env = m.group(2)
            if env in ("itemize", "enumerate"):
                out.append("</li></ul>" if env == "itemize" else "</li></ol>")
            elif env == "center":
                out.append("</div>")
        elif token.startswith("\\item"):
            out.append("<li>" if _opened_list(out) else "</li><li>")
        elif token == "\\\\":
            out.append("<br>")
        elif m.group(3):  # \command{ … }: its argument is text
            tag = INLINE.get(m.group(3))
            if m.group(3) == "resizebox":  # \resizebox{w}{h}{picture}: what only LaTeX draws
                i = _skip_groups(latex, i - 1, 3)
                out.append(html.escape(figure, quote=False))
                continue
            out.append(f"<{tag}>" if tag else "")
            closers.append(f"</{tag}>" if tag else "")
        elif token == "{":
            closers.append("")
        elif token == "}":
            out.append(closers.pop() if closers else "")
        elif token.strip() in SYMBOLS or token in SYMBOLS:
            out.append(SYMBOLS.get(token, SYMBOLS.get(token.strip(), "")))
        elif token.strip() == "" and "\n" in token:
            out.append("</p><p>")
        # any other command (\noindent, \medskip…) says nothing in HTML
    out.extend(reversed(closers))
    return "<p>" + "".join(out).strip() + "</p>"


def _find(text: str, close: str, start: int) -> int:
    """Where the math that starts at ``start`` closes (the end of the text when it never
    does: the rest is math)."""
    end = text.find(close, start)
    while end > 0 and text[end - 1] == "\\" and close == "$":
        end = text.find(close, end + 1)
    return len(text) if end < 0 else end


def _skip_groups(text: str, start: int, count: int) -> int:
    """The position after ``count`` brace groups starting at ``start``."""
    i = start
    for _ in range(count):
        while i < len(text) and text[i] != "{":
            i += 1
        depth = 0
        while i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
            if depth == 0:
                break
    return i


def _opened_list(out: list[str]) -> bool:
    """Whether the last list opened has no item yet."""
    for piece in reversed(out):
        if piece in ("<ul>", "<ol>"):
            return True
        if piece.startswith("<li>") or piece.endswith("<li>"):
            return False
    return True
