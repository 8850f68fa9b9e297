/* report.js: filled in by issue 10 work in progress. */
