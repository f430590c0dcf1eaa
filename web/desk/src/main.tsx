import { render } from 'preact';
import { App } from './app';
import { takeTokenFromFragment } from './session';
import './styles.css';

takeTokenFromFragment();
addEventListener('hashchange', takeTokenFromFragment); // a login that comes back to this very page
render(<App />, document.getElementById('desk')!);
