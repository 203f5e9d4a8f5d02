import http from 'node:http';

/**
 * supertest starts the app's server for each request and, when the response is in, closes it
 * and waits for the close to finish. Node 20's global agent keeps connections alive, and a
 * server's close() drops only connections it already counts as idle: when the client read the
 * response before the server marked its side finished (a race that load makes likelier), the
 * close waited for Fastify's 72-second keep-alive timeout, and the test hit jest's 60-second
 * timeout — in a random, simple test each time. Measured: 400 sequential requests took 81 s
 * with one 73 s stall, and 3–5 s with this agent. Connections that end after each response
 * make every close immediate; nothing in the app under test depends on client keep-alive.
 */
http.globalAgent = new http.Agent({ keepAlive: false });
