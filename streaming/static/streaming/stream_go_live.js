// Go live with a passkey: the server answers the go-live document and WebAuthn request options whose challenge is
// its SHA-256; the passkey's assertion goes back and the server re-runs every check before the stream goes live.
// Every refusal is the server's sentence, shown in the form's status line.
"use strict";
(function () {
  const form = document.querySelector("form.stream-go-live");
  if (!form) return;
  const status = form.querySelector("[role=status]");
  const button = form.querySelector("[data-testid=go-live]");

  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(data.message || form.dataset.msgFailed || `HTTP ${response.status}`);
    }
    return data;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    status.textContent = form.dataset.msgWaiting || "";
    try {
      const begun = await post(form.dataset.options, {});
      let credential;
      try {
        const assertion = await navigator.credentials.get({
          publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(begun.publicKey),
        });
        credential = assertion.toJSON();
      } catch (error) {
        throw new Error(form.dataset.msgCancelled || String(error));
      }
      const done = await post(form.dataset.goLive, { credential });
      window.location.assign(done.redirect);
    } catch (error) {
      status.textContent = error.message;
      button.disabled = false;
    }
  });
})();
