export { jsonLogger, textLogger, LOG_LEVELS } from './logger.js';
export type { Logger, LogLevel } from './logger.js';
export { formatProgress, loggedProgress, terminalProgress } from './progress.js';
export type { ProgressReporter, ProgressSnapshot } from './progress.js';
export { ScoreStatsAccumulator } from './score-stats.js';
export type { ScoreStats } from './score-stats.js';
