import { defineConfig } from 'vite';

// Plain Vite: TSX is compiled by Oxc (no React plugin needed).
export default defineConfig({
  oxc: {
    jsx: { runtime: 'automatic' },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      // The Rust server (MAXLOYALTY_PORT=8080) during local development.
      '/graphql': { target: 'http://127.0.0.1:8080', changeOrigin: true, ws: true },
    },
  },
  preview: {
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:8080', changeOrigin: true, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
});
