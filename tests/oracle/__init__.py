"""Test oracles: what must hold of the stored data, checked from outside the code that wrote it."""
