export {
  BADGE_COLOURS,
  type BadgeColourName,
  type BadgeInput,
  escapeXml,
  qualityBadge,
  renderBadge,
  resolveColour,
  scoreColour,
  textWidth,
} from './badge.ts';
export {
  FORMATS,
  type FormatFacts,
  formatFacts,
  formatForExtension,
  formatForMediaType,
  isKnownFormat,
  isKnownMediaType,
  isMachineReadable,
  isNonProprietary,
  isProprietary,
  isRdfFormat,
  isTabularFormat,
} from './formats.ts';
export {
  durationMs,
  type Freshness,
  type FreshnessOptions,
  type FreshnessStatus,
  frequencyPeriodMs,
  freshness,
  isStale,
} from './freshness.ts';
export {
  type AvailabilityCheck,
  type Bilingual,
  CRITERIA,
  type CriterionResult,
  type DatasetChecks,
  DIMENSIONS,
  type Dimension,
  type DimensionResult,
  type Grade,
  gradeFor,
  type QualityScore,
  type ScorableDataset,
  type ScorableResource,
  type ScoreInput,
  scoreDataset,
  type ValidityCheck,
} from './score.ts';
export { datasetStars, type OpennessInput, opennessStars, type Stars } from './stars.ts';
export { type ScorePoint, type ScoreTrend, scoreTrend, type TrendDirection } from './trend.ts';
