"""Charts drawn in the browser: a Vega-Lite widget that is updated in place after every step.

The server sends a chart's specification once (for a new run or language) and, after each step,
only the chart's data as columns (a few kilobytes); the browser draws it with Vega. So a step
costs the server the model's step and that small message, whatever the number of students.

Solara's own ``FigureAltair`` would load Vega from ``vega@5/...``, a folder name the installed
page assets (``solara-assets``) do not have, so it needs the internet; it also embeds the chart
anew at every change. :class:`VegaChart` loads the versions that are installed
(:func:`vega_libs`) and updates its data through Vega's changeset API (:data:`TEMPLATE`). One
widget holds all the charts of a page, so that a step sends one message for all of them.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import ipyvuetify as v
import traitlets

__all__ = ["LIBS", "TEMPLATE", "VegaCharts", "vega_libs"]

# The libraries and the file of each that the widget loads, by the major version it needs.
LIBS = {
    "vega": ("vega", 5, "build/vega.min.js"),
    "vega-lite": ("vega-lite", 5, "build/vega-lite.min.js"),
    "vega-embed": ("vega-embed", 6, "build/vega-embed.min.js"),
    "requirejs": ("requirejs", 2, "require.js"),
}
_VERSION = re.compile(r"^(?P<name>[\w.-]+)@(?P<version>\d+(?:\.\d+)*)$")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def vega_libs(cache_dir: Path) -> dict[str, str]:
    """The path of each library under the page's CDN folder: the newest installed version of
    the major version the widget needs (``vega@5.21.0/build/vega.min.js``), or the major version
    alone (``vega@5/...``, which the server's asset proxy fetches from the internet) where none
    is installed."""
    installed: dict[str, list[str]] = {}
    if cache_dir.is_dir():
        for folder in cache_dir.iterdir():
            match = _VERSION.match(folder.name)
            if match and folder.is_dir():
                installed.setdefault(match["name"], []).append(match["version"])
    libs = {}
    for key, (name, major, file) in LIBS.items():
        versions = [v_ for v_ in installed.get(name, []) if _version_key(v_)[0] == major]
        version = max(versions, key=_version_key) if versions else str(major)
        libs[key] = f"{name}@{version}/{file}"
    return libs


# The widget's Vue template: Vega-Lite charts in cards, embedded once, updated in place.
TEMPLATE = r"""
<template>
    <div :class="['oa-charts', container_class]">
        <section
            v-for="chart in charts"
            :key="chart.name"
            :class="['oa-card', 'oa-chart-card', 'oa-' + chart.name]"
        >
            <h2 class="oa-chart-title">{{ heading(chart) }}</h2>
            <div
                class="oa-chart"
                :data-name="chart.name"
                data-drawn="-1"
                role="img"
                :aria-label="chart.title"
            >
                <div class="oa-plot" :ref="'plot-' + chart.name"></div>
            </div>
            <p v-if="chart.empty && version() === 0" class="oa-empty">{{ chart.empty }}</p>
            <p v-if="chart.explain" class="oa-explain">{{ chart.explain }}</p>
        </section>
    </div>
</template>
<script>
/* Vega-Lite charts drawn in the browser (sim/app/vega.py).

   `charts` lists the charts with their title, explanation and specification; it is set when a
   run starts or the language changes, and each chart is then embedded once. After a step only
   `dataset` changes: {version, charts: {name: {field: [values]}}} (the trait is not called
   `data`, which ipyvue's templates reserve). Each chart is then updated in place through Vega's
   changeset API, without compiling or embedding it again, and its element's data-drawn
   attribute says which version it shows (the tests and the load benchmark wait on it). A
   chart's heading is `heading_template` with its title and the version (the week).

   Vega, Vega-Lite and vega-embed come from the server's asset folder (`libs`: their paths
   under the page's CDN path, which the solara-assets package installs): no request leaves the
   server. */
module.exports = {
    created() {
        this.views = {};
        this.queue = this.loadVega();
    },
    mounted() {
        this.embedAll();
    },
    destroyed() {
        if (this.observer) {
            this.observer.disconnect();
        }
        this.finalizeAll();
    },
    watch: {
        charts() {
            // the new sections are in the DOM after Vue's next update
            this.$nextTick(() => this.embedAll());
        },
        dataset() {
            this.enqueue(() => this.loadAll());
        },
    },
    methods: {
        version() {
            return this.dataset && this.dataset.version !== undefined ? this.dataset.version : -1;
        },
        heading(chart) {
            if (!this.heading_template) {
                return chart.title;
            }
            return this.heading_template
                .replace("{title}", chart.title)
                .replace("{n}", String(Math.max(this.version(), 0)));
        },
        enqueue(task) {
            this.queue = this.queue.then(task).catch((err) => {
                console.error("oasim chart:", err);
            });
        },
        cdn() {
            return window.solara && window.solara.cdn ? window.solara.cdn : "./_solara/cdn";
        },
        loadVega() {
            const base = this.cdn();
            const urls = {};
            for (const [name, path] of Object.entries(this.libs)) {
                urls[name] = `${base}/${path}`;
            }
            return new Promise((resolve, reject) => {
                const go = () => {
                    window.requirejs.config({ map: { "*": urls } });
                    window.requirejs(
                        ["vega", "vega-embed"],
                        (vega, vegaEmbed) => {
                            this.vega = vega;
                            this.vegaEmbed = vegaEmbed;
                            resolve();
                        },
                        reject
                    );
                };
                if (window.requirejs) {
                    go();
                } else {
                    const script = document.createElement("script");
                    script.src = `${base}/${this.libs.requirejs}`;
                    script.onload = go;
                    script.onerror = reject;
                    document.head.appendChild(script);
                }
            });
        },
        finalizeAll() {
            for (const view of Object.values(this.views)) {
                view.finalize();
            }
            this.views = {};
        },
        element(name) {
            const ref = this.$refs["plot-" + name];
            return Array.isArray(ref) ? ref[0] : ref;
        },
        embedAll() {
            this.enqueue(async () => {
                this.finalizeAll();
                if (!this.observer && window.ResizeObserver) {
                    // a chart follows the width of its card (the window, the layout)
                    this.observer = new ResizeObserver((entries) => {
                        for (const entry of entries) {
                            const view = this.views[entry.target.dataset.chart];
                            if (view) {
                                view.resize().runAsync();
                            }
                        }
                    });
                }
                for (const chart of this.charts) {
                    const el = this.element(chart.name);
                    if (!el) {
                        continue;
                    }
                    el.dataset.chart = chart.name;
                    const result = await this.vegaEmbed(el, chart.spec, {
                        renderer: "svg",
                        actions: false,
                        tooltip: true,
                        // not "Infinite extent" for every axis before the first week
                        logLevel: this.vega.Error,
                    });
                    this.views[chart.name] = result.view;
                    if (this.observer) {
                        this.observer.observe(el);
                    }
                }
                await this.loadAll();
            });
        },
        rows(columns) {
            const names = Object.keys(columns || {});
            const n = names.length ? columns[names[0]].length : 0;
            const rows = new Array(n);
            for (let i = 0; i < n; i++) {
                const row = {};
                for (const name of names) {
                    row[name] = columns[name][i];
                }
                rows[i] = row;
            }
            return rows;
        },
        async loadAll() {
            const version = this.version();
            const data = (this.dataset && this.dataset.charts) || {};
            await Promise.all(
                Object.entries(this.views).map(async ([name, view]) => {
                    const change = this.vega
                        .changeset()
                        .remove(() => true)
                        .insert(this.rows(data[name]));
                    await view.change("data", change).runAsync();
                    this.element(name).parentElement.setAttribute("data-drawn", String(version));
                })
            );
        },
    },
};
</script>
<style id="oasim-vega">
.oa-chart,
.oa-plot {
    width: 100%;
}
.oa-plot .vega-embed {
    width: 100%;
}
.oa-plot .vega-embed summary {
    display: none;
}
#vg-tooltip-element {
    font-size: 12px;
}
</style>
"""


@functools.cache
def _installed_libs() -> dict[str, str]:
    from solara.server import settings

    return vega_libs(Path(settings.assets.proxy_cache_dir))


class VegaCharts(v.VuetifyTemplate):
    """Vega-Lite charts in cards, drawn in the browser (:data:`TEMPLATE`).

    - ``charts``: one dict per chart, ``{"name", "title", "explain", "empty", "spec"}``, where
      ``spec`` reads its data from the named source ``data`` and ``empty`` is shown before the
      first week;
    - ``dataset``: ``{"version": week, "charts": {name: {field: [values]}}}``, all the charts'
      data at once, so that a step is one message;
    - ``heading_template``: a card's heading, with ``{title}`` and ``{n}`` (the version);
    - ``container_class``: a CSS class of the cards' container (``layout`` is ipywidgets').
    """

    # The template in the module, not in a .vue file beside it: a wheel carries .py files only.
    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    charts = traitlets.List().tag(sync=True)
    dataset = traitlets.Dict().tag(sync=True)
    heading_template = traitlets.Unicode("").tag(sync=True)
    container_class = traitlets.Unicode("").tag(sync=True)
    libs = traitlets.Dict().tag(sync=True)

    @traitlets.default("libs")
    def _libs(self) -> dict[str, str]:
        return _installed_libs()
