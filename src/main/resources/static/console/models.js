// Models: the registry with each model's evaluation and provenance.
import { json } from './api.js';
import { h, empty } from './dom.js';

function figure(value) {
  return value === null || value === undefined ? '—' : value.toFixed(3);
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
      h('td', {}, m.provenance ?? (m.parent ? `from ${m.parent}` : '—')));
  });
  document.getElementById('view').replaceChildren(h('h1', {}, 'Models'), models.length
    ? h('div', { class: 'card' }, h('table', {}, h('tr', {}, ['model', 'network', 'seen R@1 / MAP@R', 'unseen R@1 / MAP@R',
      'threshold', 'provenance'].map(t => h('th', {}, t))), rows))
    : empty('No models: train one under Training.'));
}
