// One-step revocation, confirmed with the passkey over the revocation document.
"use strict";
(function () {
  const section = document.getElementById("revoke");
  if (!section) return;
  const { api, assertion } = window.veracastConsent;
  const grant = section.dataset.grant;
  const status = section.querySelector("[data-testid=revoke-status]");
  section.querySelector("[data-action=revoke]").addEventListener("click", async () => {
    try {
      const options = await api("GET", `/api/v1/consent/grants/${grant}/revoke-options/`);
      await api("POST", `/api/v1/consent/grants/${grant}/revoke/`, { webauthn: await assertion(options.publicKey) });
      window.location.reload();
    } catch (error) { status.textContent = error.message; }
  });
})();
