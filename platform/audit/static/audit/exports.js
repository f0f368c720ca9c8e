// Audit exports page: while an export is queued or building, poll its progress from the export API and, once it
// is ready, show its download link. Loaded as a file: the site's CSP forbids inline scripts.
"use strict";
(function () {
  const gettext = window.gettext || ((text) => text);
  const READY = "done";
  const FINISHED = ["done", "failed"];

  document.querySelectorAll("tr[data-export]").forEach((row) => {
    const id = row.dataset.export;
    if (FINISHED.includes(row.dataset.status)) return;
    const bar = row.querySelector(`[data-export-progress="${id}"]`);
    const badge = row.querySelector(`[data-export-status="${id}"]`);
    const cell = row.querySelector(`[data-export-bundle="${id}"]`);
    const tick = async () => {
      try {
        const response = await fetch(`/api/v1/ledger/exports/${id}/`, { credentials: "same-origin" });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const state = await response.json();
        bar.value = state.progress;
        badge.textContent = state.status_display;
        row.dataset.status = state.status;
        if (state.status === READY && state.download_url && !cell.querySelector("a")) {
          const link = document.createElement("a");
          link.className = "btn btn--quiet";
          link.dataset.exportDownload = id;
          link.href = state.download_url;
          link.textContent = cell.dataset.downloadLabel;
          cell.prepend(link);
        }
        if (!FINISHED.includes(state.status)) setTimeout(tick, 1000);
        else if (state.error_message) {
          badge.textContent = gettext("%(status)s: %(reason)s")
            .replace("%(status)s", state.status_display)
            .replace("%(reason)s", state.error_message);
        }
      } catch (error) {
        setTimeout(tick, 3000);
      }
    };
    tick();
  });
})();
