// The short-video page: while the video is queued or rendering, poll its state every 2 s and move the progress
// bar; when it is done or has failed, reload so the server renders the player, the download link or the reason.
// Loaded as a file: the site's CSP forbids inline scripts.
"use strict";
(function () {
  const card = document.querySelector("[data-short-video]");
  if (!card) return;
  const active = (status) => status === "queued" || status === "running";
  if (!active(card.dataset.status)) return;
  const bar = card.querySelector("progress");
  const tick = async () => {
    try {
      const response = await fetch(card.dataset.shortVideo, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const state = await response.json();
      if (bar) {
        bar.value = state.progress;
        bar.textContent = `${Math.round(state.progress * 100)} %`;
      }
      if (active(state.status)) setTimeout(tick, 2000);
      else window.location.reload();
    } catch (error) {
      setTimeout(tick, 5000);
    }
  };
  setTimeout(tick, 2000);
})();
