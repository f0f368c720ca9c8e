// The comment panel (/streams/<id>/comments/): draws the room's viewer and order curves, sends a suggested FAQ answer
// with one click or a typed reply (the server lints it), and reloads the feed. No inline script (strict CSP).
(function () {
  "use strict";
  const panel = document.getElementById("comment-panel");
  if (!panel) return;
  const status = panel.querySelector("[data-testid=panel-status]");

  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function draw(room) {
    const canvas = panel.querySelector("canvas.room-chart");
    if (!canvas || !canvas.getContext) return;
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!room.length) return;
    const series = [
      { key: "viewers", colour: "#2563eb" },
      { key: "orders_per_minute", colour: "#d97706" },
    ];
    series.forEach(function (s) {
      const values = room.map(function (r) { return r[s.key]; }).filter(function (v) { return v !== null; });
      if (!values.length) return;
      const top = Math.max.apply(null, values) || 1;
      ctx.strokeStyle = s.colour;
      ctx.lineWidth = 2;
      ctx.beginPath();
      let first = true;
      room.forEach(function (r, i) {
        if (r[s.key] === null) return;
        const x = room.length === 1 ? canvas.width / 2 : (i / (room.length - 1)) * (canvas.width - 10) + 5;
        const y = canvas.height - 5 - (r[s.key] / top) * (canvas.height - 10);
        if (first) { ctx.moveTo(x, y); first = false; } else { ctx.lineTo(x, y); }
      });
      ctx.stroke();
    });
  }

  function post(commentId, body) {
    const url = panel.dataset.apiAnswer.replace("{id}", commentId);
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (data) {
        status.textContent = response.ok ? panel.dataset.msgSent : (data.message || panel.dataset.msgFailed);
        if (response.ok) window.setTimeout(function () { window.location.reload(); }, 800);
      });
    }).catch(function () { status.textContent = panel.dataset.msgFailed; });
  }

  panel.addEventListener("click", function (event) {
    const button = event.target.closest("[data-send-faq]");
    if (!button) return;
    const row = button.closest("[data-comment]");
    post(row.dataset.comment, { faq: button.dataset.sendFaq });
  });
  panel.addEventListener("submit", function (event) {
    const form = event.target.closest("[data-reply-form]");
    if (!form) return;
    event.preventDefault();
    const row = form.closest("[data-comment]");
    const lang = document.documentElement.lang && document.documentElement.lang.indexOf("zh") === 0 ? "zh" : "en";
    post(row.dataset.comment, { text: form.elements.text.value, language: lang });
  });

  const initial = document.getElementById("comment-feed");
  if (initial) draw(JSON.parse(initial.textContent).room || []);
})();
