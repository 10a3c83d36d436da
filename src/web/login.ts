/** The token form: shown when the API answers 401; the token is kept in the browser and the page reloads. */
import { setToken } from './api-client.js';
import { h } from './dom.js';

export function loginForm(): HTMLElement {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'current-password', required: true });
  return h(
    'form',
    {
      class: 'login',
      onsubmit: (e: Event) => {
        e.preventDefault();
        setToken(input.value.trim());
        location.reload();
      },
    },
    h('h1', {}, 'faultline'),
    h('p', {}, 'This faultline needs its API token (FAULTLINE_API_TOKEN). It is kept in this browser only.'),
    h('label', { for: 'token' }, 'API token'),
    input,
    h('button', { type: 'submit' }, 'Sign in'),
  );
}
