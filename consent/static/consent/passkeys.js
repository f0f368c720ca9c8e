// Shared helpers of the consent pages: JSON API calls with the CSRF token, and WebAuthn with the browser's JSON
// helpers (PublicKeyCredential.parse*OptionsFromJSON and credential.toJSON()).
"use strict";
window.veracastConsent = (function () {
  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  async function api(method, url, body) {
    const init = { method, headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin" };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(`${data.code || response.status}: ${data.message || "request failed"}`);
      error.code = data.code;
      error.detail = data.message;
      throw error;
    }
    return data;
  }
  // Opened at an IP address, browsers refuse passkeys with "This is an invalid domain": say what to do instead
  // (the page's notice, with its link to the host name, in the page's language).
  function requireHostName() {
    const notice = document.querySelector("[data-testid=passkey-host-notice]");
    if (notice) {
      const error = new Error(notice.textContent.replace(/\s+/g, " ").trim());
      error.code = "passkey_needs_host_name";
      throw error;
    }
  }
  async function registerPasskey() {
    requireHostName();
    const options = await api("POST", "/api/v1/consent/passkeys/options/", {});
    const credential = await navigator.credentials.create({
      publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
    });
    return api("POST", "/api/v1/consent/passkeys/", { credential: credential.toJSON() });
  }
  async function assertion(publicKeyOptions) {
    requireHostName();
    const credential = await navigator.credentials.get({
      publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(publicKeyOptions),
    });
    return credential.toJSON();
  }
  return { api, registerPasskey, assertion };
})();
