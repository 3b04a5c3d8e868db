"""Worked exercise sheets as data, one TOML file per sheet (see README: "Writing a sheet").

Installed as ``symbrnn.derivations`` (pyproject.toml maps this folder), so that
``symbrnn sheet td5`` works after ``pip install .``.
"""
