"""State-body digital documents and the owner's Open Access grants (rules.md DD-8, DD-9, DD-14).

A state body's information system submits a document signed by a civil servant's certificate of a
state-bodies CA, or by a legal-entity certificate of an authorised state organisation; the document is
verified in document mode by :mod:`verifier` and stored with its verdict (:mod:`documents.service`).
The owner named in the document grants third parties access with a random token (temporary or continuous,
revocable); every view is recorded. This package uses the verifier only: it never imports ca_sim (a
contract in pyproject), and knows nothing of HTTP.
"""
