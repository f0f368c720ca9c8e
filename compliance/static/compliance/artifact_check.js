// The dashboard's "Examining…" progress bars: poll each running artifact check's progress URL and reload the page
// once it has finished, so the rules and the "Files examined" column show the new dated result. No inline script.
(function () {
  "use strict";
  var rows = document.querySelectorAll("[data-progress-url]");
  rows.forEach(function (row) {
    var bar = row.querySelector("progress");
    var url = row.getAttribute("data-progress-url");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          if (bar && state.total) {
            bar.max = state.total;
            bar.value = state.done;
          }
          if (state.status === "done" || state.status === "failed" || state.error) {
            window.location.reload();
          } else {
            window.setTimeout(poll, 1500);
          }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  });
})();
