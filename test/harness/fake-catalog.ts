import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A CKAN Action API on 127.0.0.1, answering the shapes CKAN documents for
 * `organization_list` (all_fields, limit, offset) and `package_search` (rows, start,
 * sort=metadata_modified asc, fq=metadata_modified:[… TO *]) — and misbehaving on demand.
 * Also serves DCAT documents with an ETag.
 */
export interface FakeCatalog {
  url: string;
  organisations: Array<Record<string, unknown>>;
  /** Raw package dicts, malformed ones included; listed by metadata_modified ascending. */
  packages: unknown[];
  /** DCAT documents by path, e.g. `/data.json`. */
  documents: Map<string, { body: unknown; etag: string }>;
  /** What to do with package_search calls from the nth page (0-based) on. */
  failure: { kind: 'stall' | 'status' | 'none'; fromPage: number; status?: number };
  /** Answer every API call this much later (a slow catalog). */
  delayMs: number;
  requests: URL[];
  /** Request headers, in the order received. */
  headers: import('node:http').IncomingHttpHeaders[];
  close(): Promise<void>;
}

const HELP = 'http://127.0.0.1/api/3/action/help_show?name=';

function modifiedOf(pkg: unknown): string {
  const value = (pkg as { metadata_modified?: unknown } | null)?.metadata_modified;
  return typeof value === 'string' ? value : '';
}

/** CKAN prints `2025-03-01T08:30:00.123456` (UTC, no zone); Solr ranges use `…Z`. */
function fqLowerBound(fq: string | null): string | null {
  const match = fq && /^metadata_modified:\[(\S+) TO \*\]$/.exec(fq);
  return match ? new Date(match[1]!).toISOString() : null;
}

export async function startFakeCatalog(): Promise<FakeCatalog> {
  const sockets = new Set<import('node:net').Socket>();
  const catalog: FakeCatalog = {
    url: '',
    organisations: [],
    packages: [],
    documents: new Map(),
    failure: { kind: 'none', fromPage: 0 },
    delayMs: 0,
    requests: [],
    headers: [],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => server.close(r));
    },
  };
  const json = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res
      .writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers })
      .end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    if (catalog.delayMs > 0) setTimeout(() => answer(req, res), catalog.delayMs);
    else answer(req, res);
  });
  const answer = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', catalog.url);
    catalog.requests.push(url);
    catalog.headers.push(req.headers);
    const document = catalog.documents.get(url.pathname);
    if (document) {
      if (req.headers['if-none-match'] === document.etag)
        return void res.writeHead(304, { etag: document.etag }).end();
      return json(res, 200, document.body, { etag: document.etag });
    }
    if (url.pathname === '/api/3/action/organization_list') {
      const limit = Number(url.searchParams.get('limit') ?? 25);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const all = url.searchParams.get('all_fields') === 'true';
      const page = catalog.organisations.slice(offset, offset + limit);
      return json(res, 200, {
        help: `${HELP}organization_list`,
        success: true,
        result: all ? page : page.map((org) => org.name),
      });
    }
    if (url.pathname === '/api/3/action/package_search') {
      const rows = Number(url.searchParams.get('rows') ?? 10);
      const start = Number(url.searchParams.get('start') ?? 0);
      const pageIndex = Math.floor(start / Math.max(rows, 1));
      const { failure } = catalog;
      if (failure.kind !== 'none' && pageIndex >= failure.fromPage) {
        if (failure.kind === 'stall') return; // headers never come
        return json(res, failure.status ?? 500, {
          help: `${HELP}package_search`,
          success: false,
          error: { __type: 'Internal Server Error', message: 'Solr is down' },
        });
      }
      const since = fqLowerBound(url.searchParams.get('fq'));
      const listed = catalog.packages
        .filter(
          (pkg) =>
            since === null ||
            (modifiedOf(pkg) !== '' && new Date(`${modifiedOf(pkg)}Z`).toISOString() >= since),
        )
        .sort((a, b) => (modifiedOf(a) < modifiedOf(b) ? -1 : modifiedOf(a) > modifiedOf(b) ? 1 : 0));
      return json(res, 200, {
        help: `${HELP}package_search`,
        success: true,
        result: {
          count: listed.length,
          facets: {},
          results: listed.slice(start, start + rows),
          sort: url.searchParams.get('sort') ?? 'score desc, metadata_modified desc',
          search_facets: {},
        },
      });
    }
    json(res, 404, {
      help: HELP,
      success: false,
      error: { __type: 'Not Found Error', message: 'Not found' },
    });
  };
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  catalog.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return catalog;
}

/** A CKAN package dict as `package_search` returns it. */
export function ckanPackage(
  n: number,
  overrides: Record<string, unknown> = {},
  organisation: Record<string, unknown> | null = {
    id: 'org-mef',
    name: 'mef',
    title: 'Ministerio de Economía y Finanzas',
  },
): Record<string, unknown> {
  const minute = String(n).padStart(2, '0');
  return {
    id: `pkg-${n}`,
    name: `dataset-${n}`,
    title: `Dataset ${n}`,
    notes: `Descripción del dataset ${n}.`,
    license_id: 'cc-by',
    license_title: 'Creative Commons Attribution',
    metadata_created: '2025-01-01T00:00:00.000000',
    metadata_modified: `2025-03-01T08:${minute}:00.123456`,
    state: 'active',
    private: false,
    type: 'dataset',
    organization: organisation,
    owner_org: organisation?.id ?? null,
    tags: [{ name: 'presupuesto', display_name: 'presupuesto' }],
    extras: [{ key: 'update_frequency', value: 'Mensual' }],
    resources: [
      {
        id: `res-${n}-csv`,
        package_id: `pkg-${n}`,
        name: `Datos ${n}`,
        url: `https://datos.example.gob.pe/files/${n}.csv`,
        format: 'CSV',
        mimetype: 'text/csv',
        size: 1000 + n,
        last_modified: '2025-03-01T08:00:00',
        state: 'active',
      },
    ],
    ...overrides,
  };
}

export function ckanOrganisation(id: string, name: string, title: string): Record<string, unknown> {
  return {
    id,
    name,
    title,
    display_name: title,
    type: 'organization',
    is_organization: true,
    state: 'active',
    approval_status: 'approved',
    description: '',
    image_url: '',
    created: '2024-01-01T00:00:00.000000',
    package_count: 0,
  };
}
