"""The live monitor (实时监控): today's figures of a center, kept from its committed facts."""
