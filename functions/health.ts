/** Anonymous `GET /api/health`, so Azure answers the health route the local host serves itself. */
import { app } from '@azure/functions';

app.http('health', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'health',
  handler: async () => ({ status: 200, jsonBody: { status: 'ok', time: new Date().toISOString() } }),
});
