// Runs as soon as the three panels are parsed, long before the wasm arrives: puts the link's first picture
// (each panel's plot at step 0, drawn at build time by core's figure code: crates/xtask/src/pictures.rs)
// and the panels' titles, captions and statuses into the frames the static page reserves. The wasm hides
// the pictures when it draws its first frame and writes the same texts. A link the build has no picture
// for (one that changes the start, a setting or the loss) keeps the empty frames, with the titles only
// where the link says what they are.
(function () {
  var data = document.getElementById('first-pictures');
  var root = document.documentElement;
  if (!data || root.classList.contains('sparse-lab')) return;
  var entries;
  try { entries = JSON.parse(data.textContent); } catch (e) { return; }
  var query = new URLSearchParams(location.search);
  var keys = [];
  query.forEach(function (value, key) { keys.push(key); });
  var name = query.has('preset') ? query.get('preset').trim() : 'default';
  var entry = Object.prototype.hasOwnProperty.call(entries, name) ? entries[name] : null;
  // Keys that change neither the picture nor the texts; and keys that change the texts (the titles follow
  // the optimizers, their rates and the loss unless the link names them).
  var plain = keys.every(function (key) { return /^(preset|embed|hide)$/.test(key); });
  var retitled = keys.some(function (key) { return /^(a|b|c|loss|scale|lab)$/.test(key); });
  // The loss menu and the formula, unless the link picks its own loss.
  if (entry && !keys.some(function (key) { return /^(loss|scale|lab)$/.test(key); })) {
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
    var badge = panel.querySelector('.badge');
    badge.textContent = entry.s[i];
    badge.setAttribute('data-status', entry.k[i]);
    var picture = document.createElement('img');
    picture.className = 'first-picture';
    picture.alt = '';
    picture.setAttribute('elementtiming', 'first-picture');
    picture.src = 'first/' + encodeURIComponent(name) + '-' + 'abc'[i] + '.svg';
    panel.querySelector('.plot').appendChild(picture);
  }
})();
