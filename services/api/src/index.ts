import { createServer, type Server } from 'node:http';
import type { AppDeps, Mount } from '@quipu/http';
import type Koa from 'koa';
import { createApp } from './app.ts';

// The types the entry points wire with; they live in @quipu/http, shared with the web pages.
export type { AppDeps, Mount, RequestState } from '@quipu/http';
export { createApp } from './app.ts';
export { createLogger, REDACT_PATHS } from './logger.ts';
export { openapiDocument, registerOperation } from './openapi.ts';

export interface HttpServer {
  app: Koa;
  server: Server;
  /** The bound address, e.g. http://127.0.0.1:3000 */
  url: string;
  /** Stops accepting connections and waits for in-flight requests (SIGTERM path). */
  close(): Promise<void>;
}

export async function startHttpServer(
  deps: AppDeps,
  mounts: Mount[] = [],
  port = deps.config.http.port,
): Promise<HttpServer> {
  const app = createApp(deps, mounts);
  const server = createServer(app.callback());
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, deps.config.http.host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    app,
    server,
    url: `http://${deps.config.http.host}:${boundPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      }),
  };
}
