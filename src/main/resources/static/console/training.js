// Training: a job form with presets, the job list, and one job live: progress and ETA, the loss curve and
// Recall@1 / MAP@R per epoch from its server-sent events; cancel, resume, and on success activate the model
// on a collection (re-index progress shown).
import { json, sendJson, events } from './api.js';
import { h, notice, empty } from './dom.js';

const PRESETS = {
  'Triplet (metric learning, default)': { objective: { type: 'triplet' } },
  'Contrastive': { objective: { type: 'contrastive' } },
  'Center loss + softmax': { objective: { type: 'center' } },
  'Softmax baseline': { objective: { type: 'softmax' } },
  'Denoising autoencoder (no labels)': { objective: { type: 'denoising-autoencoder' } },
  'Self-supervised: copies (no labels; for duplicates)': { objective: { type: 'self-supervised' },
    batch: { p: 16, k: 16 } },
};
const BASE = {
  dataset: { type: 'idx', path: 'fashion-mnist', heldOutClasses: ['6', '7', '8', '9'] },
  trunk: { architecture: 'cnn', inputSize: 32, channels: 1 },
  embeddingDim: 64, epochs: 3, batch: { p: 6, k: 16 },
};

export async function trainingView() {
  const jobs = await json('/api/v1/training-jobs');
  const preset = h('select', {}, Object.keys(PRESETS).map(name => h('option', { value: name }, name)));
  const request = h('textarea', { spellcheck: false });
  const fill = () => { request.value = JSON.stringify({ ...BASE, ...PRESETS[preset.value] }, null, 2); };
  preset.addEventListener('change', fill);
  fill();
  const start = h('button', { class: 'primary', onclick: async () => {
    notice(null);
    let body;
    try { body = JSON.parse(request.value); } catch { notice(new Error('The request is not valid JSON.')); return; }
    try {
      const job = await sendJson('POST', '/api/v1/training-jobs', body);
      location.hash = `#/training/${encodeURIComponent(job.id)}`;
    } catch (error) { notice(error); }
  } }, 'Start training');
  const rows = jobs.map(j => h('tr', { dataset: { job: j.id } },
    h('td', {}, h('a', { href: `#/training/${encodeURIComponent(j.id)}` }, j.id)), h('td', {}, j.state),
    h('td', {}, `${j.percent.toFixed(0)}%`), h('td', {}, j.request?.objective?.type ?? ''), h('td', {}, j.modelId ?? '')));
  document.getElementById('view').replaceChildren(h('h1', {}, 'Training'),
    h('div', { class: 'card' }, h('div', { class: 'row' }, h('label', {}, 'Preset', preset)),
      h('p', { class: 'muted' }, 'The dataset path is under the server\'s training dataset root (imagesim.training.dataset-root). Every field is described in the API documentation.'),
      request, h('div', { class: 'row' }, start)),
    jobs.length ? h('div', { class: 'card' }, h('table', {}, h('tr', {}, ['job', 'state', 'done', 'objective', 'model']
      .map(t => h('th', {}, t))), rows)) : empty('No training jobs yet: start one above.'));
}

function lineChart(canvas, label, series) {
  return new window.Chart(canvas, {
    type: 'line',
    data: { labels: [], datasets: series.map(name => ({ label: name, data: [], tension: 0.2, pointRadius: 3 })) },
    options: { animation: false, maintainAspectRatio: false, plugins: { title: { display: true, text: label } },
      scales: { x: { title: { display: true, text: 'epoch' } } } },
  });
}

