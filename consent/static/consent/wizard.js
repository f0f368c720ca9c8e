// The grant wizard: read the text, choose the scope, record the statement (MediaRecorder), sign with a passkey.
"use strict";
(function () {
  const root = document.getElementById("wizard");
  if (!root) return;
  const { api, registerPasskey, assertion } = window.veracastConsent;
  const status = root.querySelector("[data-testid=wizard-status]");
  const say = (text) => { status.textContent = text; };
  // Django's JavaScript catalog (base.html loads /i18n/js/ first); without it the English text shows.
  const gettext = window.gettext || ((text) => text);
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
  const refusal = (name) => root.querySelector(`[data-refusal=${name}]`).textContent.trim();
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // A challenge is a one-time code and a random sequence of liveness actions, each with its window in seconds from
  // the start of the recording. The page shows each action while its window is open.
  const newChallenge = async () => {
    challenge = await api("POST", `/api/v1/consent/grants/${grant.id}/statement-challenge/`, {});
    root.querySelector("[data-testid=sentence]").textContent = challenge.sentence;
    const list = root.querySelector("[data-testid=actions]");
    list.replaceChildren(...challenge.actions.map((action) => {
      const item = document.createElement("li");
      item.textContent = action.prompt;
      item.dataset.action = action.action;
      return item;
    }));
  };

  const showRefusal = (error) => {
    const box = root.querySelector("[data-testid=statement-refused]");
    const known = ["no_audio", "code_not_spoken", "generated_content", "too_short"];
    let text;
    if (known.includes(error.code)) {
      text = refusal(error.code);
    } else if (error.code === "action_not_seen") {
      text = `${refusal("action_not_seen")} ${error.detail}`;
    } else {
      text = `${refusal("other")} ${error.detail || error.message}`;
    }
    box.textContent = `${text} ${refusal("again")}`;
    box.dataset.code = error.code || "";
    box.hidden = false;
  };

  // Shows the sentence prompt, then each action in its window, until the last window has closed.
  const promptActions = async (started) => {
    const prompt = root.querySelector("[data-testid=liveness-prompt]");
    const items = Array.from(root.querySelectorAll("[data-testid=actions] li"));
    const end = Math.max(...challenge.actions.map((action) => action.end)) + 1.0;
    prompt.hidden = false;
    for (;;) {
      const t = (performance.now() - started) / 1000;
      if (t >= end) break;
      const index = challenge.actions.findIndex((action) => t >= action.start && t <= action.end);
      const current = challenge.actions[index];
      prompt.textContent = current ? current.prompt : refusal(t < challenge.actions[0].start ? "hold" : "done");
      prompt.dataset.action = current ? current.action : "";
      items.forEach((item, i) => { item.classList.toggle("is-current", i === index); });
      await sleep(100);
    }
    prompt.hidden = true;
  };

  // The signing step: the scope as a sentence (the canonical document behind a disclosure) and, when the
  // identity check did not pass, which check and why, from the server in the page's language.
  const showSign = async () => {
    const options = await api("GET", `/api/v1/consent/grants/${grant.id}/sign-options/`);
    root.querySelector("[data-testid=document]").textContent = options.document;
    root.querySelector("[data-testid=scope-summary]").textContent = options.summary;
    if (options.review_reasons.length) {
      const note = root.querySelector("[data-testid=statement-check]");
      note.textContent = `${note.textContent.trim()} ${options.review_reasons.join(" ")}`;
      note.hidden = false;
    } else {
      root.querySelector("[data-testid=statement-passed]").hidden = false;
    }
    show("sign");
  };

  // A draft opened from "My consents" continues where it stopped.
  if (root.dataset.draft) {
    grant = { id: root.dataset.draft };
    const resume = root.dataset.draftStatus === "pending_signature" ? showSign : async () => { await newChallenge(); show("statement"); };
    resume().catch((error) => say(error.message));
  }

  const draftButton = root.querySelector("[data-action=draft]");
  if (draftButton) draftButton.addEventListener("click", (event) => running(event.currentTarget, async () => {
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
    await newChallenge();
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
    root.querySelector("[data-testid=statement-refused]").hidden = true;
    say(gettext("Recording: read the sentence aloud and follow the prompts…"));
    // The windows count from the recording's first frame: the prompts' clock starts when the recorder says it has
    // started, not when it was asked to (a busy phone takes a moment), or a window would end early on the page.
    const begun = new Promise((resolve) => {
      recorder.onstart = () => resolve(performance.now());
      setTimeout(() => resolve(performance.now()), 2000);  // never wait on a browser that omits the event
    });
    recorder.start(1000);
    await promptActions(await begun);
    recorder.stop();
    await stopped;
    stream.getTracks().forEach((track) => track.stop());
    preview.srcObject = null;
    preview.hidden = true;  // a stopped camera leaves a black box
    say(gettext("Checking your statement: the code you spoke, the actions, and your face against your training sample…"));
    const form = new FormData();
    form.append("challenge", challenge.challenge);
    form.append("video", new Blob(chunks, { type: recorder.mimeType }), "statement.webm");
    try {
      grant = await api("POST", `/api/v1/consent/grants/${grant.id}/statement/`, form);
    } catch (error) {
      // Every refusal gets a new code and new actions: the next recording must be made for them. The refusal
      // says they are shown above, so it appears once they are.
      try {
        await newChallenge();
      } finally {
        showRefusal(error);
      }
      throw error;
    }
    await showSign();
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
