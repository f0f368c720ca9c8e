// Staff review: approve or reject with a written reason.
"use strict";
(function () {
  const { api } = window.veracastConsent || {};
  document.querySelectorAll("form.review").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const status = form.querySelector("[role=status]");
      try {
        await api("POST", `/api/v1/consent/grants/${form.dataset.grant}/review/`, {
          decision: event.submitter.value,
          reason: form.querySelector("textarea[name=reason]").value,
        });
        form.remove();
      } catch (error) { status.textContent = error.message; }
    });
  });
})();
