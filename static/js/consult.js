// What JavaScript adds where it runs; every page works without it.
(() => {
  // After a refused submission the error summary takes focus, so a screen reader reads it and a
  // keyboard user starts from it (the GOV.UK pattern); a fresh receipt does the same. Each element
  // marked data-autofocus takes it once: content swapped in later brings its own mark.
  const focusMarked = () => {
    const target = document.querySelector("[data-autofocus]");
    if (target) {
      target.removeAttribute("data-autofocus");
      target.focus();
    }
  };
  // Print buttons (receipts, posters): hidden without JavaScript, where the page says Ctrl+P.
  const printButtons = (root) => {
    for (const button of root.querySelectorAll("button[data-print]")) {
      button.hidden = false;
      button.addEventListener("click", () => window.print());
    }
  };
  document.addEventListener("DOMContentLoaded", () => {
    focusMarked();
    printButtons(document);
  });
  document.addEventListener("htmx:afterSettle", focusMarked);
})();
