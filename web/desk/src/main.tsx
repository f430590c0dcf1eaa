import { render } from 'preact';
import { App } from './app';
import { keepSessionFresh } from './provider-session';
import { route } from './router';
import { takeTokenFromFragment, token } from './session';
import { prefetchQueue } from './views/queue-page';
import './styles.css';

takeTokenFromFragment();
addEventListener('hashchange', takeTokenFromFragment); // a login that comes back to this very page
keepSessionFresh();
if (token.value && route.value.page === 'queue') prefetchQueue(route.value.parts[0] ?? 'pending');
render(<App />, document.getElementById('desk')!);
