// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Narrow screens: the main menu folds behind a button.
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("primary-nav");
  if (toggle && nav) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("is-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Forms that change state are sent once: a double click must not post twice.
  document.querySelectorAll("form[method='post']").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type='submit']").forEach(function (button) {
        // Disable after the browser has taken the submit, so the button's own name/value still goes with it.
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
  // A page restored from the back/forward cache must not keep its buttons disabled.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[method='post'] button[type='submit'][disabled]").forEach(function (button) {
      button.disabled = false;
    });
  });
})();
