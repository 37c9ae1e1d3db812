"""Seva Mitra shared package, shipped as the common Lambda layer.

- ``domain``: the rules and records (professionals, bookings, complaints, rate card, geo, access).
- ``edge``: HTTP and outside contracts (resolver, routes, auth, errors, OpenAPI, PII, signatures).
- ``data``: DynamoDB and S3 access; the only place pynamodb models are used.
- ``platform``: AWS clients, settings, logging and metrics, clocks, the domain event bus.

``domain`` never calls AWS: it raises the contract's errors (``edge.errors``), reasons about the
``edge.auth.Caller``, and reads stored facts only through functions passed in or ``data``
look-ups named in ``access``. Nothing here imports from ``functions/*``.
"""
