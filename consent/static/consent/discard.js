// Discarding an unsigned draft: nothing was agreed yet, so no passkey is asked for.
"use strict";
(function () {
  const section = document.getElementById("discard");
  if (!section) return;
  const { api } = window.veracastConsent;
  const grant = section.dataset.grant;
  const status = section.querySelector("[data-testid=discard-status]");
  section.querySelector("[data-action=discard]").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      await api("POST", `/api/v1/consent/grants/${grant}/discard/`);
      window.location.reload();
    } catch (error) {
      button.disabled = false;
      status.textContent = error.message;
    }
  });
})();
