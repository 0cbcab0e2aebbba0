// A form is sent once: each POST form carries a token the server accepts once (core/once.py), and a
// second click while the first request is on its way does nothing. Forms driven by htmx stay on the
// page after they are sent, so they are left to their own handling.
(function () {
  function token() {
    const bytes = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs https; this does not
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function arm(form) {
    if (form.closest("[hx-post],[hx-boost],[data-hx-post]") || form.hasAttribute("hx-post")) return;
    let field = form.querySelector("input[name=_once]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "_once";
      form.appendChild(field);
    }
    field.value = token();
    delete form.dataset.sent;
  }
  function armAll() {
    document.querySelectorAll("form[method=post], form[method=POST]").forEach(arm);
  }
  document.addEventListener("DOMContentLoaded", armAll);
  // Back to a page kept in the browser's cache: a fresh token, so a deliberate second send is possible.
  window.addEventListener("pageshow", (event) => { if (event.persisted) armAll(); });
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.querySelector("input[name=_once]")) return;
    if (form.dataset.sent) event.preventDefault();
    else form.dataset.sent = "1";
  });
})();
