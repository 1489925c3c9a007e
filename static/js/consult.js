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
  // A saved reason picked in an answer form is copied into the reason field while that is empty (or
  // still holds the previous pick), to be edited there; without JavaScript the server uses it as is.
  const fillFromTemplates = (root) => {
    for (const select of root.querySelectorAll("select[data-fills]:not([data-bound])")) {
      select.dataset.bound = "";
      let filled = "";
      select.addEventListener("change", () => {
        const field = document.getElementById(select.dataset.fills);
        const text = select.selectedOptions[0]?.dataset.text ?? "";
        if (field && (field.value.trim() === "" || field.value === filled)) {
          field.value = text;
          filled = text;
        }
      });
    }
  };
  // A long questionnaire says how far along the respondent is (each question also says "3 of 12"
  // without JavaScript). Counted on change, not on every keystroke, so a screen reader is not flooded.
  const surveyProgress = () => {
    const line = document.querySelector("[data-progress]");
    const questions = line ? [...line.closest("form").querySelectorAll("[data-question]")] : [];
    if (questions.length < 5) return;
    const answered = (question) =>
      [...question.querySelectorAll("input, textarea")].some((field) =>
        field.type === "radio" || field.type === "checkbox" ? field.checked : field.value.trim() !== "",
      );
    const update = () => {
      const done = questions.filter(answered).length;
      line.textContent = line.dataset.template.replace("{n}", done).replace("{total}", questions.length);
    };
    line.hidden = false;
    update();
    line.closest("form").addEventListener("change", update);
  };
  document.addEventListener("DOMContentLoaded", () => {
    focusMarked();
    surveyProgress();
    printButtons(document);
    fillFromTemplates(document);
  });
  // New content swapped in by htmx (a row answered and re-rendered) brings its own selects.
  document.addEventListener("htmx:load", (event) => fillFromTemplates(event.detail.elt));
  document.addEventListener("htmx:afterSettle", focusMarked);
})();
