import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { installScrollMemory } from './lib/scroll-memory';
import { installTokenLinks } from './lib/token-store';
import { installValueCopy } from './lib/value-copy';
import './styles.css';

installTokenLinks(); // first: see its comment
installScrollMemory(); // before React renders: see its comment
installValueCopy();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
