"""The data layer: models, engine set-up and every figure of the campaign (no Dash here)."""
