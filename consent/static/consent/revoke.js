// One-step revocation, confirmed with the passkey over the revocation document.
"use strict";
(function () {
  const section = document.getElementById("revoke");
  if (!section) return;
  const { api, assertion } = window.veracastConsent;
  // Django's JavaScript catalog (base.html loads /i18n/js/ first); without it the English text shows.
  const gettext = window.gettext || ((text) => text);
  const grant = section.dataset.grant;
  const status = section.querySelector("[data-testid=revoke-status]");
  section.querySelector("[data-action=revoke]").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    button.disabled = true;  // one confirmation at a time
    status.textContent = gettext("Confirm with your passkey…");
    try {
      const options = await api("GET", `/api/v1/consent/grants/${grant}/revoke-options/`);
      await api("POST", `/api/v1/consent/grants/${grant}/revoke/`, { webauthn: await assertion(options.publicKey) });
      window.location.reload();
    } catch (error) {
      button.disabled = false;
      status.textContent = error.message;
    }
  });
})();
