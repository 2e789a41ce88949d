// Preloaded (NODE_OPTIONS=--import) into `bin/prescore` by the test that checks a run never formats a
// number through ICU, whose first use costs a run 13–20 ms on its way to the publish (src/gates/count-text.ts).
const refuse = () => {
  throw new Error('a number formatted through ICU (toLocaleString or Intl.NumberFormat)');
};
Number.prototype.toLocaleString = refuse;
BigInt.prototype.toLocaleString = refuse;
Intl.NumberFormat = refuse;
