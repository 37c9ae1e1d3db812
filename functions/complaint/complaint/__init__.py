# First, before any Powertools import: its catch-all package __init__s load on demand
# (sevamitra/platform/powertools.py; docs/decisions.md, "Cold starts").
import sevamitra.platform.powertools  # noqa: F401
