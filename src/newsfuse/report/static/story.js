// The story page's one behaviour: a citation mark highlights the cited words in the side-by-side view of
// its article (every cited boundary starts a segment, so the words are whole segments) and scrolls there.
"use strict";
document.addEventListener("click", (event) => {
  const mark = event.target.closest("a.cite[data-article]");
  if (!mark) return;
  const article = [...document.querySelectorAll("#compare .article")].find(
    (a) => a.dataset.article === mark.dataset.article);
  if (!article) return;  // the article's text is not on the page: follow the link to its source entry
  event.preventDefault();
  document.querySelectorAll("#compare .seg.hl").forEach((s) => s.classList.remove("hl"));
  const start = Number(mark.dataset.start), end = Number(mark.dataset.end);
  const hit = [...article.querySelectorAll(".seg")].filter(
    (s) => Number(s.dataset.s) >= start && Number(s.dataset.e) <= end);
  hit.forEach((s) => s.classList.add("hl"));
  document.querySelectorAll("#compare .article.current").forEach((a) => a.classList.remove("current"));
  article.classList.add("current");
  if (hit.length) hit[0].scrollIntoView({ block: "center" });
});
