import { createApiClient } from '@lm/api-client';

/**
 * The SPA's one API client. Same origin (`baseUrl: ''`): in production the API serves the
 * SPA, in development Vite proxies `/api`. The identity feature will pass `getAccessToken`
 * and `onUnauthorized` here.
 */
export const api = createApiClient({ baseUrl: '' });
