"""The classroom web app: ``oasim app`` serves a Solara page on localhost (or the classroom
network), one model per browser session; ``oasim app --class`` adds the teacher's dashboard.

Modules (small on purpose, so that a teacher can read what the page does):

- :mod:`.controls`: the scenario library and the page's controls (levers and a few behavioural
  parameters), with their slider ranges and labels;
- :mod:`.model`: ``ClassroomModel``, the model the page steps (one per browser session);
- :mod:`.charts`: the charts as Vega-Lite specifications and the data they show after a step;
- :mod:`.vega`: the widget that draws them in the browser, from the installed page assets;
- :mod:`.components`: the parts of the student's page (run bar, setup, controls, charts,
  the card that sends a run to the class);
- :mod:`.board`: the class's entries, in the server's memory; :mod:`.dashboard`: the
  teacher's page that shows them;
- :mod:`.text`: the page's own words in English and Chinese (the rest are in sim.i18n);
- :mod:`.page`: the Solara pages and their layout;
- :mod:`.server`: starts the Solara server (offline assets, language, class mode).

Importing this package does not import Solara: :mod:`.server` must set Solara's environment
before Solara reads it at import.
"""
