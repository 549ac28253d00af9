// Models: the registry with each model's evaluation and provenance; import a bundle zip, delete an unused model.
import { json, sendForm } from './api.js';
import { h, notice, empty } from './dom.js';

function figure(value) {
  return value === null || value === undefined ? '—' : value.toFixed(3);
}

function importForm() {
  const file = h('input', { type: 'file', id: 'bundle-file', accept: '.zip,application/zip', required: true });
  const status = h('span', { class: 'muted', id: 'bundle-status' });
  return h('form', { class: 'row', onsubmit: async e => {
    e.preventDefault();
    const form = new FormData();
    form.append('bundle', file.files[0]);
    status.textContent = 'checking the bundle…';
    try {
      const model = await sendForm('POST', '/api/v1/models', form);
      notice(null);
      await modelsView();
      document.getElementById('bundle-status').textContent = `imported ${model.id}`;
    } catch (error) {
      status.textContent = '';
      notice(error);
    }
  } }, h('label', {}, 'Import a bundle (zip of manifest.json and weights; scripts/export_trunk.py makes one)', file),
  h('button', { class: 'primary', type: 'submit', id: 'bundle-import' }, 'Import'), status);
}

function deleteButton(model) {
  return h('button', { class: 'danger', dataset: { delete: model.id }, onclick: async () => {
    if (!confirm(`Delete model ${model.id}?`)) return;
    try {
      await json(`/api/v1/models/${encodeURIComponent(model.id)}`, { method: 'DELETE' });
      notice(null);
      await modelsView();
    } catch (error) { notice(error); }
  } }, 'delete');
}

export async function modelsView() {
  const models = await json('/api/v1/models');
  const rows = models.map(m => {
    const e = m.evaluation ?? {};
    return h('tr', { dataset: { model: m.id } },
      h('td', {}, h('strong', {}, m.id), m.isDefault ? h('span', { class: 'muted' }, ' (default)') : null,
        h('div', { class: 'muted' }, m.description ?? '')),
      h('td', {}, `${m.architecture} ${m.inputSize}px ×${m.channels}, ${m.embeddingDim}-d ${m.distance}`),
      h('td', {}, figure(e.seenClasses?.recallAt1), ' / ', figure(e.seenClasses?.mapAtR)),
      h('td', {}, figure(e.heldOutClasses?.recallAt1), ' / ', figure(e.heldOutClasses?.mapAtR)),
      h('td', {}, figure(m.verificationThreshold)),
      h('td', {}, m.provenance ?? (m.parent ? `from ${m.parent}` : '—')),
      h('td', {}, m.isDefault ? null : deleteButton(m)));
  });
  document.getElementById('view').replaceChildren(h('h1', {}, 'Models'), h('div', { class: 'card' }, importForm()),
    models.length
      ? h('div', { class: 'card' }, h('table', {}, h('tr', {}, ['model', 'network', 'seen R@1 / MAP@R',
        'unseen R@1 / MAP@R', 'threshold', 'provenance', ''].map(t => h('th', {}, t))), rows))
      : empty('No models: train one under Training, or import one above.'));
}
