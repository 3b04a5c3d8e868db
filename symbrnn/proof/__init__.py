"""Proofs: every derived Jacobian and gradient against element-level brute force
(exact expansion, exact random-point identity test, naive baseline) and central
finite differences. It imports the engine, the printers and ``numeric``.
"""