export async function jobView(id) {
  const path = `/api/v1/training-jobs/${encodeURIComponent(id)}`;
  const title = h('h1', {}, `Training job ${id}`);
  const state = h('p', { id: 'job-state' });
  const bar = h('div', { style: 'width:0%' });
  const lossCanvas = h('canvas', { id: 'loss-chart' });
  const metricCanvas = h('canvas', { id: 'metric-chart' });
  const actions = h('div', { class: 'row' });
  const outcome = h('div');
  document.getElementById('view').replaceChildren(title, h('div', { class: 'card' }, state, h('div', { class: 'bar' }, bar), actions),
    h('div', { class: 'charts' }, h('div', { class: 'card chart-box' }, lossCanvas), h('div', { class: 'card chart-box' }, metricCanvas)),
    outcome);
  const loss = lineChart(lossCanvas, 'Loss per epoch', ['loss']);
  const metrics = lineChart(metricCanvas, 'Retrieval per epoch', ['seen R@1', 'seen MAP@R', 'unseen R@1', 'unseen MAP@R']);

  function update(job) {
    bar.style.width = `${job.percent}%`;
    const eta = job.etaSeconds === null || job.etaSeconds === undefined ? '' : ` · about ${Math.ceil(job.etaSeconds)} s left`;
    state.textContent = `${job.state} · epoch ${job.epoch} of ${job.epochs} · ${job.percent.toFixed(1)}%`
      + (job.loss === null || job.loss === undefined ? '' : ` · loss ${job.loss.toFixed(4)}`) + eta
      + (job.error ? ` · ${job.error}` : '');
    state.dataset.state = job.state;
    const reports = job.evaluation ?? [];
    loss.data.labels = reports.map(r => r.epoch);
    loss.data.datasets[0].data = reports.map(r => r.loss);
    metrics.data.labels = reports.map(r => r.epoch);
    const pick = (group, key) => reports.map(r => r[group]?.[key] ?? null);
    metrics.data.datasets[0].data = pick('seenClasses', 'recallAt1');
    metrics.data.datasets[1].data = pick('seenClasses', 'mapAtR');
    metrics.data.datasets[2].data = pick('heldOutClasses', 'recallAt1');
    metrics.data.datasets[3].data = pick('heldOutClasses', 'mapAtR');
    loss.update();
    metrics.update();
    lossCanvas.dataset.points = String(reports.length);
    actions.replaceChildren(...[
      ['queued', 'running'].includes(job.state) ? h('button', { class: 'danger', onclick: () => act('DELETE', path) }, 'Cancel') : null,
      ['interrupted', 'cancelled', 'failed'].includes(job.state) ? h('button', { onclick: () => act('POST', `${path}/resume`) }, 'Resume') : null,
    ].filter(Boolean));
    if (job.state === 'succeeded' && job.modelId) showOutcome(job);
  }

  async function act(method, url) {
    try { update(await json(url, { method })); follow(); } catch (error) { notice(error); }
  }

  async function showOutcome(job) {
    if (outcome.dataset.model === job.modelId) return;
    outcome.dataset.model = job.modelId;
    const collections = await json('/api/v1/collections');
    const target = h('select', {}, collections.filter(c => c.model).map(c => h('option', { value: c.name }, c.name)));
    const progress = h('span', { class: 'muted' });
    const activate = h('button', { class: 'primary', onclick: async () => {
      try {
        let status = await sendJson('POST', `/api/v1/collections/${encodeURIComponent(target.value)}/reindex`, { model: job.modelId });
        while (status.state === 'running' || status.state === 'queued') {
          progress.textContent = `re-indexing: ${status.embedded} of ${status.total} images`;
          await new Promise(r => setTimeout(r, 500));
          status = await json(`/api/v1/collections/${encodeURIComponent(target.value)}/reindex`);
        }
        progress.textContent = `re-index ${status.state}`;
      } catch (error) { notice(error); }
    } }, 'Activate on collection');
    const selected = (job.evaluation ?? []).find(r => r.epoch === job.selectedEpoch);
    outcome.replaceChildren(h('div', { class: 'card' }, h('h2', {}, `Model ${job.modelId}`),
      h('p', {}, `selected epoch ${job.selectedEpoch ?? '—'}`
        + (selected?.heldOutClasses ? ` · unseen classes R@1 ${selected.heldOutClasses.recallAt1.toFixed(3)}, MAP@R ${selected.heldOutClasses.mapAtR.toFixed(3)}` : '')),
      collections.some(c => c.model) ? h('div', { class: 'row' }, h('label', {}, 'Collection', target), activate, progress)
        : h('p', { class: 'muted' }, 'Create a collection to activate this model on.')));
  }

  let controller = null;
  function follow() {
    if (controller) controller.abort();
    controller = new AbortController();
    events(`${path}/events`, update, controller.signal).catch(error => { if (error.name !== 'AbortError') notice(error); });
  }
  update(await json(path));
  follow();
  return () => controller?.abort();
}
