"""Qt user interface: the main window and its panes (no business logic)."""
