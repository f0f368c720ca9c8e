// The ledger browser's "Verify" button: recomputes the event's hash, folds its inclusion proof up to the checkpoint's
// Merkle root, recomputes the checkpoint's hash and key id, and verifies its Ed25519 signature, all with WebCrypto in
// the auditor's browser (docs/ledger.md has the rules). Where the browser has no Ed25519 in WebCrypto, the signature
// is checked by the server's verify endpoint instead, and the page says so.
(function () {
  "use strict";
  const button = document.querySelector("[data-verify]");
  const source = document.getElementById("ledger-verification");
  if (!button || !source) return;
  const data = JSON.parse(source.textContent);
  const status = document.querySelector("[data-testid=verify-status]");
  const list = document.querySelector("[data-testid=verify-checks]");
  const msg = button.dataset;

  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
  const bytes = (text) => {
    const out = new Uint8Array(text.length / 2);
    for (let i = 0; i < out.length; i += 1) out[i] = parseInt(text.substr(2 * i, 2), 16);
    return out;
  };
  const concat = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) { out.set(part, at); at += part.length; }
    return out;
  };
  const sha256 = async (data) => new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  const utf8 = (text) => new TextEncoder().encode(text);
  // RFC 8785 writes strings exactly as ECMAScript's JSON.stringify does; the keys are listed in sorted order.
  const q = (value) => JSON.stringify(value);

  async function eventHash(e) {
    const envelope = "{\"actor\":" + q(e.actor) + ",\"kind\":" + q(e.kind) + ",\"payload\":" + e.payload +
      ",\"prev_hash\":" + q(e.prev_hash) + ",\"recorded_at\":" + q(e.recorded_at) + ",\"seq\":" + e.seq +
      ",\"subject\":" + q(e.subject) + "}";
    return hex(await sha256(utf8(envelope)));
  }

  async function foldProof(eventHashHex, path) {
    let node = await sha256(concat(new Uint8Array([0]), bytes(eventHashHex)));
    for (const step of path) {
      const sibling = bytes(step.hash);
      node = step.side === "left"
        ? await sha256(concat(new Uint8Array([1]), sibling, node))
        : await sha256(concat(new Uint8Array([1]), node, sibling));
    }
    return hex(node);
  }

  function checkpointBody(c) {
    return utf8(JSON.stringify({
      created_at: c.created_at, event_count: c.event_count, first_event_id: c.first_event_id, key_id: c.key_id,
      last_event_id: c.last_event_id, merkle_root: c.merkle_root, prev_checkpoint_hash: c.prev_checkpoint_hash,
    }));
  }

  async function signatureInBrowser(c, body) {
    const key = await crypto.subtle.importKey("raw", bytes(data.public_key), { name: "Ed25519" }, false, ["verify"]);
    return crypto.subtle.verify({ name: "Ed25519" }, key, bytes(c.signature), body);
  }

  async function signatureOnServer() {
    const response = await fetch(msg.fallback, { credentials: "same-origin", headers: { Accept: "application/json" } });
    const answer = await response.json();
    return Boolean(answer.signature_ok && answer.proof_ok);
  }

  function show(name, label, ok) {
    const item = document.createElement("li");
    item.dataset.check = name;
    item.dataset.ok = String(ok);
    item.textContent = (ok ? msg.msgPass : msg.msgFail) + " " + label;
    list.appendChild(item);
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    list.replaceChildren();
    const e = data.event;
    const c = data.proof.checkpoint;
    const results = [];
    const check = (name, label, ok) => { results.push(ok); show(name, label, ok); };
    check("event-hash", msg.msgEventHash, (await eventHash(e)) === e.hash);
    const root = await foldProof(e.hash, data.proof.path);
    check("path", msg.msgPath, root === data.proof.root && root === c.merkle_root);
    const body = checkpointBody(c);
    check("body", msg.msgBody, hex(await sha256(body)) === c.hash);
    check("key-id", msg.msgKeyId, Boolean(data.public_key) && hex(await sha256(bytes(data.public_key))).slice(0, 16) === c.key_id);
    let onServer = false;
    let signed = false;
    if (data.public_key) {
      try {
        signed = await signatureInBrowser(c, body);
      } catch (error) {
        // NotSupportedError: no Ed25519 in this browser's WebCrypto (Chromium before 137, for example).
        onServer = true;
        signed = await signatureOnServer();
      }
    }
    check("signature", msg.msgSignature, signed);
    const ok = results.every(Boolean);
    status.dataset.ok = String(ok);
    status.dataset.where = onServer ? "server" : "browser";
    status.textContent = ok ? (onServer ? msg.msgOkServer : msg.msgOk) : msg.msgFailed;
    button.disabled = false;
  });
})();
