/* toynn's page helpers, on the pages that have code, tables, formulas or an animation (added
 * to those pages by toynn/site/theme/main.html):
 *
 * - What scrolls sideways (a wide table, code, a notebook's code, a long formula) can be reached
 *   with the keyboard while it overflows, as the theme does for code blocks, except on a touch
 *   screen (a tablet may have a keyboard too).
 * - The bar of buttons the theme puts on each code block is a <nav>: each gets a name of
 *   its own, so that a screen reader's list of landmarks can tell them apart.
 * - An animation (toynn.site.outputs.Outputs.animation) starts from its still frame; it
 *   moves unless the reader asks for reduced motion, and a button plays and pauses it.
 */
(function () {
  "use strict";
  // Instant navigation runs this file again on each page that has it; one subscription
  // already handles every page.
  if (window.toynnPage) return;
  window.toynnPage = true;

  const SCROLLERS = [
    ".md-typeset__scrollwrap", // the theme's wrapper around a table
    ".md-typeset pre > code", // code: the theme does it too, but not on a touch screen
    ".jp-Notebook .highlight-ipynb", // a notebook's code
    ".jp-Notebook .jp-OutputArea-output pre", // and its printed output
    ".toynn-math", // a long formula on a phone
  ].join(", ");

  const sizes = new ResizeObserver((entries) => {
    for (const { target } of entries) {
      if (target.scrollWidth > target.clientWidth) target.setAttribute("tabindex", "0");
      else target.removeAttribute("tabindex");
    }
  });

  function nameCodeBars() {
    document.querySelectorAll(".md-typeset nav.md-code__nav").forEach((nav, i) => {
      nav.setAttribute("aria-label", `Code block ${i + 1}`);
    });
  }

  function mountAnimation(figure) {
    const image = figure.querySelector("img[data-animated]");
    const button = figure.querySelector(".toynn-animation__toggle");
    if (!image || !button) return;
    const still = image.src;
    const animated = new URL(image.dataset.animated, still).href; // beside the still frame
    const reduced = window.matchMedia("(prefers-reduced-motion: reduce)");
    let moving = !reduced.matches;
    const show = () => {
      image.src = moving ? animated : still;
      button.textContent = moving ? "Pause the animation" : "Play the animation";
    };
    button.addEventListener("click", () => {
      moving = !moving;
      show();
    });
    reduced.addEventListener("change", () => {
      moving = !reduced.matches;
      show();
    });
    show();
    button.hidden = false;
  }

  function mount() {
    sizes.disconnect(); // the elements of the page before this one, if any
    document.querySelectorAll(SCROLLERS).forEach((element) => sizes.observe(element));
    nameCodeBars();
    document.querySelectorAll(".toynn-animation:not([data-mounted])").forEach((figure) => {
      figure.dataset.mounted = "";
      mountAnimation(figure);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    // The theme's signal for a new page (instant navigation included); it fires after the
    // theme has added its code buttons and table wrappers.
    window.document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
