import type { CatalogLicence } from './types.ts';

// CKAN's default licence register (ckan/model/license.py) plus the SPDX ids and URLs the
// same licences go by in DCAT feeds, so one licence gets one id whatever the source.
// `isOpen` follows the Open Definition, as CKAN's `od_conformance` does.

interface KnownLicence {
  id: string;
  title: string;
  url: string | null;
  isOpen: boolean;
  /** Lower-case ids, SPDX ids and titles that mean this licence. */
  names: string[];
  /** Lower-case URL fragments (scheme and `www.` dropped) that identify this licence. */
  urlPatterns: string[];
}

export const KNOWN_LICENCES: readonly KnownLicence[] = [
  {
    id: 'cc-by',
    title: 'Creative Commons Attribution',
    url: 'https://creativecommons.org/licenses/by/4.0/',
    isOpen: true,
    names: [
      'cc-by',
      'cc-by-4.0',
      'cc-by-3.0',
      'cc-by-2.5',
      'cc_by_4_0',
      'cc by 4.0',
      'creative commons attribution',
    ],
    urlPatterns: ['creativecommons.org/licenses/by/', 'opendefinition.org/licenses/cc-by/', 'licence/cc_by_'],
  },
  {
    id: 'cc-by-sa',
    title: 'Creative Commons Attribution Share-Alike',
    url: 'https://creativecommons.org/licenses/by-sa/4.0/',
    isOpen: true,
    names: [
      'cc-by-sa',
      'cc-by-sa-4.0',
      'cc-by-sa-3.0',
      'cc_bysa_4_0',
      'creative commons attribution share-alike',
    ],
    urlPatterns: [
      'creativecommons.org/licenses/by-sa/',
      'opendefinition.org/licenses/cc-by-sa/',
      'licence/cc_bysa_',
    ],
  },
  {
    id: 'cc-zero',
    title: 'Creative Commons CCZero',
    url: 'https://creativecommons.org/publicdomain/zero/1.0/',
    isOpen: true,
    names: ['cc-zero', 'cc0', 'cc0-1.0', 'cc0 1.0', 'creative commons cczero'],
    urlPatterns: [
      'creativecommons.org/publicdomain/zero/',
      'opendefinition.org/licenses/cc-zero/',
      'licence/cc0',
    ],
  },
  {
    id: 'cc-nc',
    title: 'Creative Commons Non-Commercial',
    url: 'https://creativecommons.org/licenses/by-nc/4.0/',
    isOpen: false,
    names: [
      'cc-nc',
      'cc-by-nc',
      'cc-by-nc-4.0',
      'cc-by-nc-sa-4.0',
      'cc-by-nc-nd-4.0',
      'creative commons non-commercial',
    ],
    urlPatterns: ['creativecommons.org/licenses/by-nc', 'licence/cc_bync'],
  },
  {
    id: 'cc-by-nd',
    title: 'Creative Commons Attribution No-Derivatives',
    url: 'https://creativecommons.org/licenses/by-nd/4.0/',
    isOpen: false,
    names: ['cc-by-nd', 'cc-by-nd-4.0'],
    urlPatterns: ['creativecommons.org/licenses/by-nd/', 'licence/cc_bynd'],
  },
  {
    id: 'odc-by',
    title: 'Open Data Commons Attribution License',
    url: 'https://opendatacommons.org/licenses/by/',
    isOpen: true,
    names: ['odc-by', 'odc-by-1.0', 'open data commons attribution license'],
    urlPatterns: ['opendatacommons.org/licenses/by/', 'opendefinition.org/licenses/odc-by/'],
  },
  {
    id: 'odc-odbl',
    title: 'Open Data Commons Open Database License (ODbL)',
    url: 'https://opendatacommons.org/licenses/odbl/',
    isOpen: true,
    names: ['odc-odbl', 'odbl', 'odbl-1.0', 'open data commons open database license (odbl)'],
    urlPatterns: [
      'opendatacommons.org/licenses/odbl/',
      'opendefinition.org/licenses/odc-odbl/',
      'licence/odbl',
    ],
  },
  {
    id: 'odc-pddl',
    title: 'Open Data Commons Public Domain Dedication and License (PDDL)',
    url: 'https://opendatacommons.org/licenses/pddl/',
    isOpen: true,
    names: ['odc-pddl', 'pddl', 'pddl-1.0', 'open data commons public domain dedication and license (pddl)'],
    urlPatterns: [
      'opendatacommons.org/licenses/pddl/',
      'opendefinition.org/licenses/odc-pddl/',
      'licence/pddl',
    ],
  },
  {
    id: 'uk-ogl',
    title: 'UK Open Government Licence (OGL)',
    url: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/',
    isOpen: true,
    names: ['uk-ogl', 'ogl-uk-3.0', 'ogl-uk-2.0', 'uk open government licence (ogl)'],
    urlPatterns: ['nationalarchives.gov.uk/doc/open-government-licence/'],
  },
  {
    id: 'gfdl',
    title: 'GNU Free Documentation License',
    url: 'https://www.gnu.org/licenses/fdl.html',
    isOpen: true,
    names: ['gfdl', 'gfdl-1.3', 'gfdl-1.3-or-later', 'gnu free documentation license'],
    urlPatterns: ['gnu.org/licenses/fdl', 'opendefinition.org/licenses/gfdl/'],
  },
  {
    id: 'other-open',
    title: 'Other (Open)',
    url: null,
    isOpen: true,
    names: ['other-open', 'other (open)'],
    urlPatterns: [],
  },
  {
    id: 'other-pd',
    title: 'Other (Public Domain)',
    url: null,
    isOpen: true,
    names: ['other-pd', 'other (public domain)', 'public domain', 'us-pd'],
    urlPatterns: ['creativecommons.org/publicdomain/mark/', 'licence/pd'],
  },
  {
    id: 'other-at',
    title: 'Other (Attribution)',
    url: null,
    isOpen: true,
    names: ['other-at', 'other (attribution)'],
    urlPatterns: [],
  },
  {
    id: 'other-nc',
    title: 'Other (Non-Commercial)',
    url: null,
    isOpen: false,
    names: ['other-nc', 'other (non-commercial)'],
    urlPatterns: [],
  },
  {
    id: 'other-closed',
    title: 'Other (Not Open)',
    url: null,
    isOpen: false,
    names: ['other-closed', 'other (not open)'],
    urlPatterns: [],
  },
];

