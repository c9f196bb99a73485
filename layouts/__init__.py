"""One module per page: register_page(...) and a layout(**query) returning components."""
