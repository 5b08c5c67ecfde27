// What we know about file formats: how catalogs spell them, which media types and file
// extensions reveal them, and how open and machine-readable they are. The flags follow
// the EU Publications Office file-type vocabulary that data.europa.eu's MQA uses for its
// "machine-readable" and "non-proprietary" indicators, and Tim Berners-Lee's 5-star scheme.

export interface FormatFacts {
  /** Canonical upper-case name. */
  format: string;
  /** A program can parse the content's structure (a table, a tree, a graph). */
  machineReadable: boolean;
  /** An openly specified format any program can implement without a licence from its owner. */
  nonProprietary: boolean;
  /** RDF serialisations: data items carry URIs (4 stars). */
  rdf: boolean;
  /** Rows and columns that a Table Schema can describe. */
  tabular: boolean;
  mediaTypes: string[];
  extensions: string[];
  aliases: string[];
}

type Flags = Pick<FormatFacts, 'machineReadable' | 'nonProprietary' | 'rdf' | 'tabular'>;

const OPEN_TABLE: Flags = { machineReadable: true, nonProprietary: true, rdf: false, tabular: true };
const OPEN_DATA: Flags = { machineReadable: true, nonProprietary: true, rdf: false, tabular: false };
const CLOSED_TABLE: Flags = { machineReadable: true, nonProprietary: false, rdf: false, tabular: true };
const CLOSED_DATA: Flags = { machineReadable: true, nonProprietary: false, rdf: false, tabular: false };
const RDF: Flags = { machineReadable: true, nonProprietary: true, rdf: true, tabular: false };
const OPEN_DOCUMENT: Flags = { machineReadable: false, nonProprietary: true, rdf: false, tabular: false };
const CLOSED_DOCUMENT: Flags = { machineReadable: false, nonProprietary: false, rdf: false, tabular: false };

function entry(
  format: string,
  flags: Flags,
  mediaTypes: string[],
  extensions: string[],
  aliases: string[] = [],
): FormatFacts {
  return { format, ...flags, mediaTypes, extensions, aliases };
}

// biome-ignore format: one format per line reads as a table
export const FORMATS: readonly FormatFacts[] = [
  entry('CSV', OPEN_TABLE, ['text/csv', 'application/csv'], ['csv'], ['TEXT/CSV', 'COMMA SEPARATED VALUES']),
  entry('TSV', OPEN_TABLE, ['text/tab-separated-values'], ['tsv', 'tab'], ['TAB SEPARATED VALUES']),
  entry('JSON', OPEN_DATA, ['application/json'], ['json'], ['APPLICATION/JSON']),
  entry('GEOJSON', OPEN_DATA, ['application/geo+json', 'application/vnd.geo+json'], ['geojson'], ['GEO+JSON']),
  entry('XML', OPEN_DATA, ['application/xml', 'text/xml'], ['xml'], ['TEXT/XML']),
  entry('PARQUET', OPEN_TABLE, ['application/vnd.apache.parquet', 'application/x-parquet'], ['parquet'], ['APACHE PARQUET']),
  entry('ODS', OPEN_TABLE, ['application/vnd.oasis.opendocument.spreadsheet'], ['ods'], ['OPENDOCUMENT SPREADSHEET']),
  entry('KML', OPEN_DATA, ['application/vnd.google-earth.kml+xml'], ['kml']),
  entry('KMZ', OPEN_DATA, ['application/vnd.google-earth.kmz'], ['kmz']),
  entry('GML', OPEN_DATA, ['application/gml+xml'], ['gml']),
  entry('GPKG', OPEN_DATA, ['application/geopackage+sqlite3'], ['gpkg'], ['GEOPACKAGE']),
  entry('RDF', RDF, ['application/rdf+xml'], ['rdf', 'owl'], ['RDF/XML', 'RDF+XML', 'RDF-XML', 'RDF_XML']),
  entry('TTL', RDF, ['text/turtle'], ['ttl'], ['TURTLE', 'RDF/TURTLE', 'RDF_TURTLE']),
  entry('JSONLD', RDF, ['application/ld+json'], ['jsonld'], ['JSON-LD', 'LD+JSON', 'JSON_LD']),
  entry('NT', RDF, ['application/n-triples'], ['nt'], ['N-TRIPLES', 'NTRIPLES', 'RDF_N_TRIPLES']),
  entry('N3', RDF, ['text/n3'], ['n3'], ['NOTATION3']),
  entry('NQ', RDF, ['application/n-quads'], ['nq'], ['N-QUADS', 'RDF_N_QUADS']),
  entry('SPARQL', RDF, ['application/sparql-results+json', 'application/sparql-query'], [], ['SPARQL ENDPOINT']),
  entry('XLSX', CLOSED_TABLE, ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], ['xlsx'], ['EXCEL', 'MS EXCEL', 'OOXML']),
  entry('XLS', CLOSED_TABLE, ['application/vnd.ms-excel'], ['xls']),
  entry('DBF', CLOSED_TABLE, ['application/dbase', 'application/x-dbf'], ['dbf']),
  entry('SAV', CLOSED_TABLE, ['application/x-spss-sav'], ['sav'], ['SPSS']),
  entry('DTA', CLOSED_TABLE, ['application/x-stata-dta'], ['dta'], ['STATA']),
  entry('MDB', CLOSED_TABLE, ['application/x-msaccess'], ['mdb', 'accdb'], ['ACCESS', 'ACCDB']),
  entry('SHP', CLOSED_DATA, ['application/vnd.shp', 'application/x-esri-shape'], ['shp'], ['SHAPEFILE', 'ESRI SHAPEFILE']),
  entry('PDF', OPEN_DOCUMENT, ['application/pdf'], ['pdf']),
  entry('HTML', OPEN_DOCUMENT, ['text/html', 'application/xhtml+xml'], ['html', 'htm'], ['WEB PAGE', 'WEBPAGE']),
  entry('TXT', OPEN_DOCUMENT, ['text/plain'], ['txt'], ['TEXT', 'PLAIN TEXT']),
  entry('ODT', OPEN_DOCUMENT, ['application/vnd.oasis.opendocument.text'], ['odt']),
  entry('ZIP', OPEN_DOCUMENT, ['application/zip', 'application/x-zip-compressed'], ['zip']),
  entry('GZIP', OPEN_DOCUMENT, ['application/gzip', 'application/x-gzip'], ['gz'], ['GZ']),
  entry('RAR', CLOSED_DOCUMENT, ['application/vnd.rar', 'application/x-rar-compressed'], ['rar']),
  entry('7Z', OPEN_DOCUMENT, ['application/x-7z-compressed'], ['7z']),
  entry('DOC', CLOSED_DOCUMENT, ['application/msword'], ['doc'], ['WORD']),
  entry('DOCX', CLOSED_DOCUMENT, ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'], ['docx']),
  entry('PPT', CLOSED_DOCUMENT, ['application/vnd.ms-powerpoint'], ['ppt']),
  entry('PPTX', CLOSED_DOCUMENT, ['application/vnd.openxmlformats-officedocument.presentationml.presentation'], ['pptx']),
  entry('JPEG', OPEN_DOCUMENT, ['image/jpeg'], ['jpg', 'jpeg'], ['JPG']),
  entry('PNG', OPEN_DOCUMENT, ['image/png'], ['png']),
];

