// The console's host panel: the host's tone and strategy tier, and the room's viewer and order curves drawn as
// inline SVG (no chart library; the CSP forbids inline script). Polls GET streams/<id>/host-state/.
(function () {
  "use strict";
  const panel = document.getElementById("host-state-panel");
  if (!panel) return;
  const SVG = "http://www.w3.org/2000/svg";
  const W = 300, H = 120, PAD = 18;
  const chart = panel.querySelector("[data-testid=room-chart]");
  const status = panel.querySelector("[data-testid=room-chart-status]");
  const every = Number(panel.dataset.pollEvery) || 5000;

  function text(testid, value) {
    const el = panel.querySelector(`[data-testid=${testid}]`);
    if (el) el.textContent = value;
    return el;
  }

  function clearChart() {
    Array.from(chart.childNodes).forEach((node) => {
      if (node.nodeName.toLowerCase() !== "title") chart.removeChild(node);
    });
  }

  function add(name, attrs, content) {
    const el = document.createElementNS(SVG, name);
    Object.entries(attrs).forEach(([k, v]) => el.setAttribute(k, String(v)));
    if (content !== undefined) el.textContent = content;
    chart.appendChild(el);
    return el;
  }

  function line(points, t0, t1, cls, testid) {
    if (!points.length) return;
    const max = Math.max(1, ...points.map((p) => p[1]));
    const span = Math.max(1, t1 - t0);
    const xy = points.map(([at, v]) => {
      const x = PAD + ((Date.parse(at) - t0) / span) * (W - 2 * PAD);
      const y = H - PAD - (v / max) * (H - 2 * PAD);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    });
    add("polyline", { class: `host-chart__line ${cls}`, points: xy.join(" "), "data-testid": testid, "data-max": max });
    return max;
  }

  function draw(data) {
    clearChart();
    const t0 = Date.parse(data.from), t1 = Date.parse(data.to);
    add("line", { class: "host-chart__axis", x1: PAD, y1: H - PAD, x2: W - PAD, y2: H - PAD });
    add("line", { class: "host-chart__axis", x1: PAD, y1: PAD, x2: PAD, y2: H - PAD });
    const vmax = line(data.viewers, t0, t1, "host-chart__line--viewers", "viewers-curve");
    const omax = line(data.orders_per_minute, t0, t1, "host-chart__line--orders", "orders-curve");
    if (vmax !== undefined) add("text", { class: "host-chart__label", x: 2, y: PAD - 6 }, String(vmax));
    if (omax !== undefined) add("text", { class: "host-chart__label", x: W - 2, y: PAD - 6, "text-anchor": "end" }, String(omax));
    const last = (series) => (series.length ? String(series[series.length - 1][1]) : "—");
    text("room-viewers-now", last(data.viewers));
    text("room-orders-now", last(data.orders_per_minute));
    status.textContent = data.viewers.length || data.orders_per_minute.length ? "" : panel.dataset.msgNoData;
  }

  function render(data) {
    const tone = text("host-tone", data.tone_label);
    if (tone) tone.dataset.tone = data.tone;
    const tier = text("host-tier", data.tier_label);
    if (tier) tier.dataset.tier = data.tier;
    text("host-abuse", Number(data.abuse_per_minute).toFixed(1));
    draw(data);
  }

  async function poll() {
    try {
      const answer = await fetch(panel.dataset.api, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (answer.ok) render(await answer.json());
    } catch (error) {
      // The next poll tries again; the console's own transport line says when live updates drop.
    }
    window.setTimeout(poll, every);
  }

  poll();
})();
