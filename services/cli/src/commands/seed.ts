import { createLogger } from '@quipu/api';
import {
  createCommandContext,
  createOrganisation,
  createTeam,
  createUser,
  linkToken,
  openTicket,
  verifyReporterEmail,
} from '@quipu/commands';
import type { Config } from '@quipu/config';
import { startEmbeddedServices } from '../embedded.ts';
import { createRuntime, type QuipuRuntime } from '../runtime.ts';

export const DEMO_PASSWORD = 'quipu-demo-2026';

/**
 * A living demo: the national digital-government office over two ministries, their teams and
 * officers, a few datasets and tickets in several states. Only when the database is empty
 * (with onlyIfEmpty), so `quipu start` never touches real data.
 */
export async function seedDemo(
  runtime: QuipuRuntime,
  options: { onlyIfEmpty: boolean },
): Promise<Record<string, number> | null> {
  const commands = createCommandContext(runtime);
  if (options.onlyIfEmpty && (await commands.directory.countUsers()) > 0) return null;

  const pcm = await createOrganisation(commands, {
    slug: 'pcm-sgtd',
    name: 'Secretaría de Gobierno y Transformación Digital',
    contactEmail: 'datosabiertos@example.gob.pe',
  });
  const minsa = await createOrganisation(commands, {
    slug: 'minsa',
    name: 'Ministerio de Salud',
    parent: 'pcm-sgtd',
  });
  const mef = await createOrganisation(commands, {
    slug: 'mef',
    name: 'Ministerio de Economía y Finanzas',
    parent: 'pcm-sgtd',
  });
  await createUser(commands, {
    email: 'admin@quipu.localhost',
    name: 'Administración Quipu',
    password: DEMO_PASSWORD,
    roles: ['admin'],
    organisations: [],
  });
  const manager = await createUser(commands, {
    email: 'gerencia@pcm.example.gob.pe',
    name: 'Carmen Vargas',
    password: DEMO_PASSWORD,
    roles: ['manager'],
    organisations: [String(pcm._id)],
  });
  const people: Record<string, string[]> = {};
  for (const [organisation, names] of [
    [minsa, ['Ana Quispe', 'Jorge Huamán', 'Lucía Torres']],
    [mef, ['Rosa Mamani', 'Pedro Ccori', 'Elena Ríos']],
  ] as const) {
    const ids: string[] = [];
    for (const [index, name] of names.entries()) {
      const email = `${name
        .split(' ')[0]!
        .toLowerCase()
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')}@${organisation.slug}.example.gob.pe`;
      const user = await createUser(commands, {
        email,
        name,
        password: DEMO_PASSWORD,
        roles: [index === 2 ? 'team_lead' : 'officer'],
        organisations: [String(organisation._id)],
      });
      ids.push(String(user._id));
    }
    people[organisation.slug] = ids;
    await createTeam(commands, {
      organisation: String(organisation._id),
      slug: 'triaje',
      name: 'Triaje y atención',
      leadIds: [ids[2]!],
      memberIds: ids,
      strategy: 'round_robin',
    });
    await createTeam(commands, {
      organisation: String(organisation._id),
      slug: 'soporte-portal',
      name: 'Soporte del portal',
      leadIds: [ids[2]!],
      memberIds: ids.slice(0, 2),
      strategy: 'least_loaded',
      capPerOfficer: 25,
    });
  }
  await createTeam(commands, {
    organisation: String(pcm._id),
    slug: 'triaje',
    name: 'Triaje nacional',
    leadIds: [String(manager._id)],
    memberIds: [String(manager._id)],
    strategy: 'manual',
  });

  const datasets = [
    {
      slug: 'fallecidos-covid-19',
      title: 'Fallecidos por COVID-19 - [Ministerio de Salud - MINSA]',
      organisation: minsa,
      tags: ['covid-19', 'salud'],
      file: 'fallecidos_covid.csv',
    },
    {
      slug: 'casos-positivos-covid-19',
      title: 'Casos positivos por COVID-19 - [MINSA]',
      organisation: minsa,
      tags: ['covid-19'],
      file: 'positivos_covid.csv',
    },
    {
      slug: 'donaciones-covid-19',
      title: 'Donaciones COVID-19 - [Ministerio de Economía y Finanzas]',
      organisation: mef,
      tags: ['covid-19', 'finanzas públicas'],
      file: 'donaciones.csv',
    },
  ];
  const created = [];
  for (const d of datasets) {
    created.push(
      await commands.datasets.insert({
        source: 'manual',
        externalId: d.slug,
        slug: d.slug,
        title: d.title,
        description: `Conjunto de datos publicado por ${d.organisation.name}.`,
        organisationId: d.organisation._id,
        tags: d.tags,
        landingPage: `https://www.datosabiertos.gob.pe/dataset/${d.slug}`,
        updateFrequency: 'P1D',
        resources: [
          {
            _id: `${d.slug}-csv`,
            name: d.file,
            url: `https://datos.example.gob.pe/${d.file}`,
            format: 'CSV',
            mediaType: 'text/csv',
          },
        ],
      }),
    );
  }

  const demo = [
    {
      kind: 'complaint' as const,
      category: 'wrong_data',
      title: 'Fechas de fallecimiento en el futuro',
      description: 'Hay 14 filas con FECHA_FALLECIMIENTO posterior a la fecha de corte.',
      dataset: 'fallecidos-covid-19',
      verify: true,
    },
    {
      kind: 'complaint' as const,
      category: 'broken_link',
      title: 'El CSV de casos positivos responde 404',
      description: 'Desde ayer la descarga del recurso principal devuelve 404 Not Found.',
      dataset: 'casos-positivos-covid-19',
      verify: true,
    },
    {
      kind: 'complaint' as const,
      category: 'format',
      title: 'El archivo usa punto y coma y Latin-1 sin avisar',
      description: 'El CSV de donaciones viene en ISO-8859-1 con separador ; y no lo dice la ficha.',
      dataset: 'donaciones-covid-19',
      verify: false,
    },
    {
      kind: 'data_request' as const,
      category: 'health',
      title: 'Camas UCI disponibles por hospital y día',
      description: 'Para seguimiento ciudadano de la capacidad hospitalaria por región.',
      organisation: 'minsa',
      verify: true,
    },
    {
      kind: 'data_request' as const,
      category: 'public_finance',
      title: 'Ejecución presupuestal diaria por unidad ejecutora',
      description: 'Datos diarios de devengado y girado por unidad ejecutora, en CSV.',
      organisation: 'mef',
      verify: true,
      regime: 'access_to_information' as const,
    },
    {
      // Held for moderation (the intake's spam words), so the desk's queue has something to show.
      kind: 'complaint' as const,
      category: 'other',
      title: 'Gane dinero rápido con bitcoin',
      description: 'Visite nuestro casino en línea: las cifras de donaciones están mal.',
      dataset: 'donaciones-covid-19',
      verify: true,
    },
  ];
  let tickets = 0;
  for (const [index, t] of demo.entries()) {
    const { ticket } = await openTicket(commands, {
      kind: t.kind,
      category: t.category,
      title: t.title,
      description: t.description,
      ...('dataset' in t ? { dataset: t.dataset } : {}),
      ...('organisation' in t ? { organisation: t.organisation } : {}),
      ...('regime' in t ? { regime: t.regime } : {}),
      reporter: { email: `persona${index + 1}@example.pe`, name: `Persona ${index + 1}`, language: 'es' },
      consent: true,
    });
    if (t.verify) {
      // As the reporter would, with the link of their acknowledgement e-mail.
      await verifyReporterEmail(
        commands,
        linkToken(runtime.config.session.secret, 'verification', String(ticket._id)),
      );
    }
    tickets += 1;
  }
  return {
    organisations: 3,
    users: 2 + Object.values(people).flat().length,
    datasets: created.length,
    tickets,
  };
}

/** `quipu seed --demo`: against the configured (or embedded) database. */
export async function seed(config: Config): Promise<number> {
  const logger = createLogger(config.log.level);
  const embedded = await startEmbeddedServices(config, logger);
  const runtime = await createRuntime(embedded.config, { logger });
  try {
    const result = await seedDemo(runtime, { onlyIfEmpty: true });
    process.stdout.write(
      result
        ? `demo data: ${JSON.stringify(result)}\nsign in as admin@quipu.localhost / ${DEMO_PASSWORD}\n`
        : 'the database already has users: nothing seeded\n',
    );
    return 0;
  } finally {
    await runtime.close();
    await embedded.stop();
  }
}
