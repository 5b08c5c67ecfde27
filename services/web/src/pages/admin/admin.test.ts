import { createOrganisation, createUser } from '@quipu/commands';
import { useHarness } from '@quipu/test/harness';
import { seedDirectory } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DeskSession, deskSessions, signInThroughForm, startWebStack } from '../../test-support.ts';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startWebStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
/** One session per person for the whole file. */
let signInPage: ReturnType<typeof deskSessions>;

beforeAll(async () => {
  stack = await startWebStack(harness, { workers: false });
  directory = await seedDirectory(stack.commands);
  signInPage = deskSessions(stack.web, directory.password);
});

const get = async (path: string, session?: DeskSession) =>
  await fetch(`${stack.web}${path}`, {
    redirect: 'manual',
    headers: session ? { cookie: session.cookie } : {},
  });

/** A form POST with repeated fields (checkbox groups), as a browser sends it; the CSRF token unless told. */
async function post(
  path: string,
  session: DeskSession,
  fields: Record<string, string | string[]>,
  options: { csrf?: boolean } = {},
) {
  const body = new URLSearchParams();
  if (options.csrf !== false) body.append('_csrf', session.csrf);
  for (const [name, value] of Object.entries(fields))
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  return await fetch(`${stack.web}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie },
    body: body.toString(),
  });
}

/** Follows a Post/Redirect/Get answer: 303, then the page it points at. */
async function followed(response: Response, session: DeskSession, location: string) {
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe(location);
  const next = await get(location, session);
  expect(next.status).toBe(200);
  return await next.text();
}

describe('desk administration', () => {
  it('lets an admin create an organisation, a user and a team through the forms; the new person can sign in', async () => {
    const admin = await signInPage(directory.admin.email);
    const overview = await (await get('/mesa/admin', admin)).text();
    expect(overview).toContain('<h1>Administración</h1>');
    expect(overview).toContain('href="/mesa/admin/instituciones/nueva"');
    expect(overview).toContain(`href="/mesa/admin/usuarios/${directory.officerA._id}"`);
    expect(overview).toMatch(/<th scope="row">Triaje<\/th>/);
    expect(overview).toContain('Por turnos');

    const form = await (await get('/mesa/admin/instituciones/nueva', admin)).text();
    expect(form).toContain('<label for="slug">');
    expect(form).toContain(
      `<option value="${directory.organisation._id}">${directory.organisation.name}</option>`,
    );
    const created = await post('/mesa/admin/instituciones', admin, {
      slug: 'diresa-cusco',
      name: 'DIRESA Cusco',
      parent: String(directory.organisation._id),
    });
    const afterOrganisation = await followed(created, admin, '/mesa/admin?hecho=institucion-creada');
    expect(afterOrganisation).toContain('La institución fue creada.');
    expect(afterOrganisation).toMatch(
      new RegExp(
        `<th scope="row">DIRESA Cusco</th><td><code>diresa-cusco</code></td><td>${directory.organisation.name}</td>`,
      ),
    );
    const cusco = (await stack.commands.directory.findOrganisation({ kind: 'everything' }, 'diresa-cusco'))!;
    expect(String(cusco.parentId)).toBe(String(directory.organisation._id));

    const userForm = await (await get('/mesa/admin/usuarios/nuevo', admin)).text();
    expect(userForm).toMatch(/<fieldset id="roles"[^>]*>\s*<legend>Roles<\/legend>/);
    expect(userForm).toContain('<label for="roles-officer">Funcionario</label>');
    const user = await post('/mesa/admin/usuarios', admin, {
      email: 'Rosa.Huaman@Diresa.gob.pe',
      name: 'Rosa Huamán',
      password: 'una clave bastante larga',
      roles: ['officer', 'team_lead'],
      organisations: [String(cusco._id)],
    });
    const afterUser = await followed(user, admin, '/mesa/admin?hecho=usuario-creado');
    expect(afterUser).toContain('La cuenta fue creada.');
    expect(afterUser).toContain('rosa.huaman@diresa.gob.pe');
    expect(afterUser).toContain('Funcionario, Coordinador de equipo');
    const rosa = (await stack.commands.directory.findUserByEmail('rosa.huaman@diresa.gob.pe'))!;
    expect(rosa.organisationIds.map(String)).toEqual([String(cusco._id)]);

    const chooser = await (await get('/mesa/admin/equipos/nuevo', admin)).text();
    expect(chooser).toContain('<label for="institucion">');
    const teamForm = await (await get(`/mesa/admin/equipos/nuevo?institucion=${cusco._id}`, admin)).text();
    expect(teamForm).toContain(`<input type="hidden" name="organisation" value="${cusco._id}">`);
    expect(teamForm).toContain(`<label for="memberIds-${rosa._id}">Rosa Huamán</label>`);
    expect(teamForm).not.toContain(`memberIds-${directory.officerA._id}`);
    const team = await post('/mesa/admin/equipos', admin, {
      organisation: String(cusco._id),
      slug: 'atencion',
      name: 'Atención',
      strategy: 'least_loaded',
      leadIds: [String(rosa._id)],
    });
    const afterTeam = await followed(team, admin, '/mesa/admin?hecho=equipo-creado');
    expect(afterTeam).toContain('El equipo fue creado.');
    expect(afterTeam).toMatch(
      /<th scope="row">Atención<\/th><td><code>atencion<\/code><\/td><td>Rosa Huamán<\/td><td>Rosa Huamán<\/td><td>A quien tenga menos casos abiertos<\/td>/,
    );
    // Leads are members too (createTeam's rule, the same as the API's).
    const stored = (await stack.commands.directory.findTeamBySlug(String(cusco._id), 'atencion'))!;
    expect(stored.memberIds.map(String)).toEqual([String(rosa._id)]);

    const signIn = await signInThroughForm(
      stack.web,
      'rosa.huaman@diresa.gob.pe',
      'una clave bastante larga',
    );
    expect(signIn.response.status).toBe(303);
    expect(signIn.cookie).toMatch(/^quipu_session=/);
  });

  it('edits an organisation and a team, and a deactivated person can no longer sign in', async () => {
    const admin = await signInPage(directory.admin.email);
    const organisationId = String(directory.organisation._id);
    const editForm = await (await get(`/mesa/admin/instituciones/${organisationId}`, admin)).text();
    expect(editForm).toContain(`value="${directory.organisation.name}"`);
    const renamed = await post(`/mesa/admin/instituciones/${organisationId}`, admin, {
      name: 'Ministerio de Salud del Perú',
    });
    expect(await followed(renamed, admin, '/mesa/admin?hecho=institucion-editada')).toContain(
      '<th scope="row">Ministerio de Salud del Perú</th>',
    );

    const teamId = String(directory.team._id);
    const teamForm = await (await get(`/mesa/admin/equipos/${teamId}`, admin)).text();
    expect(teamForm).toMatch(new RegExp(`id="memberIds-${directory.officerB._id}"[^>]* checked`));
    const edited = await post(`/mesa/admin/equipos/${teamId}`, admin, {
      name: 'Triaje central',
      strategy: 'manual',
      memberIds: [String(directory.officerA._id)],
      leadIds: [String(directory.lead._id)],
    });
    expect(await followed(edited, admin, '/mesa/admin?hecho=equipo-editado')).toContain(
      '<th scope="row">Triaje central</th>',
    );
    const team = (await stack.commands.directory.findTeam({ kind: 'everything' }, teamId))!;
    expect(team.strategy).toBe('manual');
    expect(team.memberIds.map(String).sort()).toEqual(
      [String(directory.officerA._id), String(directory.lead._id)].sort(),
    );

    const pedro = await createUser(stack.commands, {
      email: 'pedro@minsa.gob.pe',
      name: 'Pedro Ccori',
      password: directory.password,
      roles: ['officer'],
      organisations: [organisationId],
    });
    const his = await signInPage('pedro@minsa.gob.pe');
    const userForm = await (await get(`/mesa/admin/usuarios/${pedro._id}`, admin)).text();
    expect(userForm).toMatch(/<input type="checkbox" id="active" name="active" value="si" checked>/);
    expect(userForm).toContain('pedro@minsa.gob.pe');
    const deactivated = await post(`/mesa/admin/usuarios/${pedro._id}`, admin, {
      name: 'Pedro Ccori Mamani',
      roles: ['officer'],
    });
    const after = await followed(deactivated, admin, '/mesa/admin?hecho=usuario-editado');
    expect(after).toMatch(/<th scope="row">Pedro Ccori Mamani<\/th>[\s\S]*?Desactivada/);
    expect((await get('/mesa', his)).status).toBe(303);
    const refused = await signInThroughForm(stack.web, 'pedro@minsa.gob.pe', directory.password);
    expect(refused.response.status).toBe(401);
    expect(refused.cookie).toBe('');
  });

  it('sends validation errors back next to the fields (400), with the values kept and no password echoed', async () => {
    const admin = await signInPage(directory.admin.email);
    const organisation = await post('/mesa/admin/instituciones', admin, { slug: 'Con Espacios', name: 'X' });
    expect(organisation.status).toBe(400);
    const organisationPage = await organisation.text();
    expect(organisationPage).toContain('<a href="#slug">Use solo minúsculas');
    expect(organisationPage).toContain('<span class="field-error" id="slug-error">Use solo minúsculas');
    expect(organisationPage).toContain(
      '<span class="field-error" id="name-error">Escriba al menos 2 caracteres.',
    );
    expect(organisationPage).toMatch(/id="slug" name="slug" value="Con Espacios"[^>]*aria-invalid="true"/);

    const user = await post('/mesa/admin/usuarios', admin, {
      email: 'no-es-un-correo',
      name: 'Olga Rivas',
      password: 'corta',
      organisations: [String(directory.organisation._id)],
    });
    expect(user.status).toBe(400);
    const userPage = await user.text();
    expect(userPage).toContain('<a href="#email">Escriba un correo válido');
    expect(userPage).toContain('<a href="#roles">Elija al menos un rol.</a>');
    expect(userPage).toContain('<a href="#password">La contraseña debe tener entre 12 y 200 caracteres.</a>');
    expect(userPage).toContain('value="no-es-un-correo"');
    expect(userPage).toContain('value="Olga Rivas"');
    expect(userPage).toMatch(new RegExp(`id="organisations-${directory.organisation._id}"[^>]* checked`));
    expect(userPage).not.toContain('corta');

    // Non-admins belong to an organisation: the command's rule, shown on its field.
    const homeless = await post('/mesa/admin/usuarios', admin, {
      email: 'olga@minsa.gob.pe',
      name: 'Olga Rivas',
      password: 'una clave bastante larga',
      roles: ['officer'],
    });
    expect(homeless.status).toBe(400);
    expect(await homeless.text()).toContain('<a href="#organisations">Elija al menos una institución');

    const outsider = await createUser(stack.commands, {
      email: 'externa@sunat.gob.pe',
      name: 'Externa',
      password: directory.password,
      roles: ['officer'],
      organisations: [
        String((await createOrganisation(stack.commands, { slug: 'sunat', name: 'SUNAT' }))._id),
      ],
    });
    const team = await post('/mesa/admin/equipos', admin, {
      organisation: String(directory.organisation._id),
      slug: 'mixto',
      name: 'Equipo mixto',
      strategy: 'round_robin',
      memberIds: [String(outsider._id), String(directory.officerA._id)],
    });
    expect(team.status).toBe(400);
    const teamPage = await team.text();
    expect(teamPage).toContain(
      '<a href="#memberIds">Elija miembros del personal de la institución del equipo.</a>',
    );
    expect(teamPage).toMatch(new RegExp(`id="memberIds-${directory.officerA._id}"[^>]* checked`));
    expect(teamPage).toContain('value="mixto"');
  });

  it('says "ya existe" next to a taken slug or e-mail', async () => {
    const admin = await signInPage(directory.admin.email);
    const organisation = await post('/mesa/admin/instituciones', admin, {
      slug: directory.organisation.slug,
      name: 'Repetida',
    });
    expect(organisation.status).toBe(400);
    const organisationPage = await organisation.text();
    expect(organisationPage).toContain('<a href="#slug">Ya existe: elija otro.</a>');
    expect(organisationPage).toContain('value="Repetida"');

    const user = await post('/mesa/admin/usuarios', admin, {
      email: directory.officerA.email.toUpperCase(),
      name: 'Otra Ana',
      password: 'una clave bastante larga',
      roles: ['officer'],
      organisations: [String(directory.organisation._id)],
    });
    expect(user.status).toBe(400);
    expect(await user.text()).toContain('<a href="#email">Ya existe: elija otro.</a>');

    const team = await post('/mesa/admin/equipos', admin, {
      organisation: String(directory.organisation._id),
      slug: directory.team.slug,
      name: 'Otro triaje',
      strategy: 'manual',
    });
    expect(team.status).toBe(400);
    expect(await team.text()).toContain('<a href="#slug">Ya existe: elija otro.</a>');
  });

  it('refuses officers (403) on every admin page and POST, and shows them no admin links', async () => {
    expect((await get('/mesa/admin')).headers.get('location')).toBe('/mesa/ingresar?volver=%2Fmesa%2Fadmin');
    const officer = await signInPage(directory.officerA.email);
    expect((await get('/mesa/admin', officer)).status).toBe(403);
    expect((await get('/mesa/admin/usuarios/nuevo', officer)).status).toBe(403);
    const attempt = await post('/mesa/admin/instituciones', officer, { slug: 'intrusa', name: 'Intrusa' });
    expect(attempt.status).toBe(403);
    expect(attempt.headers.get('content-type')).toContain('text/html');
    expect(await attempt.text()).toContain('No tiene permiso para hacer esto.');
    expect(await stack.commands.directory.findOrganisation({ kind: 'everything' }, 'intrusa')).toBeNull();
    const promote = await post(`/mesa/admin/usuarios/${directory.officerA._id}`, officer, {
      name: 'Ana Quispe',
      roles: ['admin'],
      active: 'si',
    });
    expect(promote.status).toBe(403);
    for (const path of ['/mesa', '/mesa/cuenta'])
      expect(await (await get(path, officer)).text()).not.toContain('href="/mesa/admin');
  });

  it('shows managers their part of the directory, read only', async () => {
    await createOrganisation(stack.commands, { slug: 'mef', name: 'Ministerio de Economía' });
    const manager = await signInPage(directory.manager.email);
    const overview = await get('/mesa/admin', manager);
    expect(overview.status).toBe(200);
    const html = await overview.text();
    expect(html).toContain('Solo lectura');
    expect(html).toContain(`<code>${directory.organisation.slug}</code>`);
    expect(html).toContain(directory.officerB.email);
    expect(html).not.toContain('Ministerio de Economía');
    expect(html).not.toContain('href="/mesa/admin/');
    expect(html).not.toContain('>Editar<');
    expect((await get(`/mesa/admin/usuarios/${directory.officerB._id}`, manager)).status).toBe(403);
    const attempt = await post(`/mesa/admin/usuarios/${directory.officerB._id}`, manager, {
      name: 'Beto',
      roles: ['officer'],
    });
    expect(attempt.status).toBe(403);
    expect(
      (await stack.commands.directory.findUser({ kind: 'everything' }, String(directory.officerB._id)))!
        .active,
    ).not.toBe(false);
  });

  it('refuses a POST without the CSRF token, and answers 404 for unknown ids', async () => {
    const admin = await signInPage(directory.admin.email);
    const forged = await post(
      '/mesa/admin/instituciones',
      admin,
      { slug: 'falsa', name: 'Falsa' },
      { csrf: false },
    );
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('El formulario caducó.');
    expect(await stack.commands.directory.findOrganisation({ kind: 'everything' }, 'falsa')).toBeNull();
    const unknown = '000000000000000000000000';
    expect((await get(`/mesa/admin/usuarios/${unknown}`, admin)).status).toBe(404);
    expect((await get(`/mesa/admin/instituciones/no-es-un-id`, admin)).status).toBe(404);
    for (const path of [
      '/mesa/admin/usuarios/no-es-un-id',
      '/mesa/admin/equipos/no-es-un-id',
      '/informes/no-es-un-id',
    ])
      expect((await get(path, admin)).status, path).toBe(404);
    const team = await post(`/mesa/admin/equipos/${unknown}`, admin, { name: 'Nada', strategy: 'manual' });
    expect(team.status).toBe(404);
    expect(await team.text()).toContain('No encontramos esta página.');
  });

  it('speaks English with ?lang=en', async () => {
    const admin = await signInPage(directory.admin.email);
    const html = await (await get('/mesa/admin?lang=en', admin)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Administration</h1>');
    expect(html).toContain('New organisation');
    expect(html).toContain('Manual (the lead assigns)');
    expect(html).not.toContain('Instituciones');
  });
});
