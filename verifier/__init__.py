"""Signature and certificate verification with a structured ETSI-style verdict.

Imports only ``pki``; never reads the CA database (revocation data comes through a revocation source).
"""
