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

  // Each step's button is disabled while it runs and after it succeeds: a second click would draft a second
  // grant, or spend the one-time code twice.
  const running = async (button, work) => {
    button.disabled = true;
    try {
      await work();
    } catch (error) {
      button.disabled = false;
      say(error.message);
    }
  };
  const CHECK_WORDS = { fail: "did not match", unavailable: "could not be checked" };

  root.querySelector("[data-action=draft]").addEventListener("click", (event) => running(event.currentTarget, async () => {
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
    root.querySelectorAll("[data-step=scope] input, [data-step=read] input").forEach((input) => { input.disabled = true; });
    show("statement");
    say("");
  }));

  root.querySelector("[data-action=record]").addEventListener("click", (event) => running(event.currentTarget, async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true });
    const preview = root.querySelector("[data-testid=preview]");
    preview.hidden = false;
    preview.srcObject = stream;
    const recorder = new MediaRecorder(stream);
    const chunks = [];
    recorder.ondataavailable = (event) => { if (event.data.size) chunks.push(event.data); };
    const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
    say("Recording: look at the camera and read the sentence aloud…");
    recorder.start(1000);
    await new Promise((resolve) => setTimeout(resolve, 6000));
    recorder.stop();
    await stopped;
    stream.getTracks().forEach((track) => track.stop());
    preview.srcObject = null;
    preview.hidden = true;  // a stopped camera leaves a black box
    say("Checking your statement against your training sample…");
    const form = new FormData();
    form.append("challenge", challenge.challenge);
    form.append("code", challenge.code);
    form.append("video", new Blob(chunks, { type: recorder.mimeType }), "statement.webm");
    grant = await api("POST", `/api/v1/consent/grants/${grant.id}/statement/`, form);
    const options = await api("GET", `/api/v1/consent/grants/${grant.id}/sign-options/`);
    root.querySelector("[data-testid=document]").textContent = options.document;
    if (grant.needs_review) {
      const failed = [["face", grant.face_decision], ["voice", grant.voice_decision]]
        .filter(([, decision]) => CHECK_WORDS[decision])
        .map(([what, decision]) => `The ${what} ${CHECK_WORDS[decision]}.`);
      const note = root.querySelector("[data-testid=statement-check]");
      note.textContent = `${note.textContent.trim()} ${failed.join(" ")}`;
      note.hidden = false;
    } else {
      root.querySelector("[data-testid=statement-passed]").hidden = false;
    }
    show("sign");
    say("");
  }));

  root.querySelector("[data-action=sign]").addEventListener("click", (event) => running(event.currentTarget, async () => {
    if (root.dataset.hasPasskey !== "1") {
      await registerPasskey();
      root.dataset.hasPasskey = "1";
    }
    const options = await api("GET", `/api/v1/consent/grants/${grant.id}/sign-options/`);
    grant = await api("POST", `/api/v1/consent/grants/${grant.id}/sign/`, { webauthn: await assertion(options.publicKey) });
    window.location.assign(`/consent/grants/${grant.id}/`);
  }));
})();
