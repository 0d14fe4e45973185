"""Training the learned decision layer: corpus readers, features, models and their cards."""
