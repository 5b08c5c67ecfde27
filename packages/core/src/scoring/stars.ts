import { formatFacts, formatForMediaType } from './formats.ts';

// Tim Berners-Lee's 5-star deployment scheme for open data (https://5stardata.info):
// ★ on the web under an open licence; ★★ as structured, machine-readable data;
// ★★★ in a non-proprietary format; ★★★★ using URIs to denote things (RDF);
// ★★★★★ linked to other people's data.

export type Stars = 0 | 1 | 2 | 3 | 4 | 5;

export interface OpennessInput {
  licenceOpen: boolean | null | undefined;
  format: string | null | undefined;
  mediaType?: string | null;
  /** The RDF links to other datasets' URIs. Nothing in a catalog record tells; the caller may know. */
  linked?: boolean;
}

export function opennessStars(input: OpennessInput): Stars {
  if (input.licenceOpen !== true) return 0;
  const facts = formatFacts(input.format) ?? formatForMediaType(input.mediaType);
  if (!facts) return 1;
  if (facts.rdf) return input.linked ? 5 : 4;
  if (facts.machineReadable && facts.nonProprietary) return 3;
  if (facts.machineReadable) return 2;
  return 1;
}

export interface StarsDataset {
  licence?: { isOpen: boolean } | null;
  resources: Array<{ format?: string | null; mediaType?: string | null; url?: string | null }>;
}

/** The dataset earns the stars of its best resource that can be fetched at all. */
export function datasetStars(dataset: StarsDataset, options: { linked?: boolean } = {}): Stars {
  let best: Stars = 0;
  for (const resource of dataset.resources) {
    if (!resource.url) continue;
    const stars = opennessStars({
      licenceOpen: dataset.licence?.isOpen,
      format: resource.format,
      mediaType: resource.mediaType ?? null,
      linked: options.linked ?? false,
    });
    if (stars > best) best = stars;
  }
  return best;
}
