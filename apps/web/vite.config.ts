import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In production the API serves dist/ from the same origin; in dev, Vite proxies the API's paths to it
// so cookies, socket.io and HLS URLs stay same-origin in both cases. The proxy keeps the browser's Host
// (localhost:5173): the API's Origin check (without PUBLIC_URL) accepts pages of the request's own host.
const api = process.env.API_ORIGIN ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Maps are written for debugging but not referenced from the bundles, and the API does not serve them
    // outside development (docs/SECURITY.md).
    sourcemap: 'hidden',
    // The player chunk (hls.js ~580 kB + Vidstack's UI) is ~830 kB minified, already split off and lazy.
    chunkSizeWarningLimit: 900,
  },
  server: {
    port: 5173,
    proxy: {
      // ws: going live from the browser uses a WebSocket under /api (BROWSER_PUBLISH_PATH).
      '/api': { target: api, ws: true, changeOrigin: false },
      '/socket.io': { target: api, ws: true, changeOrigin: false },
      '/media': { target: api, changeOrigin: false },
    },
  },
});
