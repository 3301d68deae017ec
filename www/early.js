// Runs before the first paint: puts on the page the layout a link asks for (embed mode, hidden parts, the
// sparse-feature lab), so that nothing moves when the wasm, which decides, applies the same link a moment
// later. Same rules as the link's own parser (crates/core/src/link.rs): `embed=1`, `true` or empty; `hide=`
// a list of part names; `lab=sparse` or a sparse preset (crates/web/tests/static_page.rs checks the lists).
(function () {
  var query = new URLSearchParams(location.search);
  var classes = document.documentElement.classList;
  var embed = query.get('embed');
  if (embed !== null && /^\s*(1|true)?\s*$/.test(embed)) classes.add('embed');
  // The sparse-feature lab: asked for by `lab=sparse`, or by one of its presets.
  var preset = query.get('preset');
  if (query.get('lab') === 'sparse' || (!query.get('lab') && /^(sparse|rare-words|adagrad-memory)$/.test(preset || ''))) {
    classes.add('sparse-lab');
  }
  (query.get('hide') || '').split(',').forEach(function (name) {
    name = name.trim();
    if (/^(controls|readouts|charts|explanation|sweep)$/.test(name)) classes.add('hide-' + name);
  });
})();

// The wheel over a plot (the wasm hooks it up through this): not passive, because a wheel that zooms must
// stop the page scrolling, which only a cancelled event does; `zooms` (the app) says whether this one does.
window.steplabWheel = function (target, zooms) {
  target.addEventListener('wheel', function (event) {
    if (zooms(event)) event.preventDefault();
  }, { passive: false });
};
