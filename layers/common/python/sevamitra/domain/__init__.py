"""The domain: the platform's rules and records (professionals, bookings, complaints, the rate
card, geo search, who may act for whom, the audit chain), free of AWS and HTTP."""
