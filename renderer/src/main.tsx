import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { resolveTransport } from './api/transport';
import { App } from './App';
import './styles.css';

// Resolved once, outside React: the access token is read from the address and then removed.
const transport = resolveTransport();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App transport={transport} />
    </StrictMode>,
  );
}
