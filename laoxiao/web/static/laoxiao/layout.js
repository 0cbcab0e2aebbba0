// On a phone the menu folds behind one button; on a desk it is always open (see laoxiao.css).
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  if (!toggle) return;
  toggle.addEventListener("click", () => {
    const open = toggle.closest(".top").classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
});
