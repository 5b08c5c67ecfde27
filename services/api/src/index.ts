import { createServer, type Server } from 'node:http';
import type { AppDeps, Mount } from '@quipu/http';
import Koa from 'koa';
import { createApp } from './app.ts';
import type { Metrics } from './metrics.ts';
import { errorBoundary } from './middleware/error-boundary.ts';
import { requestContext } from './middleware/request-context.ts';

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
  /** The metrics listener's address when `metrics.port` is set. */
  metricsUrl?: string;
  /** Stops accepting connections and waits for in-flight requests (SIGTERM path). */
  close(): Promise<void>;
}

export async function startHttpServer(
  deps: AppDeps,
  mounts: Mount[] = [],
  port = deps.config.http.port,
): Promise<HttpServer> {
  const app = createApp(deps, mounts);
  const main = await listen(app, port, deps.config.http.host);
  let metricsServer: Awaited<ReturnType<typeof listen>> | undefined;
  if (deps.config.metrics.port !== undefined) {
    const metrics = metricsApp(deps, app.context.metrics as Metrics);
    metricsServer = await listen(metrics, deps.config.metrics.port, deps.config.http.host).catch(
      async (error) => {
        await main.close();
        throw error;
      },
    );
  }
  return {
    app,
    server: main.server,
    url: main.url,
    ...(metricsServer ? { metricsUrl: metricsServer.url } : {}),
    close: async () => {
      await Promise.all([main.close(), metricsServer?.close()]);
    },
  };
}

/** The separate metrics listener: `/metrics` and nothing else, no sessions, no pages. */
function metricsApp(deps: AppDeps, metrics: Metrics): Koa {
  const app = new Koa();
  app.use(requestContext({ logger: deps.logger }));
  app.use(errorBoundary());
  app.use(metrics.endpoint(deps.config.metrics, 'metrics'));
  return app;
}

async function listen(app: Koa, port: number, host: string) {
  const server = createServer(app.callback());
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    url: `http://${host}:${boundPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      }),
  };
}
