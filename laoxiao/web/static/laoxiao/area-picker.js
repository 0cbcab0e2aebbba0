// Area picker: one drop-down per level (区县 → 街道 → 社区). Choosing an area loads the areas below it
// from the scoped endpoint and keeps the hidden input on the deepest choice ("all" means the level above).
(function () {
  "use strict";
  if (window.laoxiaoAreaPicker) return; // the widget brings this script with each picker on a page
  window.laoxiaoAreaPicker = true;

  function option(value, text) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    return o;
  }

  function onChange(event) {
    var select = event.target;
    var picker = select.closest && select.closest("[data-area-picker]");
    if (!picker || select.tagName !== "SELECT") return;
    var hidden = picker.querySelector("input[type=hidden]");
    while (select.nextElementSibling && select.nextElementSibling.tagName === "SELECT") {
      select.nextElementSibling.remove();
    }
    hidden.value = select.value;
    if (!select.value || select.value === select.dataset.parent) return;
    var code = select.value;
    fetch(picker.dataset.url + "?parent=" + encodeURIComponent(code), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { areas: [] }; })
      .then(function (data) {
        if (!data.areas.length || hidden.value !== code) return;
        var next = document.createElement("select");
        next.dataset.parent = code;
        next.setAttribute("aria-label", data.label);
        next.appendChild(option(code, picker.dataset.all + data.label));
        data.areas.forEach(function (area) { next.appendChild(option(area.code, area.name)); });
        picker.appendChild(next);
      });
  }

  // A choice made before this deferred script ran fired no handler: replay the topmost changed level,
  // or the hidden input would keep the old area and the form would send a choice the user did not make.
  function chosenEarly(select) {
    var chosen = select.querySelector("option[selected]") || select.options[0];
    return chosen && select.value !== chosen.value;
  }

  document.querySelectorAll("[data-area-picker]").forEach(function (picker) {
    var early = Array.prototype.filter.call(picker.querySelectorAll("select"), chosenEarly)[0];
    if (early) onChange({ target: early });
  });
  document.addEventListener("change", onChange);
})();
