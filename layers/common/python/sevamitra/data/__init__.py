"""Data access: the pynamodb models (only here) and the repositories that use them.

Handlers and domain logic receive domain objects, never pynamodb items; SDK errors are turned
into domain exceptions in this package.
"""
