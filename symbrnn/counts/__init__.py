"""Parameter counts of stacked models, computed from the cell declarations, and
the reading of pasted model summaries. It imports the engine and printing's LaTeX
escaping (no SymPy at import time: ``symbrnn params`` starts light).
"""
