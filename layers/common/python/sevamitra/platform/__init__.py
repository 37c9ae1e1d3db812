"""The platform: runtime plumbing every function shares (AWS clients, settings, logging and
metrics, clocks, the domain event bus)."""
