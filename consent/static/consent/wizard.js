// The grant wizard: read the text, choose the scope, record the statement (MediaRecorder), sign with a passkey.
"use strict";
(function () {
  const root = document.getElementById("wizard");
  if (!root) return;
  const { api, registerPasskey, assertion } = window.veracastConsent;
  const status = root.querySelector("[data-testid=wizard-status]");
  const say = (text) => { status.textContent = text; };
  const checked = (name) => Array.from(root.querySelectorAll(`input[name=${name}]:checked`)).map((i) => i.value);
  const value = (name) => root.querySelector(`input[name=${name}]`).value;
  const show = (step) => { root.querySelector(`[data-step=${step}]`).hidden = false; };
  let grant = null;
  let challenge = null;

  root.querySelector("[data-action=draft]").addEventListener("click", async () => {
    try {
      grant = await api("POST", "/api/v1/consent/grants/", {
        template: root.querySelector("input[name=template]:checked").value,
        modalities: checked("modalities"),
        brands: checked("brands"),
        purposes: checked("purposes"),
        platforms: checked("platforms"),
        valid_from: new Date(value("valid_from")).toISOString(),
        valid_until: new Date(value("valid_until")).toISOString(),
        excluded_product_categories: value("excluded").split(",").map((s) => s.trim()).filter(Boolean),
      });
      challenge = await api("POST", `/api/v1/consent/grants/${grant.id}/statement-challenge/`, {});
      root.querySelector("[data-testid=sentence]").textContent = challenge.sentence;
      show("statement");
      say("");
    } catch (error) { say(error.message); }
  });

  root.querySelector("[data-action=record]").addEventListener("click", async () => {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true });
      root.querySelector("[data-testid=preview]").srcObject = stream;
      const recorder = new MediaRecorder(stream);
      const chunks = [];
      recorder.ondataavailable = (event) => { if (event.data.size) chunks.push(event.data); };
      const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
      say("…");
      recorder.start(1000);
      await new Promise((resolve) => setTimeout(resolve, 6000));
      recorder.stop();
      await stopped;
      stream.getTracks().forEach((track) => track.stop());
      const form = new FormData();
      form.append("challenge", challenge.challenge);
      form.append("code", challenge.code);
      form.append("video", new Blob(chunks, { type: recorder.mimeType }), "statement.webm");
      grant = await api("POST", `/api/v1/consent/grants/${grant.id}/statement/`, form);
      const options = await api("GET", `/api/v1/consent/grants/${grant.id}/sign-options/`);
      root.querySelector("[data-testid=document]").textContent = options.document;
      show("sign");
      say("");
    } catch (error) { say(error.message); }
  });

  root.querySelector("[data-action=sign]").addEventListener("click", async () => {
    try {
      if (root.dataset.hasPasskey !== "1") {
        await registerPasskey();
        root.dataset.hasPasskey = "1";
      }
      const options = await api("GET", `/api/v1/consent/grants/${grant.id}/sign-options/`);
      grant = await api("POST", `/api/v1/consent/grants/${grant.id}/sign/`, { webauthn: await assertion(options.publicKey) });
      window.location.assign(`/consent/grants/${grant.id}/`);
    } catch (error) { say(error.message); }
  });
})();
