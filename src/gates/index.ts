export { RejectTally } from './reject-tally.js';
