"""The CDK app of Seva Mitra: one stack per stage, composed of one construct per capability."""