const NOT_SPECIFIED = new Set([
  '',
  'notspecified',
  'not-specified',
  'license not specified',
  'licence not specified',
]);

function urlKey(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '');
}

export function findKnownLicence(value: string | null | undefined): KnownLicence | undefined {
  if (!value) return undefined;
  const lower = value.trim().toLowerCase();
  const byName = KNOWN_LICENCES.find((licence) => licence.names.includes(lower));
  if (byName) return byName;
  if (!/^https?:\/\//.test(lower) && !lower.includes('.')) return undefined;
  const key = urlKey(lower);
  return KNOWN_LICENCES.find((licence) => licence.urlPatterns.some((pattern) => key.includes(pattern)));
}

/**
 * Builds our licence record from whatever a source gives: an id, a title and a URL, any of
 * which may be missing, and any of which may carry what belongs in another (DKAN puts the
 * licence URL in `license_title`). Returns null when nothing names a licence.
 */
export function resolveLicence(parts: {
  id?: string | null;
  title?: string | null;
  url?: string | null;
}): CatalogLicence | null {
  const id = parts.id?.trim() || null;
  const title = parts.title?.trim() || null;
  const url = parts.url?.trim() || null;
  const given = [id, title, url].filter((part): part is string => part !== null);
  if (given.every((part) => NOT_SPECIFIED.has(part.toLowerCase()))) return null;

  const known = findKnownLicence(id) ?? findKnownLicence(url) ?? findKnownLicence(title);
  const urlGiven = [url, title, id].find((part) => part !== null && /^https?:\/\//i.test(part)) ?? null;
  if (known) {
    return {
      id: known.id,
      title: title && !/^https?:\/\//i.test(title) ? title : known.title,
      url: urlGiven ?? known.url,
      isOpen: known.isOpen,
    };
  }
  return {
    id: null,
    title: title ?? (id && !/^https?:\/\//i.test(id) ? id : null),
    url: urlGiven,
    isOpen: false,
  };
}
