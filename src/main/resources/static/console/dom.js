// A few DOM helpers: elements from a tag, attributes and children; notices; image tiles.
import { thumbnail } from './api.js';

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return element;
}

/** Shows an error in words (a problem's detail), or hides the notice with null. */
export function notice(error) {
  const box = document.getElementById('notice');
  box.hidden = !error;
  box.textContent = error ? (error.code ? `${error.message} (${error.code})` : error.message) : '';
}

export function empty(text) {
  return h('div', { class: 'empty' }, text);
}

/** An image tile: thumbnail (fetched with the key), id and a line of detail; data-id carries the image id. */
export function tile(collection, id, detail, onclick) {
  const img = h('img', { alt: id });
  thumbnail(collection, id).then(url => { img.src = url; }).catch(() => { img.alt = `${id} (no thumbnail)`; });
  return h('div', { class: 'tile', dataset: { id }, title: detail, onclick }, img,
    h('div', { class: 'id' }, id), h('div', { class: 'meta' }, detail));
}

export function metadataText(metadata) {
  return metadata && Object.keys(metadata).length ? JSON.stringify(metadata) : 'no metadata';
}

/** A drop zone with a file input: calls onFile(file) for a dropped or picked image. */
export function dropZone(text, onFile) {
  const input = h('input', { type: 'file', accept: 'image/*', onchange: () => input.files[0] && onFile(input.files[0]) });
  const zone = h('div', { class: 'drop' }, text, ' ', input);
  zone.addEventListener('dragover', e => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', e => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer.files[0]) onFile(e.dataTransfer.files[0]);
  });
  return zone;
}
