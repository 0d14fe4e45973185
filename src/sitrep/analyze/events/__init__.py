"""Event mentions: triggers, roles, modality, commitments, re-mentions."""
