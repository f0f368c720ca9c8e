// The script editor: add, remove and reorder lines before saving. Each line posts its key first (`line`), then
// its fields named "<key>-<field>", so the server reads the lines in page order. New lines get fresh keys "n1", "n2"…
// A speech preview that cannot play shows the server's sentence instead of a silent player.
"use strict";
(function () {
  const form = document.querySelector("form.script-editor");
  if (!form) return;
  const list = form.querySelector("[data-lines]");
  const template = document.getElementById("line-template");
  let fresh = 0;

  function renumber() {
    list.querySelectorAll("[data-line]").forEach((item, index) => {
      const number = item.querySelector(".script-line__number");
      if (number && item.dataset.new === "1") number.textContent = `+${index + 1}`;
    });
  }

  function addLine() {
    fresh += 1;
    const key = `n${fresh}`;
    const item = template.content.firstElementChild.cloneNode(true);
    item.dataset.new = "1";
    item.querySelector("input[name=line]").value = key;
    item.querySelectorAll("[data-field]").forEach((field) => {
      field.name = `${key}-${field.dataset.field}`;
      field.id = `${key}-${field.dataset.field}`;
    });
    const label = item.querySelector("label[data-for=text]");
    if (label) label.htmlFor = `${key}-text`;
    list.appendChild(item);
    renumber();
    item.querySelector("textarea").focus();
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-add-line")) {
      addLine();
      return;
    }
    const item = button.closest("[data-line]");
    if (!item) return;
    if (button.hasAttribute("data-remove")) {
      item.remove();
    } else if (button.dataset.move === "up" && item.previousElementSibling) {
      list.insertBefore(item, item.previousElementSibling);
    } else if (button.dataset.move === "down" && item.nextElementSibling) {
      list.insertBefore(item.nextElementSibling, item);
    }
    renumber();
  });

  document.querySelectorAll("audio[data-speech]").forEach((audio) => {
    audio.addEventListener("error", async () => {
      const status = audio.parentElement.querySelector(".speech__error");
      try {
        const response = await fetch(audio.currentSrc || audio.src, { credentials: "same-origin" });
        if (status) status.textContent = await response.text();
      } catch (error) {
        if (status) status.textContent = String(error);
      }
    });
  });
})();
