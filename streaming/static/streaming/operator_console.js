// The operator console: heartbeat, controls, live preview and live updates (docs/operator-console.md).
// Live updates come as server-sent events ("snapshot"); when the event stream drops, or nothing arrived for a
// while, the page polls the console API instead, so it keeps working either way. Every refusal shown is the
// server's sentence. No inline script: the CSP forbids it.
"use strict";
(function () {
  const root = document.getElementById("operator-console");
  if (!root) return;
  const d = root.dataset;
  const $ = (id) => root.querySelector(`[data-testid="${id}"]`);
  const message = $("console-message");
  let lastUpdate = 0;
  let heartbeatTimer = null;
  let over = false;

  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  async function call(url, method, body) {
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(data.message || d.msgFailed);
      error.code = data.code;
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function text(node, value) {
    if (node) node.textContent = value;
  }

  function item(label, extra) {
    const li = document.createElement("li");
    li.textContent = label;
    if (extra) {
      const small = document.createElement("span");
      small.className = "muted";
      small.textContent = ` ${extra}`;
      li.appendChild(small);
    }
    return li;
  }

  function time(iso) {
    if (!iso) return "";
    const at = new Date(iso);
    return Number.isNaN(at.getTime()) ? "" : at.toLocaleTimeString();
  }

  function render(s) {
    lastUpdate = Date.now();
    const badge = document.querySelector("[data-testid=console-state]");
    if (badge) {
      badge.dataset.state = s.state;
      badge.textContent = s.state_label;
    }
    root.dataset.state = s.state;
    text($("state-label"), s.state_label);
    text($("state-reason"), s.state_reason || "—");
    const presence = $("presence");
    presence.dataset.present = String(s.presence.present);
    text(presence, s.presence.present ? d.msgPresent : d.msgAbsent);
    text($("presence-timeout"), String(s.presence.timeout_s));
    text(
      $("operators"),
      s.presence.operators.map((o) => `${o.name}${o.present ? " ●" : " ○"}`).join(", ") || "—",
    );
    const takeover = $("takeover");
    takeover.dataset.active = String(s.takeover.active);
    text(takeover, s.takeover.active ? d.msgTakeover.replace("{name}", s.takeover.by) : d.msgNoTakeover);
    text($("current-line"), s.current_line ? s.current_line.text : d.msgNotStarted);
    text($("next-line"), s.next_line ? s.next_line.text : "—");

    const list = $("interjections");
    list.replaceChildren(
      ...s.interjections.map((i) => {
        const li = item(
          i.text,
          `· ${d[`labelState${i.state[0].toUpperCase()}${i.state.slice(1)}`] || i.state} · ${
            i.at_once ? d.labelAtOnce : d.labelNextSentence
          } · ${i.by} · ${time(i.created_at)}`,
        );
        li.dataset.state = i.state;
        return li;
      }),
    );
    if (!s.interjections.length) list.replaceChildren(item(d.msgNone));
    const ledger = $("ledger");
    ledger.replaceChildren(
      ...s.ledger.map((e) => {
        const li = item(`${time(e.at)} ${e.kind}`, `${e.who}${e.reason ? ` — ${e.reason}` : ""}`);
        li.dataset.kind = e.kind;
        return li;
      }),
    );

    const on = s.state === "live" || s.state === "paused";
    over = s.state === "ended" || s.state === "failed";
    const can = s.can_operate;
    root.querySelectorAll("button, textarea, input").forEach((el) => {
      el.disabled = !can || !on;
    });
    if (can && on) {
      $("pause").disabled = s.state !== "live";
      $("resume").disabled = s.state !== "paused";
      $("take-over").disabled = s.takeover.active;
      $("hand-back").disabled = !s.takeover.active;
    }
    if (over) stopHeartbeat();
  }

  async function refresh() {
    try {
      render(await call(d.apiConsole, "GET"));
    } catch (error) {
      /* the next poll tries again */
    }
  }

  // Heartbeat ------------------------------------------------------------------------------------------------
  async function beat() {
    try {
      await call(d.apiHeartbeat, "POST", {});
    } catch (error) {
      if (error.status === 403 || error.status === 409) {
        // Not an operator here, or the stream is over: no point in beating on.
        stopHeartbeat();
        if (error.status === 403) text(message, d.msgHeartbeatStopped.replace("{reason}", error.message));
      }
    }
  }
  function stopHeartbeat() {
    if (heartbeatTimer !== null) {
      clearInterval(heartbeatTimer);
      heartbeatTimer = null;
    }
  }

  // Controls -------------------------------------------------------------------------------------------------
  async function act(promise, success) {
    text(message, "");
    try {
      await promise;
      if (success) text(message, success);
    } catch (error) {
      text(message, error.message);
    }
    refresh();
  }

  root.querySelectorAll("button[data-action]").forEach((button) => {
    button.addEventListener("click", () => {
      const action = button.dataset.action;
      if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
      if (action === "state") act(call(d.apiState, "POST", { to: button.dataset.to }));
      if (action === "takeover") act(call(d.apiTakeover, "POST", {}));
      if (action === "hand-back") act(call(d.apiHandBack, "POST", {}));
    });
  });

  const form = $("interject-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const field = $("interjection-text");
    const atOnce = form.querySelector("input[name=when]:checked").value === "now";
    act(
      call(d.apiInterject, "POST", { text: field.value, at_once: atOnce }).then(() => {
        field.value = "";
      }),
      d.msgAccepted,
    );
  });

  // Live updates: server-sent events, polling as the fallback ----------------------------------------------
  let source = null;
  function listen() {
    if (!window.EventSource) return;
    source = new EventSource(d.events);
    source.addEventListener("snapshot", (event) => {
      try {
        render(JSON.parse(event.data));
        text($("transport"), d.msgLiveUpdates);
        $("transport").dataset.mode = "events";
      } catch (error) {
        /* a torn message: the next one or the poll repairs the page */
      }
    });
    source.addEventListener("error", () => {
      // EventSource reconnects on its own (the server ends each response after a while); until a snapshot
      // arrives again, the page polls.
      if ($("transport").dataset.mode !== "polling") refresh();
      $("transport").dataset.mode = "polling";
      text($("transport"), d.msgPolling);
      if (over) source.close();
    });
  }
  setInterval(() => {
    if (over) return;
    const polling = $("transport").dataset.mode !== "events";
    if (polling || Date.now() - lastUpdate > Number(d.pollEvery) + 1000) refresh();
  }, Number(d.pollEvery));

  // Preview ----------------------------------------------------------------------------------------------------
  function preview() {
    const video = $("preview");
    const status = $("preview-status");
    if (!d.preview) {
      text(status, d.msgPreviewNone);
      return;
    }
    if (window.Hls && window.Hls.isSupported()) {
      const hls = new window.Hls({ lowLatencyMode: true, liveSyncDurationCount: 2 });
      hls.on(window.Hls.Events.MANIFEST_PARSED, () => {
        video.hidden = false;
        text(status, "");
        video.play().catch(() => {});
      });
      hls.on(window.Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        // No segment yet or the runner restarted: show why and try again shortly.
        hls.destroy();
        video.hidden = true;
        text(status, d.msgPreviewNone);
        setTimeout(preview, 10000);
      });
      hls.loadSource(d.preview);
      hls.attachMedia(video);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = d.preview;
      video.hidden = false;
    } else {
      text(status, d.msgPreviewUnsupported);
    }
  }

  const initial = document.getElementById("console-snapshot");
  const first = initial ? JSON.parse(initial.textContent) : null;
  if (first) render(first);
  if (first && first.can_operate && !over) {
    beat();
    heartbeatTimer = setInterval(beat, Number(d.heartbeatEvery));
  }
  listen();
  preview();
})();
