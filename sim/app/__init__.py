"""The classroom web app: ``oasim app`` serves a Mesa SolaraViz page on localhost.

Modules (small on purpose, so that a teacher can read what the page does):

- :mod:`.controls`: the scenario library and the page's controls (levers and a few behavioural
  parameters), with their slider ranges and labels;
- :mod:`.model`: ``ClassroomModel``, the model the page steps (one per browser session);
- :mod:`.components`: the figures (the hierarchy coloured by anxiety, charts over time) and the
  Solara component that shows them;
- :mod:`.page`: the Solara page;
- :mod:`.server`: starts the Solara server (offline assets, language).

Importing this package does not import Solara: :mod:`.server` must set Solara's environment
before Solara reads it at import.
"""
