import Router from '@koa/router';
import { z } from 'zod';

/**
 * The OpenAPI document, built from the same zod schemas that parse requests, so the two
 * cannot drift. Route modules register their operations here at import time.
 */
export interface OperationSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tags: string[];
  security?: 'public' | 'staff' | 'admin' | 'tracking' | 'metrics';
  body?: z.ZodType;
  query?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

const operations: OperationSpec[] = [
  {
    method: 'get',
    path: '/health/live',
    summary: 'Liveness: the process answers',
    tags: ['operations'],
    security: 'public',
    responses: { 200: { description: 'Alive' } },
  },
  {
    method: 'get',
    path: '/health/ready',
    summary: 'Readiness: MongoDB and Redis answer',
    tags: ['operations'],
    security: 'public',
    responses: { 200: { description: 'Ready' }, 503: { description: 'A dependency is down' } },
  },
  {
    method: 'get',
    path: '/metrics',
    summary:
      'Prometheus metrics: with `metrics.token` set, only for `Authorization: Bearer <token>`; with `metrics.port` set, only on that listener; otherwise only to loopback clients not behind a proxy',
    tags: ['operations'],
    security: 'metrics',
    responses: {
      200: { description: 'Metrics in text exposition format' },
      401: { description: 'A metrics token is configured and this request did not send it' },
      404: { description: 'Not served here (separate metrics listener, or a client that is not local)' },
    },
  },
];

export function registerOperation(spec: OperationSpec): void {
  operations.push(spec);
}

const problem = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  required: ['type', 'title', 'status', 'code'],
};

function jsonSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

export function openapiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = op.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters = [...op.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (op.query) {
      const q = jsonSchema(op.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: 'query', required: (q.required ?? []).includes(name), schema } as never);
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(op.responses)) {
      responses[status] = response.schema
        ? {
            description: response.description,
            content: { 'application/json': { schema: jsonSchema(response.schema) } },
          }
        : { description: response.description };
    }
    responses.default = {
      description: 'Problem',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
    paths[path] ??= {};
    paths[path][op.method] = {
      summary: op.summary,
      tags: op.tags,
      ...(parameters.length ? { parameters } : {}),
      ...(op.body
        ? {
            requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } },
          }
        : {}),
      ...(op.security === 'staff' || op.security === 'admin'
        ? { security: [{ bearer: [] }, { session: [] }] }
        : op.security === 'metrics'
          ? { security: [{ metricsToken: [] }, {}] }
          : { security: [] }),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Quipu API',
      version: '1.0.0',
      description: 'Complaints, dataset requests, quality tickets and figures of an open-data portal.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Problem: problem },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API token (quipu_…)' },
        session: { type: 'apiKey', in: 'cookie', name: 'quipu_session' },
        metricsToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The `metrics.token` of the configuration',
        },
      },
    },
  };
}

export function openapiRouter(): Router {
  const router = new Router();
  router.get('/api/v1/openapi.json', (ctx) => {
    ctx.body = openapiDocument();
  });
  return router;
}
