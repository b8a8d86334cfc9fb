"""Teaching aids: the exercises' checks, the figure recipes (experiments), figures
(plotting), the gallery, and the class tools (pins, class gallery, classifier)."""
