// Approve with a passkey: the reviewer's override reasons go to the server, which answers the document to sign and
// WebAuthn request options whose challenge is its SHA-256; the passkey's assertion goes back with the same reasons.
// Every refusal is the server's sentence, shown in the form's status line.
"use strict";
(function () {
  const form = document.querySelector("form.script-approval");
  if (!form || !form.querySelector("[data-testid=approve]")) return;
  const status = form.querySelector("[role=status]");
  const button = form.querySelector("[data-testid=approve]");

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

  function overrides() {
    const reasons = {};
    form.querySelectorAll("textarea[data-override]").forEach((box) => {
      if (box.value.trim()) reasons[box.dataset.override] = box.value.trim();
    });
    return reasons;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    status.textContent = form.dataset.msgWaiting || "";
    const body = { expected_sha256: form.dataset.sha256, overrides: overrides() };
    try {
      const begun = await post(form.dataset.options, body);
      let credential;
      try {
        const assertion = await navigator.credentials.get({
          publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(begun.publicKey),
        });
        credential = assertion.toJSON();
      } catch (error) {
        throw new Error(form.dataset.msgCancelled || String(error));
      }
      const done = await post(form.dataset.approve, { ...body, credential });
      window.location.assign(done.redirect);
    } catch (error) {
      status.textContent = error.message;
      button.disabled = false;
    }
  });
})();
