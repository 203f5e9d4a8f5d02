/**
 * Jest-only stand-in for `content-disposition@3`, which is ESM-only: jest cannot require()
 * ESM before Node 24.9, and @fastify/static (used by Swagger UI and the SPA) requires it at
 * load time. Tests never serve downloads; this implements the one function @fastify/static
 * calls (`create`) per RFC 6266 so behaviour stays faithful if they ever do. The running app
 * uses the real package.
 */
'use strict';

function create(filename, options) {
  const type = (options && options.type) || 'attachment';
  if (filename === undefined) return type;
  const ascii = String(filename).replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(String(filename)).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return ascii === String(filename)
    ? `${type}; filename="${ascii}"`
    : `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

module.exports = { create };
