// Render pages: avatar build progress (polls the small JSON endpoint), gesture marks (PATCH), the HLS player and
// the stop button. Loaded as a file: the site's CSP forbids inline scripts.
"use strict";
(function () {
  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  async function api(method, url, body) {
    const init = { method, headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin" };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    const data = response.headers.get("content-type")?.includes("json") ? await response.json() : {};
    if (!response.ok) throw new Error(data.message || `HTTP ${response.status}`);
    return data;
  }

  // Build progress bars: poll every 2 s while queued or building.
  document.querySelectorAll("progress[data-poll]").forEach((bar) => {
    const id = bar.dataset.avatarProgress;
    const badge = document.querySelector(`[data-avatar-status="${id}"]`);
    const tick = async () => {
      try {
        const state = await api("GET", `/api/v1/avatars/${id}/progress/`);
        bar.value = state.progress;
        if (badge) badge.textContent = state.status;
        if (state.status === "queued" || state.status === "building") setTimeout(tick, 2000);
        else if (state.error_code && badge) badge.textContent = `${state.status}: ${state.error_code}`;
      } catch (error) {
        setTimeout(tick, 5000);
      }
    };
    tick();
  });

  // Gesture marks: every gesture with both times set is sent; the server validates them against the sample.
  document.querySelectorAll("form.gesture-marks").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const status = form.querySelector("[role=status]");
      const marks = [];
      form.querySelectorAll("tr[data-gesture]").forEach((row) => {
        const name = row.dataset.gesture;
        const start = row.querySelector(`[name="${name}-start"]`).value;
        const end = row.querySelector(`[name="${name}-end"]`).value;
        if (start !== "" && end !== "") marks.push({ name, start_s: Number(start), end_s: Number(end) });
      });
      try {
        await api("PATCH", `/api/v1/avatars/${form.dataset.avatar}/gestures/`, { gesture_marks: marks });
        window.location.reload();
      } catch (error) {
        status.textContent = error.message;
      }
    });
  });

  // The HLS player (hls.js where Media Source Extensions exist, native HLS otherwise).
  const video = document.getElementById("player");
  if (video) {
    const src = video.dataset.src;
    if (window.Hls && window.Hls.isSupported()) {
      const hls = new window.Hls({ xhrSetup: (xhr) => { xhr.withCredentials = true; } });
      hls.loadSource(src);
      hls.attachMedia(video);
      window.veracastPlayer = hls;
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = src;
    }
  }

  document.querySelectorAll("[data-cancel-job]").forEach((button) => {
    button.addEventListener("click", async () => {
      const status = button.parentElement.querySelector("[role=status]");
      try {
        await api("POST", `/api/v1/render-jobs/${button.dataset.cancelJob}/cancel/`);
        window.location.reload();
      } catch (error) {
        status.textContent = error.message;
      }
    });
  });
})();
