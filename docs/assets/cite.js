// Copy buttons of the "引用本文" block: copy the citation next to the button.
// No dependency, no network; works from file:// too (falls back to a selection copy).
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("button.sa-copy") : null;
  if (!button) return;
  // the citation is the code block of the same item (Material rewrites <pre> ids, so no id lookup)
  var item = button.closest(".sa-cite-item");
  var target = item ? item.querySelector("pre code") : null;
  if (!target) return;
  var text = target.textContent;
  function done(ok) {
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = ok ? "已复制" : "请手动复制";
    setTimeout(function () { button.textContent = label; }, 2000);
  }
  function fallback() {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    done(ok);
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
  } else {
    fallback();
  }
});
