"""One module per page: thin @callback adapters between components and data/."""
