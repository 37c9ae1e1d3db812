"""The edge: HTTP and the contracts the outside world holds us to (routes, auth, errors, the
OpenAPI document, identity reduction, idempotency keys, the police signature)."""
