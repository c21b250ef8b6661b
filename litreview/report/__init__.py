"""Rendering: the view model, escaping, citations, PRISMA, SVG figures and the Jinja templates."""
