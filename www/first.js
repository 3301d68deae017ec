// Runs as soon as the three panels are parsed, long before the wasm arrives: shows the link's first picture
// (each panel's plot at step 0, drawn at build time by core's figure code: crates/xtask/src/pictures.rs)
// and the panels' titles, captions and statuses in the frames the static page reserves. The default
// link's pictures are in the page already (the `data-src` of each `img.first-picture`, a data: URL); a preset's are fetched
// from first/; a link the build has no picture for (one that changes the start, a setting or the loss)
// keeps the empty frames, with the titles only where the link says what they are. The wasm removes the
// pictures when it draws its first frame and writes the same texts.
(function () {
  var pictures = document.querySelectorAll('#panels .first-picture');
  var drop = function () {
    for (var i = 0; i < pictures.length; i++) pictures[i].remove();
  };
  var data = document.getElementById('first-pictures');
  var entries = null;
  try { entries = data && JSON.parse(data.textContent); } catch (e) { entries = null; }
  if (!entries) return drop();
  var query = new URLSearchParams(location.search);
  var keys = [];
  query.forEach(function (value, key) { keys.push(key); });
  var name = query.has('preset') ? query.get('preset').trim() : 'default';
  var entry = Object.prototype.hasOwnProperty.call(entries, name) ? entries[name] : null;
  // The sparse lab's presets have their texts but no pictures (their plots at step 0 are empty axes).
  var pictured = entry && entry.p !== 0;
  // Keys that change neither the picture nor the texts; and keys that change the texts (the titles follow
  // the optimizers, their rates and the loss unless the link names them).
  var plain = keys.every(function (key) { return /^(preset|embed|hide)$/.test(key); });
  var retitled = keys.some(function (key) { return /^(a|b|c|loss|scale|lab)$/.test(key); });
  if (!pictured || !plain) drop();
  // The loss menu and the formula, unless the link picks its own loss (the sparse lab shows neither).
  if (pictured && !keys.some(function (key) { return /^(loss|scale|lab)$/.test(key); })) {
    document.getElementById('loss').value = entry.l;
    document.getElementById('formula').textContent = entry.f;
  }
  var panels = document.querySelectorAll('#panels .panel');
  for (var i = 0; i < panels.length && i < 3; i++) {
    var panel = panels[i];
    var title = panel.querySelector('.title');
    var named = query.get('t' + 'abc'[i]);
    if (named !== null && named.trim()) title.textContent = named.trim().slice(0, 40);
    else title.textContent = entry && !retitled ? entry.t[i] : '';
    if (!entry || !plain) continue;
    panel.querySelector('.caption').textContent = entry.c[i];
    if (entry.s[i]) {
      var badge = panel.querySelector('.badge');
      badge.textContent = entry.s[i];
      badge.setAttribute('data-status', entry.k[i]);
    }
    var picture = panel.querySelector('.first-picture');
    if (!picture) continue;
    // A surface's picture is its window alone; the stylesheet puts it inside the plot's margins.
    if (entry.d === 2) picture.classList.add('surface');
    if (name === 'default' && picture.getAttribute('data-src')) {
      picture.src = picture.getAttribute('data-src');
    } else {
      picture.setAttribute('fetchpriority', 'high');
      // One file for the three pictures (one request); its views #a, #b, #c show one panel's each.
      picture.src = 'first/' + encodeURIComponent(name) + '.svg#' + 'abc'[i];
    }
  }
})();
