// The console's router: #/view/argument → a view module that renders into <main id="view">.
import { notice } from './dom.js';
import { collectionsView, browseView } from './collections.js';
import { searchView } from './search.js';
import { compareView } from './compare.js';
import { trainingView, jobView } from './training.js';
import { modelsView } from './models.js';
import { mapView } from './map.js';
import { duplicatesView } from './duplicates.js';

const routes = {
  collections: arg => (arg ? browseView(arg) : collectionsView()),
  search: arg => searchView(arg),
  compare: () => compareView(),
  training: arg => (arg ? jobView(arg) : trainingView()),
  models: () => modelsView(),
  map: arg => mapView(arg),
  duplicates: arg => duplicatesView(arg),
};

let leave = null;

async function render() {
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const route = routes[name] ? name : 'collections';
  const arg = rest.length ? decodeURIComponent(rest.join('/')) : null;
  document.querySelectorAll('header nav a').forEach(a => a.classList.toggle('active', a.dataset.nav === route));
  if (leave) leave();
  leave = null;
  notice(null);
  const view = document.getElementById('view');
  view.replaceChildren();
  view.setAttribute('aria-busy', 'true');
  try {
    leave = await routes[route](arg, view) || null;
  } catch (error) {
    notice(error);
  } finally {
    view.setAttribute('aria-busy', 'false');
  }
}

window.addEventListener('hashchange', render);
render();
