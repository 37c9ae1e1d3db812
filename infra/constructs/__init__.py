"""One construct per capability of the Seva Mitra stack."""
