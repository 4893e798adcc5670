"""Full screens: the main three-pane reader."""
