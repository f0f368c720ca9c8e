// The operator console's comment panel (interaction/includes/console_comments.html): refreshes the feed from the
// comment API every few seconds, sends a suggested FAQ answer with one click or a typed reply (the server lints it;
// a refusal's sentence is shown). No inline script (strict CSP); text goes in with textContent only.
(function () {
  "use strict";
  const panel = document.getElementById("console-comments");
  if (!panel) return;
  const status = panel.querySelector("[data-testid=cc-status]");
  const feedList = panel.querySelector("[data-testid=cc-feed]");
  const queuedList = panel.querySelector("[data-testid=cc-queued]");
  const labelsNode = document.getElementById("console-comments-labels");
  const labels = labelsNode ? JSON.parse(labelsNode.textContent) : { decisions: {}, reasons: {} };
  let last = "";

  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function languageOf(text) {
    return /[\u4e00-\u9fff]/.test(text) ? "zh" : "en";
  }

  function commentItem(c) {
    const li = el("li", { class: "cc-comment", "data-comment": c.id, "data-decision": c.decision });
    const text = el("p", { class: "cc-comment__text" });
    if (c.decision === "suppressed") text.appendChild(el("span", { class: "muted" }, panel.dataset.labelSuppressed));
    else text.textContent = c.text;
    li.appendChild(text);
    const decision = el("p", { class: "cc-comment__decision" });
    decision.appendChild(el("span", { class: "badge badge--neutral", "data-testid": "cc-decision" }, labels.decisions[c.decision] || c.decision));
    if (c.score !== null && c.score !== undefined) {
      decision.appendChild(document.createTextNode(" "));
      decision.appendChild(el("span", { class: "muted" }, panel.dataset.labelScore + " " + Number(c.score).toFixed(2)));
    }
    const reason = labels.reasons[String(c.reason || "").split(":")[0]];
    if (reason) { decision.appendChild(document.createTextNode(" ")); decision.appendChild(el("span", { class: "cc-reason" }, reason)); }
    if (c.reason) { decision.appendChild(document.createTextNode(" ")); decision.appendChild(el("code", { class: "muted" }, c.reason)); }
    li.appendChild(decision);
    if (c.decision === "operator" && !c.handled) {
      const list = el("ul", { class: "cc-suggestions" });
      (c.candidates || []).forEach(function (s) {
        const item = el("li");
        item.appendChild(el("button", { type: "button", class: "btn", "data-send-faq": s.faq, "data-testid": "cc-send" }, panel.dataset.labelSend));
        item.appendChild(document.createTextNode(" "));
        item.appendChild(el("span", {}, s.answer));
        item.appendChild(document.createTextNode(" "));
        item.appendChild(el("span", { class: "muted" }, "(" + Number(s.score).toFixed(2) + ")"));
        list.appendChild(item);
      });
      li.appendChild(list);
      const form = el("form", { class: "cc-reply", "data-reply-form": "" });
      const label = el("label", {}, panel.dataset.labelReply + " ");
      label.appendChild(el("input", { name: "text", maxlength: "500", required: "", "data-testid": "cc-reply-text" }));
      form.appendChild(label);
      form.appendChild(document.createTextNode(" "));
      form.appendChild(el("button", { type: "submit", class: "btn", "data-testid": "cc-reply" }, panel.dataset.labelSend));
      li.appendChild(form);
    }
    return li;
  }

  function busy() {
    // Never redraw under the operator's hands: a reply being typed stays as it is.
    const active = document.activeElement;
    if (active && feedList.contains(active) && active.tagName === "INPUT") return true;
    return Array.prototype.some.call(feedList.querySelectorAll("input[name=text]"), function (i) { return i.value; });
  }

  function render(feed) {
    const data = JSON.stringify(feed);
    if (data === last || busy()) return;
    last = data;
    ["total", "answered", "operator", "flagged"].forEach(function (k) {
      const node = panel.querySelector("[data-testid=cc-count-" + k + "]");
      if (node) node.textContent = String(feed.counts[k]);
    });
    queuedList.replaceChildren();
    if (!feed.queued.length) queuedList.appendChild(el("li", { class: "muted" }, panel.dataset.msgNone));
    feed.queued.forEach(function (a) { queuedList.appendChild(el("li", {}, a.text)); });
    feedList.replaceChildren();
    if (!feed.comments.length) feedList.appendChild(el("li", { class: "muted" }, panel.dataset.msgNoComments));
    feed.comments.slice(0, 30).forEach(function (c) { feedList.appendChild(commentItem(c)); });
  }

  function refresh() {
    return fetch(panel.dataset.apiFeed, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (feed) { if (feed) render(feed); })
      .catch(function () { /* the next poll tries again */ });
  }

  function post(commentId, body) {
    const url = panel.dataset.apiAnswer.replace("{id}", commentId);
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (data) {
        status.textContent = response.ok ? panel.dataset.msgSent : (data.message || panel.dataset.msgFailed);
        if (response.ok) {
          const row = feedList.querySelector('[data-comment="' + commentId + '"]');
          const form = row && row.querySelector("[data-reply-form]");
          if (form) form.elements.text.value = "";
          last = "";
          refresh();
        }
      });
    }).catch(function () { status.textContent = panel.dataset.msgFailed; });
  }

  panel.addEventListener("click", function (event) {
    const button = event.target.closest("[data-send-faq]");
    if (!button) return;
    post(button.closest("[data-comment]").dataset.comment, { faq: button.dataset.sendFaq });
  });
  panel.addEventListener("submit", function (event) {
    const form = event.target.closest("[data-reply-form]");
    if (!form) return;
    event.preventDefault();
    const text = form.elements.text.value;
    post(form.closest("[data-comment]").dataset.comment, { text: text, language: languageOf(text) });
  });
  window.setInterval(refresh, Number(panel.dataset.pollEvery) || 3000);
})();
