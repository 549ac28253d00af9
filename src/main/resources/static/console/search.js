// Search: pick a collection, drop or pick a query image (or click a hit for "more like this"); hits in rank
// order as thumbnails with distance, score and metadata; k and a metadata filter.
import { json, sendForm, sendJson, thumbnail } from './api.js';
import { h, notice, empty, tile, metadataText, dropZone } from './dom.js';

export async function searchView(collection) {
  const collections = await json('/api/v1/collections');
  const view = document.getElementById('view');
  if (!collections.length) {
    view.replaceChildren(h('h1', {}, 'Search'), empty('No collections yet: create one under Collections first.'));
    return;
  }
  const current = collection ?? collections[0].name;
  const picker = h('select', { onchange: () => { location.hash = `#/search/${encodeURIComponent(picker.value)}`; } },
    collections.map(c => h('option', { value: c.name, selected: c.name === current }, c.name)));
  const k = h('input', { type: 'number', min: 1, max: 1000, value: 12, style: 'width:80px' });
  const filter = h('input', { placeholder: '{"label":"shoe"}', style: 'width:240px' });
  const collapse = h('input', { type: 'checkbox', id: 'collapse' });
  const query = h('div', { class: 'query' });
  const hits = h('div', { class: 'grid', id: 'hits' });
  const status = h('p', { class: 'muted' });
  const info = collections.find(c => c.name === current);

  function filterObject() {
    if (!filter.value.trim()) return null;
    try { return JSON.parse(filter.value); } catch { throw new Error('The filter is not JSON: write an object such as {"label":"shoe"}.'); }
  }

  async function show(result) {
    hits.replaceChildren(...result.results.map((hit, rank) => tile(current, hit.id,
      `#${rank + 1} · distance ${hit.distance.toFixed(4)} · score ${hit.score.toFixed(3)}`
        + `${hit.copies?.length ? ` · ${hit.copies.length} copies hidden` : ''} · ${metadataText(hit.metadata)}`,
      () => byId(hit.id))));
    status.textContent = `${result.results.length} hits · model ${result.model ?? 'none'}`;
    if (!result.results.length) hits.replaceChildren(empty('No hits: the collection is empty or the filter matches nothing.'));
  }

  async function byImage(file) {
    notice(null);
    query.replaceChildren(h('img', { src: URL.createObjectURL(file), alt: 'query' }), h('div', { class: 'muted' }, file.name));
    status.textContent = 'Searching…';
    try {
      const form = new FormData();
      form.append('image', file);
      const conditions = filterObject();
      if (conditions) form.append('filter', JSON.stringify(conditions));
      await show(await sendForm('POST', `/api/v1/collections/${encodeURIComponent(current)}/search?k=${k.value}`
        + (collapse.checked ? '&collapseDuplicates=true' : ''), form));
    } catch (error) { status.textContent = ''; notice(error); }
  }

  async function byId(id) {
    notice(null);
    const img = h('img', { alt: id });
    query.replaceChildren(img, h('div', { class: 'muted' }, `more like ${id}`));
    thumbnail(current, id).then(url => { img.src = url; }).catch(() => {});
    status.textContent = 'Searching…';
    try {
      const body = { id, k: Number(k.value), collapseDuplicates: collapse.checked };
      const conditions = filterObject();
      if (conditions) body.filter = conditions;
      await show(await sendJson('POST', `/api/v1/collections/${encodeURIComponent(current)}/search`, body));
    } catch (error) { status.textContent = ''; notice(error); }
  }

  view.replaceChildren(h('h1', {}, 'Search'),
    h('div', { class: 'card' }, h('div', { class: 'row' }, h('label', {}, 'Collection', picker), h('label', {}, 'k', k),
      h('label', {}, 'Metadata filter (JSON)', filter), h('label', {}, collapse, ' Hide copies')),
      info.model ? dropZone('Drop a query image here, or pick one:', byImage)
        : h('p', { class: 'muted' }, 'This collection holds your own vectors: click an image id under Collections to search by it.')),
    h('div', { class: 'row' }, query, status), hits);
  const fromMap = sessionStorage.getItem('imagesim.searchId');
  if (fromMap) {
    sessionStorage.removeItem('imagesim.searchId');
    await byId(fromMap);
  }
}
