// Renders one incident card of the web app without a browser: app.js runs against a minimal
// DOM whose serialisation escapes text like a browser's outerHTML, and keeps markup set
// through innerHTML / insertAdjacentHTML raw (so a card that parsed untrusted text as HTML
// would show it unescaped). Usage: node render_card.js APP_JS < record.json > card.html
"use strict";
const fs = require("fs");

const escapeText = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escapeAttr = (s) => escapeText(s).replace(/"/g, "&quot;");

class Text {
  constructor(text) { this.text = String(text); }
  html() { return escapeText(this.text); }
}
class Raw {
  constructor(markup) { this.markup = String(markup); }
  html() { return this.markup; }
}
class Element {
  constructor(tag) { this.tag = tag; this.attrs = {}; this.children = []; this.style = {}; this.className = ""; }
  setAttribute(k, v) { this.attrs[k] = String(v); }
  getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; }
  appendChild(c) { this.children.push(c); return c; }
  addEventListener() {}
  set textContent(v) { this.children = [new Text(v)]; }
  get textContent() { return this.children.map((c) => (c instanceof Text ? c.text : c.textContent || "")).join(""); }
  set innerHTML(v) { this.children = [new Raw(v)]; }
  insertAdjacentHTML(_where, v) { this.children.push(new Raw(v)); }
  html() {
    const attrs = Object.entries(this.attrs).map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join("");
    const cls = this.className ? ` class="${escapeAttr(this.className)}"` : "";
    return `<${this.tag}${cls}${attrs}>${this.children.map((c) => c.html()).join("")}</${this.tag}>`;
  }
}

const root = new Element("html");
global.document = {
  documentElement: root,
  readyState: "loading", // app.js waits for DOMContentLoaded: its start() never runs here
  createElement: (tag) => new Element(tag),
  createTextNode: (text) => new Text(text),
  addEventListener() {},
  getElementById: () => null,
  querySelector: () => null,
};
global.window = { addEventListener() {} };
global.location = { hash: "", pathname: "/" };

new Function(fs.readFileSync(process.argv[2], "utf8"))();
const record = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(window.sitrep.card(record).map((n) => n.html()).join("\n"));
