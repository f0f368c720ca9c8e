// Render pages: avatar build progress and render job progress (poll the small JSON endpoints), the HLS player, and
// start forms that submit once. Loaded as a file: the site's CSP forbids inline scripts. Every sentence shown is
// rendered by the server in the reader's language; this file only moves bars, fills in numbers and reloads.
"use strict";
(function () {
  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  // A start form submits once: the button is disabled on the first submit (the server also finds a resent form's
  // job by its request key, so a double click makes one job even without this).
  document.querySelectorAll("form[data-once]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.submitted === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.submitted = "1";
      form.querySelectorAll("button[type=submit]").forEach((button) => {
        // Disabled after this tick, so the submit that is under way still carries the button.
        setTimeout(() => { button.disabled = true; }, 0);
      });
    });
  });

  // Build progress bars: poll every 2 s while queued or building; reload once the build has ended, so the server
  // shows the outcome (and the start buttons) in the reader's language.
  document.querySelectorAll("progress[data-poll]").forEach((bar) => {
    const id = bar.dataset.avatarProgress;
    const tick = async () => {
      try {
        const state = await getJSON(`/api/v1/avatars/${id}/progress/`);
        bar.value = state.progress;
        if (state.status === "queued" || state.status === "building") setTimeout(tick, 2000);
        else window.location.reload();
      } catch (error) {
        setTimeout(tick, 5000);
      }
    };
    setTimeout(tick, 1000);
  });

  // Render job progress: poll the job every 2 s while it is queued or running; move the bar and the count; reload
  // when the first segment is published (to show the player) and when the job ends (outcome, segments, download).
  const card = document.querySelector("[data-job]");
  if (card && card.dataset.active === "1") {
    const bar = card.querySelector("[data-testid=job-progress]");
    const text = card.querySelector("[data-testid=job-progress-text]");
    const hadPlayer = card.dataset.hasPlayer === "1";
    const tick = async () => {
      try {
        const job = await getJSON(card.dataset.job);
        const done = job.published_segments;
        const total = job.segment_count || 0;
        if (bar) bar.value = total ? Math.min(1, done / total) : 0;
        if (text) {
          const template = total ? text.dataset.template : text.dataset.templateUnknown;
          text.textContent = template.replace("{done}", String(done)).replace("{total}", String(total));
        }
        card.dataset.published = String(done);
        const active = job.status === "queued" || job.status === "running";
        if (!active || (!hadPlayer && done > 0)) window.location.reload();
        else setTimeout(tick, 2000);
      } catch (error) {
        setTimeout(tick, 5000);
      }
    };
    setTimeout(tick, 1000);
  }

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
})();
