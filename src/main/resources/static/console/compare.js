// Compare: two images side by side with distance, similarity, the model's threshold and the verdict.
import { json, sendForm } from './api.js';
import { h, notice, dropZone } from './dom.js';

export async function compareView() {
  const models = await json('/api/v1/models');
  const model = h('select', {}, models.map(m => h('option', { value: m.id, selected: m.isDefault }, m.id)));
  const files = { a: null, b: null };
  const previews = { a: h('div'), b: h('div') };
  const result = h('div', { class: 'card', hidden: true });
  function pick(side) {
    return dropZone(`Image ${side.toUpperCase()}:`, file => {
      files[side] = file;
      previews[side].replaceChildren(h('img', { src: URL.createObjectURL(file), alt: side }), h('div', { class: 'muted' }, file.name));
      compare();
    });
  }
  async function compare() {
    if (!files.a || !files.b) return;
    notice(null);
    try {
      const form = new FormData();
      form.append('a', files.a);
      form.append('b', files.b);
      const s = await sendForm('POST', `/api/v1/similarity?model=${encodeURIComponent(model.value)}`, form);
      const verdict = s.match === null || s.match === undefined ? null : s.match;
      result.hidden = false;
      result.replaceChildren(
        h('div', { class: `verdict ${verdict === null ? '' : verdict ? 'match' : 'no-match'}` },
          verdict === null ? 'No calibrated threshold for this model' : verdict ? 'Match' : 'No match'),
        h('p', {}, `distance ${s.distance.toFixed(4)} (${s.metric}) · similarity ${s.similarity.toFixed(4)} · threshold `
          + (s.threshold === null || s.threshold === undefined ? 'none' : s.threshold.toFixed(4)) + ` · model ${s.model}`));
    } catch (error) { notice(error); }
  }
  model.addEventListener('change', compare);
  document.getElementById('view').replaceChildren(h('h1', {}, 'Compare two images'),
    h('div', { class: 'card' }, h('label', {}, 'Model', model)),
    h('div', { class: 'pair' }, h('div', { class: 'card' }, pick('a'), previews.a), h('div', { class: 'card' }, pick('b'), previews.b)),
    result);
}
