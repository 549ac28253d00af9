// Map: a 2-D PCA projection of a collection's embeddings, points coloured by a metadata key; hovering shows
// the image's thumbnail, clicking searches for its neighbours.
import { json, thumbnail } from './api.js';
import { h, empty } from './dom.js';

const PALETTE = ['#2f6fed', '#e4572e', '#17bebb', '#ffc914', '#76b041', '#9b5de5', '#f15bb5', '#00a6a6', '#8d6a9f', '#6b4226'];

export async function mapView(collection) {
  const collections = await json('/api/v1/collections');
  const view = document.getElementById('view');
  if (!collections.length) {
    view.replaceChildren(h('h1', {}, 'Map'), empty('No collections yet: create one under Collections first.'));
    return null;
  }
  const current = collection ?? collections[0].name;
  const picker = h('select', { onchange: () => { location.hash = `#/map/${encodeURIComponent(picker.value)}`; } },
    collections.map(c => h('option', { value: c.name, selected: c.name === current }, c.name)));
  const labelKey = h('input', { placeholder: 'metadata key, e.g. label', value: sessionStorage.getItem('imagesim.mapKey') ?? 'label' });
  const canvas = h('canvas', { id: 'map-chart' });
  const preview = h('img', { alt: '', style: 'position:absolute;right:12px;top:12px;width:96px;display:none' });
  const caption = h('p', { class: 'muted' });
  const box = h('div', { class: 'card map-box' }, canvas, preview);
  view.replaceChildren(h('h1', {}, 'Embedding map'),
    h('div', { class: 'card row' }, h('label', {}, 'Collection', picker), h('label', {}, 'Colour by', labelKey),
      h('button', { onclick: draw }, 'Draw')), caption, box);
  let chart = null;

  async function draw() {
    sessionStorage.setItem('imagesim.mapKey', labelKey.value.trim());
    const key = labelKey.value.trim();
    const map = await json(`/api/v1/collections/${encodeURIComponent(current)}/projection?limit=5000`
      + (key ? `&labelKey=${encodeURIComponent(key)}` : ''));
    const groups = new Map();
    for (const p of map.points) {
      const label = p.label ?? '(none)';
      if (!groups.has(label)) groups.set(label, []);
      groups.get(label).push({ x: p.x, y: p.y, id: p.id });
    }
    caption.textContent = `${map.points.length} of ${map.total} images · PCA: x explains ${(100 * map.explained[0]).toFixed(1)}%, `
      + `y ${(100 * map.explained[1]).toFixed(1)}% of the variance`;
    canvas.dataset.points = String(map.points.length);
    if (chart) chart.destroy();
    if (!map.points.length) { box.replaceWith(empty('This collection holds no images yet.')); return; }
    const hasImages = collections.find(c => c.name === current)?.model;
    chart = new window.Chart(canvas, {
      type: 'scatter',
      data: { datasets: [...groups.entries()].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true })).map(([label, data], i) => ({ label, data, pointRadius: 3,
        backgroundColor: PALETTE[i % PALETTE.length] })) },
      options: { animation: false, maintainAspectRatio: false,
        plugins: { tooltip: { callbacks: { label: c => c.raw.id } } },
        onHover: async (event, elements) => {
          if (!elements.length || !hasImages) { preview.style.display = 'none'; return; }
          const point = chart.data.datasets[elements[0].datasetIndex].data[elements[0].index];
          preview.src = await thumbnail(current, point.id, 96);
          preview.style.display = 'block';
        },
        onClick: (event, elements) => {
          if (!elements.length) return;
          const point = chart.data.datasets[elements[0].datasetIndex].data[elements[0].index];
          sessionStorage.setItem('imagesim.searchId', point.id);
          location.hash = `#/search/${encodeURIComponent(current)}`;
        } },
    });
  }
  await draw();
  return () => chart?.destroy();
}
