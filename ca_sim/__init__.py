"""The simulated Kazakh CAs (root, gov, nca): issuance, the revocation registry, CRLs, OCSP, operators, audit.

Imports only ``pki``; never the verifier, never flask.
"""
