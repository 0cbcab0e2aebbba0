// On a phone the menu folds behind one button; on a desk it is always open (see laoxiao.css).
// Buttons marked data-print print the page (no inline handlers: the CSP allows no inline script).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
  const toggle = document.querySelector(".menu-toggle");
  if (!toggle) return;
  toggle.addEventListener("click", () => {
    const open = toggle.closest(".top").classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
});
