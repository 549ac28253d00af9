// Duplicates: scan a collection for groups of copies (embedding, hash or exact), follow the scan's progress,
// and page through the groups, largest first, each as thumbnails with the representative first.
import { json, sendJson } from './api.js';
import { h, notice, empty, tile } from './dom.js';

export async function duplicatesView(collection) {
  const collections = await json('/api/v1/collections');
  const view = document.getElementById('view');
  if (!collections.length) {
    view.replaceChildren(h('h1', {}, 'Duplicates'), empty('No collections yet: create one under Collections first.'));
    return null;
  }
  const current = collection ?? collections[0].name;
  const path = `/api/v1/collections/${encodeURIComponent(current)}/duplicates`;
  const picker = h('select', { onchange: () => { location.hash = `#/duplicates/${encodeURIComponent(picker.value)}`; } },
    collections.map(c => h('option', { value: c.name, selected: c.name === current }, c.name)));
  const method = h('select', { id: 'scan-method' }, ['embedding', 'hash', 'exact'].map(m => h('option', { value: m }, m)));
  const threshold = h('input', { id: 'scan-threshold', type: 'number', min: 0, step: 'any', style: 'width:110px',
    placeholder: 'default' });
  const start = h('button', { class: 'primary', id: 'scan-start', onclick: () => begin() }, 'Scan');
  const cancel = h('button', { id: 'scan-cancel', hidden: true, onclick: () => stop() }, 'Cancel');
  const status = h('p', { class: 'muted', id: 'scan-status' });
  const groups = h('div', { id: 'groups' });
  const more = h('button', { id: 'groups-more', hidden: true }, 'More groups');
  let timer = null;
  let next = null;

  function describe(scan) {
    const parts = [`${scan.method} scan: ${scan.state}`];
    if (scan.state === 'running' || scan.state === 'queued') {
      parts.push(`${scan.percent.toFixed(0)}%`);
      if (scan.etaSeconds !== null) parts.push(`about ${scan.etaSeconds} s left`);
    }
    if (scan.threshold !== null) parts.push(`threshold ${Number(scan.threshold.toPrecision(4))}`);
    if (scan.calibration) parts.push(`calibrated on copies of ${scan.calibration.originals} images `
      + `(estimated F1 ${scan.calibration.f1.toFixed(2)})`);
    if (scan.groupCount !== null) parts.push(`${scan.images} images, ${scan.groupCount} groups, `
      + `${scan.duplicateCount} copies`);
    if (scan.error) parts.push(scan.error);
    return parts.join(' · ');
  }

  function group(members) {
    return h('div', { class: 'card group' }, h('div', { class: 'grid' }, members.map((member, i) => tile(current,
      member.id, i === 0 ? 'representative' : `distance ${Number(member.distance.toPrecision(3))}`))));
  }

  async function page(cursor) {
    const answer = await json(`${path}?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    status.textContent = describe(answer);
    const active = answer.state === 'queued' || answer.state === 'running';
    cancel.hidden = !active;
    start.disabled = active;
    if (!cursor) {
      groups.replaceChildren(...answer.groups.map(g => group(g.members)));
      if (answer.state === 'succeeded' && !answer.groups.length) groups.replaceChildren(empty('No copies found.'));
    } else {
      groups.append(...answer.groups.map(g => group(g.members)));
    }
    next = answer.next;
    more.hidden = !next;
    return active;
  }

  async function follow() {
    clearTimeout(timer);
    try {
      if (await page(null)) timer = setTimeout(follow, 1000);
    } catch (error) {
      if (error.code === 'scan-not-found') status.textContent = 'Not scanned yet.';
      else notice(error);
    }
  }

  async function begin() {
    notice(null);
    const body = { method: method.value };
    if (threshold.value !== '') body.threshold = Number(threshold.value);
    try {
      await sendJson('POST', path, body);
      await follow();
    } catch (error) { notice(error); }
  }

  async function stop() {
    try {
      await json(path, { method: 'DELETE' });
      await follow();
    } catch (error) { notice(error); }
  }

  more.addEventListener('click', () => page(next).catch(notice));
  view.replaceChildren(h('h1', {}, 'Duplicates'),
    h('div', { class: 'card' }, h('div', { class: 'row' }, h('label', {}, 'Collection', picker),
      h('label', {}, 'Method', method), h('label', {}, 'Threshold', threshold), start, cancel),
    h('p', { class: 'muted' }, 'embedding: distance in the collection\'s metric, by default calibrated on copies of '
      + 'its own images; hash: Hamming bits of a perceptual hash (default 2); exact: identical bytes.')),
    status, groups, more);
  await follow();
  return () => clearTimeout(timer);
}
