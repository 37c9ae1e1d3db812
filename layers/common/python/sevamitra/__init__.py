"""Seva Mitra shared package: domain types, data access, geo, auth, errors and observability.

Shipped as the common Lambda layer. It never imports from ``functions/*``.
"""
