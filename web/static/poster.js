// The poster's 打印 button (public_poster.html): shown only when scripts
// run, it opens the browser's print dialog; the print CSS keeps the poster
// on one A4 page.
(function () {
  "use strict";
  var b = document.getElementById("print-poster");
  if (!b) return;
  b.hidden = false;
  b.addEventListener("click", function () { window.print(); });
})();
