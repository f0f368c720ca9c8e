// Swagger UI for /api/docs/, started from this file rather than an inline script (the CSP allows none). The page
// carries the schema URL and the CSRF header and token in data-* attributes of #swagger-ui.
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  const { schemaUrl, csrfHeader, csrfToken } = root.dataset;
  // "Try it out" sends the session cookie; unsafe methods also need the CSRF token (Django's CsrfViewMiddleware).
  const requestInterceptor = (request) => {
    if (!["GET", "HEAD", "OPTIONS", undefined].includes(request.method) && csrfHeader && csrfToken) {
      request.headers[csrfHeader] = csrfToken;
    }
    return request;
  };
  window.ui = window.SwaggerUIBundle({
    url: schemaUrl,
    dom_id: "#swagger-ui",
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIStandalonePreset],
    layout: "BaseLayout",
    deepLinking: true,
    requestInterceptor,
  });
})();
