// Collections: the list (create, delete), and one collection's images as a grid of thumbnails, a page at a time.
import { json, sendJson } from './api.js';
import { h, notice, empty, tile, metadataText } from './dom.js';

function view() {
  return document.getElementById('view');
}

export async function collectionsView() {
  const [collections, models] = await Promise.all([json('/api/v1/collections'), json('/api/v1/models')]);
  const name = h('input', { placeholder: 'name', required: true, pattern: '[A-Za-z0-9_-]+' });
  const model = h('select', {}, h('option', { value: '' }, 'default model'),
    models.map(m => h('option', { value: m.id }, m.id)), h('option', { value: '#vectors' }, 'own vectors (no model)'));
  const dimension = h('input', { type: 'number', min: 1, placeholder: 'dimension', hidden: true });
  model.addEventListener('change', () => { dimension.hidden = model.value !== '#vectors'; });
  const create = h('form', { class: 'row', onsubmit: async e => {
    e.preventDefault();
    const body = { name: name.value.trim() };
    if (model.value === '#vectors') body.dimension = Number(dimension.value);
    else if (model.value) body.model = model.value;
    try {
      await sendJson('POST', '/api/v1/collections', body);
      collectionsView();
    } catch (error) { notice(error); }
  } }, h('label', {}, 'New collection', name), h('label', {}, 'Model', model), dimension,
  h('button', { class: 'primary', type: 'submit' }, 'Create'));
  const rows = collections.map(c => h('tr', { dataset: { collection: c.name } },
    h('td', {}, h('a', { href: `#/collections/${encodeURIComponent(c.name)}` }, c.name)),
    h('td', {}, c.model ?? h('span', { class: 'muted' }, 'own vectors')), h('td', {}, c.size), h('td', {}, c.distance),
    h('td', {}, c.dimension), h('td', {},
      h('a', { href: `#/search/${encodeURIComponent(c.name)}` }, 'search'), ' · ',
      h('a', { href: `#/map/${encodeURIComponent(c.name)}` }, 'map'), ' · ',
      h('button', { class: 'danger', onclick: async () => {
        if (!confirm(`Delete collection ${c.name} and all its images?`)) return;
        try { await json(`/api/v1/collections/${encodeURIComponent(c.name)}`, { method: 'DELETE' }); collectionsView(); }
        catch (error) { notice(error); }
      } }, 'delete'))));
  view().replaceChildren(h('h1', {}, 'Collections'), h('div', { class: 'card' }, create),
    collections.length
      ? h('div', { class: 'card' }, h('table', {}, h('tr', {}, ['name', 'model', 'images', 'distance', 'dimension', '']
        .map(t => h('th', {}, t))), rows))
      : empty('No collections yet: create one above, then add images with PUT /api/v1/collections/{name}/images/{id} (see API).'));
}

export async function browseView(collection) {
  const info = await json(`/api/v1/collections/${encodeURIComponent(collection)}`);
  const grid = h('div', { class: 'grid' });
  const more = h('button', { hidden: true }, 'Load more');
  const detail = h('pre', { class: 'muted' });
  let cursor = null;
  async function page() {
    more.disabled = true;
    try {
      const result = await json(`/api/v1/collections/${encodeURIComponent(collection)}/images?limit=60`
        + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''));
      for (const image of result.items) {
        grid.append(image.contentType
          ? tile(collection, image.id, metadataText(image.metadata), () => { detail.textContent = JSON.stringify(image, null, 2); })
          : h('div', { class: 'tile', dataset: { id: image.id } }, h('div', { class: 'id' }, image.id),
            h('div', { class: 'meta' }, metadataText(image.metadata))));
      }
      cursor = result.next;
      more.hidden = !cursor;
      if (!grid.children.length) grid.replaceWith(empty('This collection holds no images yet.'));
    } catch (error) { notice(error); } finally { more.disabled = false; }
  }
  view().replaceChildren(h('h1', {}, collection),
    h('p', { class: 'muted' }, `${info.size} images · model ${info.model ?? 'none (own vectors)'} · ${info.distance} · `,
      h('a', { href: `#/search/${encodeURIComponent(collection)}` }, 'search'), ' · ',
      h('a', { href: `#/map/${encodeURIComponent(collection)}` }, 'map')),
    grid, more, detail);
  await page();
  more.addEventListener('click', page);
}
