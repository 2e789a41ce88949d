// Prints vitest's JSON report as one plain closing line, "N passed, N failed, N skipped",
// which CI log readers understand whatever the test runner.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`);
