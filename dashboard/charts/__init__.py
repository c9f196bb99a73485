"""Pure figure builders: data in, go.Figure out (one module per page, shared look in base)."""
