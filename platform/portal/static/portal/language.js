// The header's language switcher: choosing a language submits its form at once. Without this file the form's own
// button submits it (Django's set_language view), so the switcher works without JavaScript too.
(function () {
  "use strict";
  document.querySelectorAll("form[data-language-switcher]").forEach(function (form) {
    var select = form.querySelector("select[name='language']");
    var button = form.querySelector("button[type='submit']");
    if (!select) { return; }
    if (button) { button.hidden = true; }
    select.addEventListener("change", function () {
      if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.submit(); }
    });
  });
})();