const byName = new Map<string, FormatFacts>();
const byMediaType = new Map<string, FormatFacts>();
const byExtension = new Map<string, FormatFacts>();
for (const facts of FORMATS) {
  byName.set(facts.format, facts);
  for (const alias of facts.aliases) byName.set(alias, facts);
  for (const mediaType of facts.mediaTypes) byMediaType.set(mediaType, facts);
  for (const extension of facts.extensions) byExtension.set(extension, facts);
}

/** Facts for a format name as catalogs write it ("csv", ".CSV", "JSON-LD", "text/csv"), or undefined. */
export function formatFacts(format: string | null | undefined): FormatFacts | undefined {
  if (!format) return undefined;
  const key = format.trim().replace(/^\./, '').toUpperCase();
  return byName.get(key) ?? byMediaType.get(key.toLowerCase());
}

export function formatForMediaType(mediaType: string | null | undefined): FormatFacts | undefined {
  if (!mediaType) return undefined;
  return byMediaType.get(mediaType.split(';')[0]!.trim().toLowerCase());
}

export function formatForExtension(extension: string | null | undefined): FormatFacts | undefined {
  if (!extension) return undefined;
  return byExtension.get(extension.replace(/^\./, '').toLowerCase());
}

export function isMachineReadable(format: string | null | undefined): boolean {
  return formatFacts(format)?.machineReadable ?? false;
}

export function isNonProprietary(format: string | null | undefined): boolean {
  return formatFacts(format)?.nonProprietary ?? false;
}

export function isProprietary(format: string | null | undefined): boolean {
  const facts = formatFacts(format);
  return facts !== undefined && !facts.nonProprietary;
}

export function isRdfFormat(format: string | null | undefined): boolean {
  return formatFacts(format)?.rdf ?? false;
}

export function isTabularFormat(format: string | null | undefined): boolean {
  return formatFacts(format)?.tabular ?? false;
}

/** A format or media type our vocabulary recognises (MQA's "from vocabulary" indicator). */
export function isKnownFormat(format: string | null | undefined): boolean {
  return formatFacts(format) !== undefined;
}

export function isKnownMediaType(mediaType: string | null | undefined): boolean {
  return formatForMediaType(mediaType) !== undefined;
}
