"""Worked exercise sheets as data, one TOML file per sheet (see README: "Writing a sheet").

Installed with symbrnn so that ``symbrnn sheet td5`` works after ``pip install .``.
"""
