// The training sample page: drop or choose a video (or record one with MediaRecorder) and send it through the
// resumable upload API (/api/v1/consent/sample-uploads/): create, PUT chunks at the server's offset, finish.
// A dropped connection is retried from the offset the server reports; choosing the same file again later resumes
// the upload remembered for it (localStorage keeps only the upload id, never any of the video).
"use strict";
(function () {
  const root = document.getElementById("sample-upload");
  if (!root) return;
  const { api } = window.veracastConsent;
  const CHUNK = Number(root.dataset.chunkBytes) || 8 * 1024 * 1024;
  const $ = (id) => root.querySelector(`[data-testid=${id}]`);
  const text = (selector) => root.querySelector(selector).textContent.trim();
  const message = (name) => text(`[data-message=${name}]`);
  const refusedBox = $("sample-refused");
  const accepted = $("sample-accepted");
  const statusLine = $("upload-status");
  const bar = $("upload-progress");
  const fileInput = $("sample-file");
  const dropzone = $("dropzone");
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  let busy = false;

  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // The refusal as a sentence saying what to do; the server's own words follow only for a code the page does not
  // know. The code stays on the box (data-code) for tests and support.
  function refuse(error) {
    const code = error.code || "other";
    const known = root.querySelector(`[data-refusal="${code}"]`);
    refusedBox.textContent = known ? known.textContent.trim() : `${text('[data-refusal="other"]')} ${error.detail || error.message}`;
    refusedBox.dataset.code = code;
    refusedBox.hidden = false;
    statusLine.textContent = "";
  }

  function progress(sent, total) {
    bar.hidden = false;
    const percent = total ? Math.floor((sent / total) * 100) : 0;
    bar.value = percent;
    bar.textContent = `${percent}%`;
    statusLine.textContent = `${message("sending")} ${percent}%`;
  }

  // One chunk by XMLHttpRequest, whose upload events move the bar while the chunk is on its way.
  function putChunk(id, offset, blob, total) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", `/api/v1/consent/sample-uploads/${id}/`);
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.setRequestHeader("Content-Type", "application/offset+octet-stream");
      xhr.setRequestHeader("Upload-Offset", String(offset));
      xhr.upload.onprogress = (event) => progress(offset + event.loaded, total);
      xhr.onload = () => {
        let data = {};
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = {}; }
        if (xhr.status >= 200 && xhr.status < 300) return resolve(data);
        const error = new Error(data.message || `HTTP ${xhr.status}`);
        error.code = data.code;
        error.detail = data.message;
        error.status = xhr.status;
        reject(error);
      };
      xhr.onerror = () => { const error = new Error("network"); error.code = "network"; error.retry = true; reject(error); };
      xhr.send(blob);
    });
  }

  const storageKey = (file) => `veracast.sample-upload:${file.name}:${file.size}:${file.lastModified || 0}`;

  async function openUpload(file) {
    const key = storageKey(file);
    const remembered = window.localStorage.getItem(key);
    if (remembered) {
      try {
        const state = await api("GET", `/api/v1/consent/sample-uploads/${remembered}/`);
        if (state.status === "open") return state;
      } catch (error) { /* gone or someone else's: start over */ }
      window.localStorage.removeItem(key);
    }
    const state = await api("POST", "/api/v1/consent/sample-uploads/", {
      size: file.size, content_type: file.type || "application/octet-stream", filename: (file.name || "").slice(0, 200),
    });
    window.localStorage.setItem(key, state.id);
    return state;
  }

  async function send(file) {
    if (busy) return;
    busy = true;
    refusedBox.hidden = true;
    accepted.hidden = true;
    fileInput.disabled = true;
    try {
      const state = await openUpload(file);
      let offset = state.offset;
      let failures = 0;
      progress(offset, file.size);
      while (offset < file.size) {
        try {
          const next = await putChunk(state.id, offset, file.slice(offset, offset + CHUNK), file.size);
          offset = next.offset;
          failures = 0;
        } catch (error) {
          // A dropped connection or a busy server: ask where the upload stands and go on from there.
          const transient = error.retry || error.status >= 500 || error.code === "offset_mismatch" || error.code === "chunk_incomplete";
          if (!transient || ++failures > 8) throw error;
          statusLine.textContent = message("retrying");
          await sleep(Math.min(30000, 500 * 2 ** failures));
          offset = (await api("GET", `/api/v1/consent/sample-uploads/${state.id}/`)).offset;
        }
      }
      progress(file.size, file.size);
      statusLine.textContent = message("checking");
      try {
        await api("POST", `/api/v1/consent/sample-uploads/${state.id}/finish/`);
      } finally {
        // Accepted or refused, this upload is over; a vault outage (5xx) leaves it open to finish again.
        const after = await api("GET", `/api/v1/consent/sample-uploads/${state.id}/`).catch(() => ({ status: "gone" }));
        if (after.status !== "open") window.localStorage.removeItem(storageKey(file));
      }
      statusLine.textContent = "";
      accepted.hidden = false;
    } catch (error) {
      if (error instanceof TypeError) error.code = "network";  // fetch() itself failed
      refuse(error);
    } finally {
      busy = false;
      fileInput.disabled = false;
      fileInput.value = "";
    }
  }

  fileInput.addEventListener("change", () => { if (fileInput.files.length) send(fileInput.files[0]); });
  dropzone.addEventListener("dragover", (event) => { event.preventDefault(); dropzone.classList.add("is-over"); });
  dropzone.addEventListener("dragleave", () => dropzone.classList.remove("is-over"));
  dropzone.addEventListener("drop", (event) => {
    event.preventDefault();
    dropzone.classList.remove("is-over");
    const file = event.dataTransfer && event.dataTransfer.files[0];
    if (file) send(file);
  });

  // Recording: the camera and microphone through MediaRecorder, stoppable after 30 s, stopped at 10 min; the
  // recording is sent like a chosen file.
  const recordButton = root.querySelector("[data-action=record]");
  const stopButton = root.querySelector("[data-action=stop]");
  const preview = $("record-preview");
  const timer = $("record-timer");
  let recorder = null;
  recordButton.addEventListener("click", async () => {
    refusedBox.hidden = true;
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio: true });
    } catch (error) {
      refuse({ code: "camera", message: error.message });
      return;
    }
    recordButton.disabled = true;
    preview.hidden = false;
    preview.srcObject = stream;
    recorder = new MediaRecorder(stream);
    const chunks = [];
    recorder.ondataavailable = (event) => { if (event.data.size) chunks.push(event.data); };
    const started = performance.now();
    const tick = setInterval(() => {
      const seconds = Math.floor((performance.now() - started) / 1000);
      timer.textContent = `${message("recording")} ${seconds} ${message("seconds")}`;
      stopButton.disabled = seconds < 31;
      if (seconds >= 590 && recorder.state === "recording") recorder.stop();
    }, 250);
    recorder.onstop = () => {
      clearInterval(tick);
      stream.getTracks().forEach((track) => track.stop());
      preview.srcObject = null;
      preview.hidden = true;
      stopButton.disabled = true;
      recordButton.disabled = false;
      timer.textContent = "";
      const type = (recorder.mimeType || "video/webm").split(";")[0];
      const file = new File(chunks, `recording-${Date.now()}.webm`, { type, lastModified: Date.now() });
      send(file);
    };
    recorder.start(1000);
  });
  stopButton.addEventListener("click", () => { if (recorder && recorder.state === "recording") recorder.stop(); });
})();
