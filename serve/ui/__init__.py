"""The web UIs served by the center (DESIGN.md decision 11)."""
