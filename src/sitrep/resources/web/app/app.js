/* sitrep: the analyst's view. One script for the offline report (data embedded in the page)
   and the web app (data from the JSON API). Untrusted text is only ever set as text
   (textContent, createTextNode) or as a plain attribute value: never parsed as HTML. */
(function () {
  "use strict";

  var MODE = document.documentElement.getAttribute("data-source") || "report";
  var HIDDEN_MODALITIES = ["hypothetical", "negated", "future", "question"];
  var MAX_CARDS = 200;
  // How an article repeats the account it folds into (consolidate/sources.py).
  var REPEATS = { near_duplicate: "near-duplicate copy", passage: "repeats a passage" };
  var state = { data: null, articles: null, articlesPromise: null, shown: [], filters: {}, hits: null };
  var map, cluster, areaLayer, markersById = {};

  // ------------------------------------------------------------------ small DOM helpers
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") node.textContent = attrs[k];
        else if (k === "cls") node.className = attrs[k];
        else if (k === "on") Object.keys(attrs.on).forEach(function (e) { node.addEventListener(e, attrs.on[e]); });
        else if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, String(attrs[k]));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function $(id) { return document.getElementById(id); }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function toll(k) { if (!k) return ""; return k.high === k.low ? String(k.low) : k.low + "–" + (k.high === null ? "?" : k.high); }
  function safeUrl(u) { return typeof u === "string" && /^https?:\/\//i.test(u) ? u : null; }

  // ------------------------------------------------------------------ data sources
  // Embedded data: gzip-compressed JSON in base64, unpacked by the browser itself.
  function unpack(id) {
    var b64 = $(id).textContent.trim();
    var bytes = Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }
  function loadReport() {
    return unpack("sitrep-data").then(function (data) { state.data = data; return data; });
  }
  function articlesFromReport() {
    if (!state.articlesPromise) {
      state.articlesPromise = unpack("sitrep-articles").then(function (all) { state.articles = all; return all; });
    }
    return state.articlesPromise;
  }
  function api(path, options) {
    return fetch(path, options).then(function (r) {
      return r.json().then(function (body) { if (!r.ok) throw new Error(body.detail || r.statusText); return body; });
    });
  }
  function loadApi() {
    return api("/api/bundle").then(function (data) { state.data = data; return data; });
  }
  function getArticle(id) {
    if (MODE === "report") return articlesFromReport().then(function (all) { return all[id] || null; });
    return api("/api/articles/" + encodeURIComponent(id) + "/view").then(function (v) {
      var a = v.article; return { title: a.title, outlet: a.outlet, published: a.published, authors: a.authors, url: a.url, text: a.text, spans: v.spans };
    });
  }
  function searchIds(q) {
    if (!q) return Promise.resolve(null);
    if (MODE === "api") return api("/api/search?q=" + encodeURIComponent(q) + "&limit=500").then(function (r) {
      var ids = {}; r.items.forEach(function (h) { ids[h.article_id] = true; }); return ids;
    });
    return articlesFromReport().then(function (all) {
      var words = q.toLowerCase().split(/\s+/).filter(Boolean), ids = {};
      Object.keys(all).forEach(function (id) {
        var text = ((all[id].title || "") + "\n" + all[id].text).toLowerCase();
        if (words.every(function (w) { return text.indexOf(w) >= 0; })) ids[id] = true;
      });
      return ids;
    });
  }

  // ------------------------------------------------------------------ filters and the URL
  var FILTERS = ["from", "to", "type", "actor", "province", "outlet", "modality", "mintoll", "q"];
  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, "")), f = {};
    FILTERS.concat(["incident", "article", "span", "all"]).forEach(function (k) { var v = params.get(k); if (v) f[k] = v; });
    return f;
  }
  function writeHash() {
    var params = new URLSearchParams();
    Object.keys(state.filters).forEach(function (k) { if (state.filters[k]) params.set(k, state.filters[k]); });
    var hash = params.toString();
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }
  function fillSelect(id, values) {
    var select = $(id);
    values.forEach(function (v) { select.appendChild(el("option", { value: v, text: v })); });
  }
  function bindFilters() {
    var o = state.data.options;
    fillSelect("f-type", o.types); fillSelect("f-actor", o.actors); fillSelect("f-province", o.provinces);
    fillSelect("f-outlet", o.outlets); fillSelect("f-modality", o.modalities);
    var ids = { from: "f-from", to: "f-to", type: "f-type", actor: "f-actor", province: "f-province", outlet: "f-outlet", modality: "f-modality", mintoll: "f-mintoll", q: "f-q" };
    Object.keys(ids).forEach(function (k) {
      var input = $(ids[k]);
      input.value = state.filters[k] || "";
      input.addEventListener("change", function () { state.filters[k] = input.value.trim(); update(k === "q"); });
    });
    $("f-all").checked = state.filters.all === "1";
    $("f-all").addEventListener("change", function () { state.filters.all = $("f-all").checked ? "1" : ""; writeHash(); if (state.filters.article) openArticle(state.filters.article, state.filters.span); });
    $("f-reset").addEventListener("click", function () {
      FILTERS.forEach(function (k) { state.filters[k] = ""; $(ids[k]).value = ""; });
      update(true);
    });
  }
  function matches(r, f) {
    var date = (r.date && r.date.value) || "";
    if (f.from && !(date && date >= f.from.slice(0, date.length))) return false;
    if (f.to && !(date && date <= f.to.slice(0, date.length))) return false;
    if (f.type && r.type !== f.type) return false;
    if (f.actor && r.actors.concat(r.recipients).map(function (c) { return c.toUpperCase(); }).indexOf(f.actor.toUpperCase()) < 0) return false;
    if (f.province && !(r.place && (r.place.admin1 || "").toLowerCase() === f.province.toLowerCase())) return false;
    if (f.outlet && r.outlets.map(function (o) { return o.toLowerCase(); }).indexOf(f.outlet.toLowerCase()) < 0) return false;
    if (f.modality && r.modalities.indexOf(f.modality) < 0) return false;
    if (f.mintoll && !(r.killed && (r.killed.high === null ? r.killed.low : r.killed.high) >= Number(f.mintoll))) return false;
    if (state.hits && !r.accounts.some(function (a) { return state.hits[a.article_id]; })) return false;
    return true;
  }
  // A week told as a whole ("last week") is stored as its first day: say so (model.date_label).
  function dateText(r) {
    var value = r.date && r.date.value;
    return value && r.date.granularity === "week" ? "week of " + value : value;
  }

  function update(searchChanged) {
    writeHash();
    var run = searchChanged ? searchIds(state.filters.q).then(function (h) { state.hits = h; }) : Promise.resolve();
    return run.then(function () {
      state.shown = state.data.incidents.filter(function (r) { return matches(r, state.filters); });
      renderCards(); renderMap(); renderTimeline();
    });
  }

  // ------------------------------------------------------------------ the map
  function initMap() {
    map = L.map("map", { zoomControl: true, attributionControl: true, minZoom: 3, maxZoom: 13 }).setView([35, 38.5], 6);
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution("Borders: Natural Earth");
    var geo = state.data.geo;
    L.geoJSON(geo, {
      filter: function (f) { return f.properties.kind === "country"; },
      style: function (f) { return { color: "#6b7785", weight: 1.2, fillColor: f.properties.country === "SYR" ? "#fbfaf4" : "#eeeae0", fillOpacity: 1 }; },
      interactive: false
    }).addTo(map);
    L.geoJSON(geo, {
      filter: function (f) { return f.properties.kind === "province"; },
      style: function () { return { color: "#a3a9b3", weight: 0.7, dashArray: "3 3", fill: false }; },
      interactive: false
    }).addTo(map);
    cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 40 });
    map.addLayer(cluster);
    areaLayer = L.layerGroup().addTo(map);
  }
  function renderMap() {
    cluster.clearLayers(); areaLayer.clearLayers(); markersById = {};
    var markers = [], areas = {};
    state.shown.forEach(function (r) {
      if (!r.place || r.place.lat === null || r.place.lat === undefined) return;
      if (r.area !== null && r.area !== undefined) { (areas[r.area] = areas[r.area] || []).push(r); return; }
      var m = L.marker([r.place.lat, r.place.lon], { icon: L.divIcon({ className: "", html: "<div class=\"pt\"></div>", iconSize: [12, 12] }), title: r.type + " " + (dateText(r) || "") });
      m.on("click", function () { openIncident(r.incident_id); });
      m.sitrepId = r.incident_id;
      markersById[r.incident_id] = m;
      markers.push(m);
    });
    cluster.addLayers(markers);
    Object.keys(areas).forEach(function (index) {
      var feature = state.data.geo.features[Number(index)], list = areas[index];
      var layer = L.geoJSON(feature, { style: { color: "#e6781e", weight: 1.5, fillColor: "#e6781e", fillOpacity: 0.18 } });
      layer.on("click", function () { if (list.length === 1) openIncident(list[0].incident_id); else listOnly(list); });
      layer.bindTooltip(el("span", { text: list.length + " incident" + (list.length > 1 ? "s" : "") + " placed only in " + feature.properties.name + " (" + list[0].place.precision + ")" }), { sticky: true });
      layer.addTo(areaLayer);
    });
    $("map").setAttribute("data-points", String(markers.length));
    $("map").setAttribute("data-areas", String(Object.keys(areas).length));
  }
  function listOnly(list) { state.shown = list; renderCards(); }

  // ------------------------------------------------------------------ the timeline (brush)
  var timeline = { buckets: [], start: 0, end: 0, dragging: null };
  function day(s) { var p = s.split("-"); return Date.UTC(+p[0], p[1] ? +p[1] - 1 : 0, p[2] ? +p[2] : 1) / 864e5; }
  function iso(d) { return new Date(d * 864e5).toISOString().slice(0, 10); }
  function renderTimeline() {
    var svg = $("timeline-svg"); clear(svg);
    var all = state.data.incidents.filter(function (r) { return r.date && r.date.value; });
    var shown = state.shown.filter(function (r) { return r.date && r.date.value; });
    if (!all.length) { svg.setAttribute("data-bars", "0"); return; }
    // The span covers the 5th to 99th percentile of dates: a few stray old dates (a massacre
    // recalled from 1982) would squash the rest; outliers count in the first or last bar.
    var days = all.map(function (r) { return day(r.date.value); }).sort(function (a, b) { return a - b; });
    var lo = days[Math.floor(days.length * 0.05)], hi = days[Math.min(days.length - 1, Math.floor(days.length * 0.99))] + 1;
    if (hi - lo < 30) { lo -= 15; hi += 15; }
    var width = svg.clientWidth || 800, height = svg.clientHeight || 140, pad = 24;
    var n = Math.min(200, Math.max(10, Math.ceil(hi - lo))), size = (hi - lo) / n, counts = new Array(n).fill(0);
    shown.forEach(function (r) { var i = Math.max(0, Math.min(n - 1, Math.floor((day(r.date.value) - lo) / size))); counts[i] += 1; });
    var top = Math.max.apply(null, counts) || 1, bw = (width - 2 * pad) / n, ns = "http://www.w3.org/2000/svg";
    timeline.start = lo; timeline.end = hi; timeline.width = width; timeline.pad = pad;
    var bars = 0;
    counts.forEach(function (c, i) {
      if (!c) return;
      var h = (height - 30) * c / top, rect = document.createElementNS(ns, "rect");
      rect.setAttribute("class", "bar"); rect.setAttribute("x", pad + i * bw); rect.setAttribute("width", Math.max(1, bw - 1));
      rect.setAttribute("y", height - 18 - h); rect.setAttribute("height", h);
      var t = document.createElementNS(ns, "title"); t.textContent = iso(lo + i * size) + ": " + c; rect.appendChild(t);
      svg.appendChild(rect); bars += 1;
    });
    [lo, (lo + hi) / 2, hi - 1].forEach(function (d, i) {
      var t = document.createElementNS(ns, "text"); t.setAttribute("class", "axis");
      t.setAttribute("x", pad + (d - lo) / (hi - lo) * (width - 2 * pad)); t.setAttribute("y", height - 4);
      t.setAttribute("text-anchor", ["start", "middle", "end"][i]); t.textContent = iso(d); svg.appendChild(t);
    });
    var f = state.filters;
    if (f.from || f.to) {
      var a = f.from ? day(f.from) : lo, b = f.to ? day(f.to) + 1 : hi;
      var brush = document.createElementNS(ns, "rect"); brush.setAttribute("class", "brush");
      brush.setAttribute("x", xOf(Math.max(a, lo))); brush.setAttribute("y", 2);
      brush.setAttribute("width", Math.max(2, xOf(Math.min(b, hi)) - xOf(Math.max(a, lo)))); brush.setAttribute("height", height - 22);
      svg.appendChild(brush);
    }
    svg.setAttribute("data-bars", String(bars));
  }
  function xOf(d) { return timeline.pad + (d - timeline.start) / (timeline.end - timeline.start) * (timeline.width - 2 * timeline.pad); }
  function dOf(x) { return timeline.start + (x - timeline.pad) / (timeline.width - 2 * timeline.pad) * (timeline.end - timeline.start); }
  function bindTimeline() {
    var svg = $("timeline-svg");
    // x within the timeline (offsetX would be relative to whichever bar is under the mouse).
    function x(e) { return e.clientX - svg.getBoundingClientRect().left; }
    svg.addEventListener("mousedown", function (e) { timeline.dragging = x(e); });
    svg.addEventListener("mouseup", function (e) {
      if (timeline.dragging === null) return;
      var a = Math.min(timeline.dragging, x(e)), b = Math.max(timeline.dragging, x(e));
      timeline.dragging = null;
      if (b - a < 3) { state.filters.from = ""; state.filters.to = ""; }
      else { state.filters.from = iso(Math.floor(dOf(a))); state.filters.to = iso(Math.floor(dOf(b))); }
      $("f-from").value = state.filters.from; $("f-to").value = state.filters.to;
      update(false);
    });
  }

  // ------------------------------------------------------------------ incident cards
  function summary(r) {
    return [r.type + (r.mode ? "/" + r.mode : ""), dateText(r) || "date unknown", r.place ? r.place.name : "place unknown"].join(" · ");
  }
  function renderCards() {
    var side = $("cards"); clear(side);
    $("count").textContent = state.shown.length + " of " + state.data.incidents.length + " incidents" + (state.shown.length > MAX_CARDS ? " (first " + MAX_CARDS + " listed)" : "");
    state.shown.slice(0, MAX_CARDS).forEach(function (r) {
      var tags = [el("span", { cls: "tag", text: r.n_articles + " article" + (r.n_articles > 1 ? "s" : "") })];
      if (r.disagreements && r.disagreements.length) tags.push(el("span", { cls: "tag dis", text: r.disagreements.length + " disagreement" + (r.disagreements.length > 1 ? "s" : "") }));
      if (r.corrections) tags.push(el("span", { cls: "tag corr", text: "corrected" }));
      side.appendChild(el("div", { cls: "card", "data-incident": r.incident_id, on: { click: function () { openIncident(r.incident_id); } } }, [
        el("div", { cls: "title", text: summary(r) }),
        el("div", { cls: "sub", text: (r.actors.join(", ") || "?") + " → " + (r.recipients.join(", ") || "?") + (r.killed ? " · killed " + toll(r.killed) : "") }),
        el("div", { cls: "sub" }, tags.concat([(r.outlets || []).join(", ")]))
      ]));
    });
  }
  function spanLink(label, span, extra) {
    if (!span) return el("span", { text: label });
    return el("a", { cls: "span-link", "data-article": span.article_id, "data-start": span.start, "data-end": span.end, title: "Open the words that support this" + (extra ? " (" + extra + ")" : ""), on: { click: function (e) { e.preventDefault(); openArticle(span.article_id, span.start + "-" + span.end); } }, text: label });
  }
  function firstSupport(r, key) {
    for (var i = 0; i < r.accounts.length; i++) { var s = r.accounts[i].support || {}; if (s[key] && s[key].length) return s[key][0]; }
    return null;
  }
  function supportFor(r, key, code) {
    for (var i = 0; i < r.accounts.length; i++) {
      var s = (r.accounts[i].support || {})[key] || [];
      for (var j = 0; j < s.length; j++) if (!code || s[j].code === code) return s[j];
    }
    return null;
  }
  function find(id) {
    for (var i = 0; i < state.data.incidents.length; i++) if (state.data.incidents[i].incident_id === id) return state.data.incidents[i];
    return null;
  }
  function openIncident(id) {
    var r = find(id); if (!r) return;
    state.filters.incident = id; state.filters.article = ""; state.filters.span = ""; writeHash();
    var d = $("detail"); clear(d); d.hidden = false; d.setAttribute("data-view", "incident");
    d.appendChild(el("button", { cls: "close", text: "Close ✕", on: { click: closeDetail } }));
    incidentCard(r).forEach(function (node) { d.appendChild(node); });
  }
  // An incident's card (its attributes, accounts by outlet with the articles that only
  // repeat them, disagreements), as the nodes of the detail pane.
  function incidentCard(r) {
    var out = [];
    out.push(el("h2", { text: summary(r) }));
    var roles = function (codes, key) {
      if (!codes.length) return [el("span", { text: "not named" })];
      return codes.map(function (c, i) { return el("span", null, [i ? ", " : "", spanLink(c, supportFor(r, key, c) || firstSupport(r, "type"))]); });
    };
    out.push(el("dl", { cls: "attrs" }, [
      el("dt", { text: "type" }), el("dd", null, [spanLink(r.type + (r.mode ? "/" + r.mode : ""), firstSupport(r, "type"), "trigger")]),
      el("dt", { text: "date" }), el("dd", null, [spanLink(((r.date && r.date.value) || "unknown") + (r.date && r.date.granularity ? " (" + r.date.granularity + ")" : ""), firstSupport(r, "date"))]),
      el("dt", { text: "place" }), el("dd", null, [r.place ? spanLink(r.place.name + " — precision: " + r.place.precision + (r.place.admin1 ? ", " + r.place.admin1 : ""), firstSupport(r, "place") || firstSupport(r, "type")) : el("span", { text: "unknown" })]),
      el("dt", { text: "who" }), el("dd", null, roles(r.actors, "actors")),
      el("dt", { text: "to whom" }), el("dd", null, roles(r.recipients, "recipients")),
      el("dt", { text: "killed" }), el("dd", null, [r.killed ? spanLink(toll(r.killed), firstSupport(r, "killed")) : el("span", { text: "not given" })]),
      el("dt", { text: "sources" }), el("dd", { text: r.n_articles + " articles, " + r.independent_sources + " independent, outlets: " + ((r.outlets || []).join(", ") || "none named") }),
      el("dt", { text: "id" }), el("dd", { text: r.incident_id })
    ]));
    if (r.corrections) {
      out.push(el("h3", { text: "Corrections" }));
      r.corrections.forEach(function (c) { out.push(el("div", { cls: "chain", text: "#" + c.correction_id + " " + c.action + (c.field ? " " + c.field + " = " + JSON.stringify(c.value) : "") + " by " + c.who + " (" + c.at + "): " + c.why })); });
    }
    out.push(el("h3", { text: "Accounts by outlet" }));
    var byId = {}; r.accounts.forEach(function (a) { byId[a.mention_id] = a; });
    out.push(el("div", { cls: "sources", "data-count": r.sources.length }, r.sources.map(function (s) {
      var accounts = s.mentions.map(function (m) { return byId[m]; }).filter(Boolean);
      return el("div", { cls: "source" }, [
        el("h4", { text: (s.outlet || "outlet unknown") + (s.published ? " · " + s.published : "") }),
        el("div", { cls: "sub", text: s.title || "" }),
        el("div", null, accounts.map(function (a) {
          var chain = [a.speaker ? a.speaker + (a.speaker_code ? " (" + a.speaker_code + ")" : "") : "the outlet itself"];
          if (a.via) chain.push(a.via + (a.via_code ? " (" + a.via_code + ")" : ""));
          chain.push(s.outlet || "outlet unknown");
          return el("div", null, [
            el("div", { cls: "chain", text: chain.join(" → ") + " · " + a.modality }),
            el("div", { cls: "evidence" }, [spanLink(a.evidence || "(no text)", { article_id: a.article_id, start: a.evidence_start, end: a.evidence_end })]),
            MODE === "api" ? el("button", { text: "Split off", title: "This account tells another happening", on: { click: function () { correct(a.mention_id, "split"); } } }) : null,
            MODE === "api" ? el("button", { text: "Mark mention wrong", on: { click: function () { correct(a.mention_id, "wrong"); } } }) : null
          ]);
        })),
        s.reposts.length ? el("div", { cls: "reposts", text: "repeated by: " + s.reposts.map(function (p) { return (p.outlet || "outlet unknown") + " (" + p.article_id + ", " + (REPEATS[p.how] || "a copy") + ")"; }).join("; ") }) : null
      ]);
    })));
    (r.repeating_outlets || []).forEach(function (o) {
      out.push(el("div", { cls: "reposts repeating", text: (o.outlet || "outlet unknown") + " only repeats the account of " + o.repeats.map(function (p) { return (p.outlet || "outlet unknown") + " (" + p.article_id + ")"; }).join(", ") }));
    });
    out.push(el("h3", { text: "Disagreements" }));
    if (!r.disagreements.length) out.push(el("p", { text: "The accounts do not disagree." }));
    r.disagreements.forEach(function (field) {
      out.push(el("div", { cls: "disagreement", "data-field": field.field }, [
        el("strong", { text: field.field + (field.kind && field.kind !== "conflict" ? " — " + field.kind : "") }),
        el("div", { cls: "values" }, field.values.map(function (v) {
          return el("div", { cls: "value" }, [el("div", { cls: "title", text: v.value })].concat(v.sources.map(function (s) {
            return el("div", { cls: "chain" }, [(s.source || "?") + (s.via ? " via " + s.via : "") + " · " + (s.outlet || "outlet unknown") + " ", s.start !== null && s.start !== undefined ? spanLink("(evidence)", { article_id: s.article_id, start: s.start, end: s.end }) : el("span", { text: s.evidence || "" })]);
          })));
        }))
      ]));
    });
    if (MODE === "api") out.push(correctionForm(r));
    return out;
  }
  function closeDetail() { $("detail").hidden = true; state.filters.incident = ""; state.filters.article = ""; state.filters.span = ""; writeHash(); }

  // ------------------------------------------------------------------ the article view
  function openArticle(id, span) {
    state.filters.article = id; state.filters.span = span || ""; writeHash();
    return getArticle(id).then(function (a) {
      var d = $("detail"); clear(d); d.hidden = false; d.setAttribute("data-view", "article");
      d.appendChild(el("button", { cls: "close", text: "Close ✕", on: { click: closeDetail } }));
      if (state.filters.incident) d.appendChild(el("button", { text: "← incident", on: { click: function () { openIncident(state.filters.incident); } } }));
      if (!a) { d.appendChild(el("p", { text: "This article is not in the report." })); return; }
      d.appendChild(el("h2", { text: a.title || "(no title)" }));
      var url = safeUrl(a.url);
      d.appendChild(el("div", { cls: "sub" }, [[a.outlet || "outlet unknown", a.published || "date unknown", (a.authors || []).join(", ")].filter(Boolean).join(" · "), " ", url ? el("a", { href: url, rel: "noopener noreferrer", target: "_blank", text: url }) : (a.url ? el("span", { text: a.url }) : null), " · id " + id]));
      d.appendChild(el("div", { cls: "legend" }, [el("span", { cls: "hl-event", text: "event" }), el("span", { cls: "hl-claim", text: "claim" }), el("span", { cls: "hl-speaker", text: "speaker" }), el("span", { cls: "hl-relay", text: "relay" }), el("span", { cls: "hl-signal", text: "signal" }), el("span", { cls: "hl-event hl-hidden", text: "not an event (hidden unless “show hypothetical/negated”)" })]));
      var focus = span ? span.split("-").map(Number) : null;
      d.appendChild(renderText(a.text, a.spans || [], focus));
      var target = d.querySelector(".hl-focus");
      if (target) target.scrollIntoView({ block: "center" });
    });
  }
  function renderText(text, spans, focus) {
    var showAll = state.filters.all === "1";
    var visible = spans.filter(function (s) { return showAll || !s.hidden; });
    if (focus) visible = visible.concat([{ kind: "focus", start: focus[0], end: focus[1], explain: "the words behind the attribute you followed" }]);
    var cuts = [0, text.length];
    visible.forEach(function (s) { cuts.push(s.start, s.end); });
    cuts = cuts.filter(function (c, i, all) { return c >= 0 && c <= text.length && all.indexOf(c) === i; }).sort(function (a, b) { return a - b; });
    var box = el("div", { cls: "article-text", "data-spans": String(visible.length) });
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i], b = cuts[i + 1], piece = text.slice(a, b);
      var covering = visible.filter(function (s) { return s.start <= a && s.end >= b; });
      if (!covering.length) { box.appendChild(document.createTextNode(piece)); continue; }
      var classes = ["hl"], explain = [];
      covering.forEach(function (s) {
        classes.push(s.kind === "focus" ? "hl-focus" : "hl-" + s.kind);
        if (s.hidden) classes.push("hl-hidden");
        explain.push(s.explain);
      });
      var node = el("span", { cls: classes.join(" "), "data-explain": explain.join("\n"), "data-kind": covering.map(function (s) { return s.kind; }).join(" ") }, [piece]);
      node.addEventListener("mouseenter", hoverOn); node.addEventListener("mouseleave", hoverOff);
      box.appendChild(node);
    }
    return box;
  }
  function hoverOn(e) {
    var h = $("hover"); h.textContent = e.currentTarget.getAttribute("data-explain"); h.hidden = false;
    h.style.left = Math.min(window.innerWidth - 430, e.clientX + 12) + "px"; h.style.top = (e.clientY + 14) + "px";
  }
  function hoverOff() { $("hover").hidden = true; }

  // ------------------------------------------------------------------ corrections (web app)
  function token() {
    var m = /(?:^|[#&])token=([A-Za-z0-9_-]+)/.exec(location.hash);
    if (m) { sessionStorage.setItem("sitrep-token", m[1]); }
    return sessionStorage.getItem("sitrep-token") || "";
  }
  function correct(targetId, action, field, value, other, why) {
    why = why || window.prompt("Why? (kept with the correction)") || "";
    if (!why) return Promise.resolve();
    return api("/api/corrections", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + token() },
      body: JSON.stringify({ target_id: targetId, action: action, field: field || null, value: value === undefined ? null : value, other_id: other || null, who: sessionStorage.getItem("sitrep-who") || "analyst", why: why })
    }).then(function () { return loadApi(); }).then(function () { return update(false); }).then(function () {
      $("status").textContent = "correction saved";
    }).catch(function (e) { $("status").textContent = "not saved: " + e.message; });
  }
  function correctionForm(r) {
    var field = el("select", { name: "field" }, ["", "type", "actor", "recipient", "place", "date", "killed"].map(function (f) { return el("option", { value: f, text: f || "(field)" }); }));
    var value = el("input", { name: "value", placeholder: "new value" });
    var other = el("input", { name: "other", placeholder: "other incident id (merge)" });
    var why = el("input", { name: "why", placeholder: "why", required: "required" });
    var who = el("input", { name: "who", placeholder: "who", value: sessionStorage.getItem("sitrep-who") || "" });
    var action = el("select", { name: "action" }, ["set", "wrong", "right", "merge"].map(function (a) { return el("option", { value: a, text: a }); }));
    var form = el("form", { on: { submit: function (e) {
      e.preventDefault();
      sessionStorage.setItem("sitrep-who", who.value || "analyst");
      correct(r.incident_id, action.value, action.value === "set" ? field.value : null, action.value === "set" ? value.value : null, action.value === "merge" ? other.value : null, why.value)
        .then(function () { if (find(r.incident_id)) openIncident(r.incident_id); });
    } } }, [action, field, value, other, who, why, el("button", { type: "submit", text: "Record correction" })]);
    return el("div", { cls: "corrections" }, [el("strong", { text: "Correct this incident" }), form, el("div", { id: "status", cls: "sub" })]);
  }

  // ------------------------------------------------------------------ start
  function start() {
    state.filters = readHash();
    var path = /^\/(incidents|articles)\/([A-Za-z0-9_-]+)$/.exec(location.pathname);
    if (path) state.filters[path[1] === "incidents" ? "incident" : "article"] = path[2];
    if (MODE === "api") token();
    $("detail").style.top = document.querySelector("header").offsetHeight + "px";
    (MODE === "report" ? loadReport() : loadApi()).then(function (data) {
      $("meta").textContent = data.meta.incidents + " incidents from " + data.meta.articles + " articles · " + (MODE === "report" ? "report generated " + data.meta.generated : "live ledger");
      initMap(); bindFilters(); bindTimeline();
      return update(Boolean(state.filters.q));
    }).then(function () {
      if (state.filters.article) return openArticle(state.filters.article, state.filters.span);
      if (state.filters.incident) openIncident(state.filters.incident);
    }).then(function () {
      document.body.setAttribute("data-ready", String(Math.round(performance.now())));
      if (MODE === "report") articlesFromReport();
    }).catch(function (e) {
      document.body.setAttribute("data-error", String(e && e.message || e));
      $("count").textContent = "Could not load the data: " + (e && e.message || e);
    });
  }
  window.addEventListener("hashchange", function () {
    var f = readHash();
    if (f.article && f.article !== state.filters.article) openArticle(f.article, f.span);
    else if (f.incident && f.incident !== state.filters.incident) openIncident(f.incident);
  });
  // A read-only look at the loaded incidents (for tests and the browser console).
  window.sitrep = { incidents: function () { return state.data ? state.data.incidents : []; }, card: incidentCard };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
