import { defineConfig } from 'vite';

// No @vitejs/plugin-react: Vite 8 transforms TSX with oxc; the automatic runtime matches
// tsconfig's `jsx: react-jsx`. The gateway serves the build under /admin (hashed files under
// /admin/assets/ are cached for a year; index.html never).
const gateway = process.env['AXIS_GATEWAY_URL'] ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/admin/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', target: 'es2022', reportCompressedSize: false },
  server: { proxy: { '/api': gateway } },
});
